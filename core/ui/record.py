"""The dashboard's record: decisions through the `Auditor` (stored, alternatives in the background), compare, history.

`open_auditor` is meant for `st.cache_resource` (one per server and store location): the Auditor is thread-safe,
its worker is one background thread, and its store opens a short-lived connection per operation.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from core.comparison import Comparison, redact_tokens
from core.engine import PathEngine
from core.errors import InputError
from core.explain import ALL_METHODS
from core.service import Auditor, Reproduction
from core.store import DecisionStore, StoreError, open_store
from core.store.store import DEFAULT_LOCATION
from core.ui.explanations import ExplanationView, Progress, explain_json, explanation_view


def store_location() -> str:
    """Where decisions are recorded: `PATHLENS_STORE`, else `.pathlens/decisions.sqlite`."""
    return os.environ.get("PATHLENS_STORE") or str(DEFAULT_LOCATION)


def open_auditor(_engine: PathEngine, location: str) -> Auditor:
    """The auditor of one engine and store (the leading underscore keeps st.cache_resource from hashing it)."""
    return Auditor(_engine, open_store(location))


@dataclass(frozen=True)
class DecisionView:
    """One decision for the page: its JSON (with `record`), the full path's for the cost, its explanation JSON."""

    text: str
    decision: dict[str, Any]
    full: dict[str, Any]
    explanation: dict[str, Any] | None = None
    keep_text: bool = False

    @property
    def decision_id(self) -> str:
        return str(self.decision["decision_id"])

    @property
    def label(self) -> str:
        return str(self.decision["label"])

    @property
    def confidence(self) -> float:
        return float(max(self.decision["probs"].values()))

    @property
    def record_status(self) -> str:
        record = self.decision.get("record") or {}
        status = str(record.get("status", "off"))
        return f"{status}: {record['error']}" if record.get("error") else status

    def cost_rows(self) -> list[dict[str, Any]]:
        """Executed vs full path, one row per measure, with the share of the full path's cost."""
        executed, full = self.decision["cost"], self.full["cost"]
        rows = []
        for key, name in (("layers_run", "layers"), ("heads_run", "heads"), ("flops", "FLOPs"), ("latency_ms", "ms")):
            share = executed[key] / full[key] if full[key] else 0.0
            rows.append({"measure": name, "this path": executed[key], "full path": full[key], "share": share})
        return rows


def decide(
    auditor: Auditor,
    text: str,
    path: str,
    keep_text: bool = False,
    extra_paths: Sequence[str] = (),
    explain_alternatives: bool = False,
    progress: Progress | None = None,
) -> DecisionView:
    """Decide and record `text` on `path`; its comparison set (full, shorter depths, `extra_paths`) is queued.

    With `explain_alternatives` every method explains the decision now (with `progress`) and each alternative in
    the background, so that Compare can show the top tokens each path gained or lost.
    """
    engine = auditor.engine
    spec = engine.parse(path)
    audited = auditor.decide(
        text,
        spec,
        keep_text=keep_text,
        extra_paths=[engine.parse(p) for p in extra_paths],
        explain=ALL_METHODS if explain_alternatives else (),
        explain_progress=progress,
    )
    full_spec = spec.replace(layers=tuple(range(spec.template.num_layers)), heads_off=frozenset())
    if full_spec == spec:
        full = audited.decision
    else:
        with auditor.gate.foreground():  # timed like the primary: the background worker waits meanwhile
            full = engine.decide(text, full_spec)
    return DecisionView(text, audited.to_json(), full.to_json(), audited.explanations, keep_text)


def explanation_of(engine: PathEngine, view: DecisionView) -> ExplanationView | None:
    """The drawable explanation of the decision, or None when it has not been explained yet."""
    if view.explanation is None:
        return None
    return explanation_view(view.explanation, engine.parse(view.decision["path"]).layers)


def explain_decision(
    auditor: Auditor, view: DecisionView, n_steps: int, progress: Progress, ig_tolerance: float = 0.05
) -> DecisionView:
    """The view with every method's explanation along its path, also attached to its record when it was stored.

    IG runs `n_steps` fixed steps, or adaptively to `ig_tolerance` when `n_steps` is 0.
    """
    data = explain_json(auditor.engine, view.text, view.decision["path"], n_steps, progress, ig_tolerance)
    if auditor.store is None or view.record_status != "stored":
        return replace(view, explanation=data)
    try:
        auditor.store.attach_explanations(view.decision_id, data if view.keep_text else redact_tokens(data))
    except StoreError as exc:
        failed = {**view.decision, "record": {"status": "failed", "error": f"explanation not stored: {exc}"}}
        return replace(view, decision=failed, explanation=data)
    return replace(view, explanation=data)


# -- comparing the paths not taken -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ComparisonView:
    """The executed path and every stored alternative, one row each; `pending` counts those still computing."""

    decision_id: str
    label: str
    labels: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]
    pending: int
    flips: int

    @property
    def saved_vs_full(self) -> float | None:
        """Share of the full path's FLOPs that the executed path did not spend (None until the full path is in)."""
        executed = self.rows[0]
        full = next((row for row in self.rows if row["full"] and row["flops"] is not None), None)
        return None if full is None else 1 - executed["flops"] / full["flops"]


def comparison(auditor: Auditor, decision_id: str, unit_texts: Sequence[str] = ()) -> ComparisonView:
    """Rows: path, executed, status, label, flipped, probs, confidence (of the executed label), flops, gained/lost
    (top tokens, where explained), full (all layers and heads).

    Top tokens are named by `unit_texts` (the session's own explanation), else by the stored explanation's units
    (their text when it was kept, else `#position`).
    """
    compared: Comparison = auditor.compare(decision_id)
    if not unit_texts:
        unit_texts = _stored_unit_texts(_store(auditor).get(decision_id).explanations)
    executed = compared.executed
    label = str(executed.label)
    rows = [_row(executed, label, executed=True, unit_texts=unit_texts)]
    rows += [_row(alt, label, executed=False, unit_texts=unit_texts) for alt in compared.alternatives]
    for row in rows:
        spec = auditor.engine.parse(row["path"])
        row["full"] = spec.is_full_depth and not spec.heads_off
    return ComparisonView(
        decision_id, label, tuple(executed.probs or {}), tuple(rows), len(compared.pending), compared.flips
    )


def _row(outcome: Any, label: str, executed: bool, unit_texts: Sequence[str]) -> dict[str, Any]:
    probs = outcome.probs or {}
    gained = sorted({_token(t, unit_texts) for change in outcome.top_tokens for t in change.to_json()["added"]})
    lost = sorted({_token(t, unit_texts) for change in outcome.top_tokens for t in change.to_json()["dropped"]})
    return {
        "path": outcome.path,
        "executed": executed,
        "status": outcome.status,
        "label": outcome.label,
        "flipped": bool(outcome.flip),
        "probs": probs,
        "confidence": probs.get(label),
        "flops": None if outcome.cost is None else int(outcome.cost["flops"]),
        "gained": ", ".join(gained),
        "lost": ", ".join(lost),
        "error": outcome.error,
    }


def _stored_unit_texts(explanations: dict[str, Any] | None) -> tuple[str, ...]:
    """Unit texts of a stored explanation (positions `#i` where the text was not kept)."""
    units = (explanations or {}).get("units") or []
    return tuple(str(u.get("text") or f"#{i}") if isinstance(u, dict) else str(u) for i, u in enumerate(units))


def _token(name: str, unit_texts: Sequence[str]) -> str:
    """`text@position` as the unit's text; a redacted `#i@i` named from `unit_texts` when they are known."""
    text, _, position = name.rpartition("@")
    index = int(position) if position.isdigit() else -1
    if text.startswith("#") and 0 <= index < len(unit_texts):
        return unit_texts[index]
    return text


# -- the record ------------------------------------------------------------------------------------------------
def history(
    auditor: Auditor,
    limit: int = 200,
    path: str | None = None,
    label: str | None = None,
    since: str | None = None,
    model: str | None = None,
) -> Any:
    """Stored decisions (newest first) as a DataFrame, filtered by canonical path, label, ISO time and model."""
    import pandas as pd

    records = auditor.history(limit=limit, path=path, label=label, since=since, model_fingerprint=model)
    return pd.DataFrame(
        [
            {
                "decision_id": r.decision_id,
                "time": r.created_at,
                "path": r.path,
                "label": r.label,
                "confidence": max(r.probs.values()),
                "withheld": ", ".join(f"{g}×{n}" for g, n in r.withheld.items()),
                "alternatives": r.comparison_status,
                "text kept": r.text is not None,
                "explained": r.explanations is not None,
                "model": r.model_fingerprint,
                "flops": r.cost.get("flops"),
            }
            for r in records
        ],
        columns=[
            "decision_id",
            "time",
            "path",
            "label",
            "confidence",
            "withheld",
            "alternatives",
            "text kept",
            "explained",
            "model",
            "flops",
        ],
    )


def records_json(auditor: Auditor, decision_ids: Sequence[str]) -> str:
    """The full stored records of `decision_ids` (alternatives included) as a JSON array."""
    store = _store(auditor)
    return json.dumps([store.get(i).to_json() for i in decision_ids], indent=2, default=str)


def stored_text(auditor: Auditor, decision_id: str) -> str | None:
    """The decision's text when it was kept, else None."""
    return _store(auditor).get(decision_id).text


def stored_path(auditor: Auditor, decision_id: str) -> str:
    return _store(auditor).get(decision_id).path


def reproduce(auditor: Auditor, decision_id: str, text: str | None) -> Reproduction:
    """Re-run a stored decision and its computed alternatives (`text` when it was not kept)."""
    return auditor.reproduce(decision_id, text or None)


def _store(auditor: Auditor) -> DecisionStore:
    if auditor.store is None:
        raise InputError("no decision record is open: set PATHLENS_STORE to a file path or database URL")
    return auditor.store
