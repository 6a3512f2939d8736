"""The dashboard's decisions: through the `DecisionService` (stored, alternatives in the background), compare, history.

`open_service` is meant for `st.cache_resource` (one per server and store location): the DecisionService is thread-safe,
its worker is one background thread, and its store opens a short-lived connection per operation.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from core.explain import ALL_METHODS, DEFAULT_IG_TOLERANCE, ExplanationSet, IGOptions, Progress
from core.path import PathSpec, has_program
from core.run import Decision, PathEngine
from core.service import TIME_BASIS, Comparison, DecisionService, RecordedDecision, Reproduction, record_json
from core.store import model_label, open_store
from core.ui.cost_view import CostComparison, cost_comparison
from core.ui.explanations import ExplanationView, explanation_view


def open_service(_engine: PathEngine, location: str) -> DecisionService:
    """The service of one engine and store (the leading underscore keeps st.cache_resource from hashing it)."""
    return DecisionService(_engine, open_store(location))


def unrecorded_service(_engine: PathEngine) -> DecisionService:
    """A service that records nothing: what the dashboard uses while the record cannot be opened."""
    return DecisionService(_engine, None)


@dataclass(frozen=True)
class DecisionView:
    """One decision for the page: the text and the DecisionService's typed result (full-path reference and timings,
    explanations)."""

    text: str
    audited: RecordedDecision

    @property
    def decision(self) -> Decision:
        return self.audited.decision

    @property
    def spec(self) -> PathSpec:
        assert self.audited.spec is not None, "the DecisionService returns the path it decided on"
        return self.audited.spec

    @property
    def cost(self) -> CostComparison:
        """Its cost beside the full path's, timed alike by the DecisionService."""
        return cost_comparison(self.audited)

    def without_explanation(self) -> DecisionView:
        """The same decision, to be explained again."""
        return replace(self, audited=replace(self.audited, explanations=None))

    @property
    def decision_id(self) -> str:
        return self.decision.decision_id

    @property
    def label(self) -> str:
        return self.decision.label

    @property
    def confidence(self) -> float:
        return float(max(self.decision.probs.values()))

    @property
    def explanation(self) -> dict[str, Any] | None:
        return self.audited.explanations

    @property
    def withheld_groups(self) -> tuple[str, ...]:
        return tuple(sorted(self.spec.withhold))

    @property
    def record_status(self) -> str:
        record = self.audited.record
        return f"{record.status}: {record.error}" if record.error else record.status

    @property
    def stopped(self) -> str | None:
        """Where a path with an exit policy stopped and why, in words; None for a fixed path."""
        stop = self.decision.exit
        if not stop:
            return None
        value = round(stop.value, 6)  # as the record keeps it
        rule = f"confidence {value:.3f}" if stop.rule == "confidence" else f"label unchanged for {value:g} exits"
        why = (
            f"{rule} met the policy"
            if stop.triggered
            else f"the policy never fired ({rule}): the path's last layer decided"
        )
        return f"Stopped after layer {stop.layer} ({stop.position + 1} layers run): {why}."

    def cost_rows(self) -> list[dict[str, Any]]:
        """Executed vs full path, one row per exact measure (layers, heads, FLOPs), with the full path's share."""
        return self.cost.rows()


def decide(
    service: DecisionService,
    text: str,
    spec: PathSpec,
    keep_text: bool = False,
    extra_paths: Sequence[PathSpec] = (),
    explain_alternatives: bool = False,
    progress: Progress | None = None,
    methods: Sequence[str] = ALL_METHODS,
) -> DecisionView:
    """Decide and record `text` on `spec`; its comparison set (full, shorter depths, `extra_paths`) is queued.

    With `explain_alternatives` the `methods` explain the decision now (with `progress`) and each alternative in
    the background, so that Compare can show the top tokens each path gained or lost.
    """
    audited = service.decide(
        text,
        spec,
        keep_text=keep_text,
        extra_paths=list(extra_paths),
        explain=tuple(methods) if explain_alternatives else (),
        explain_progress=progress,
        reference=True,
    )
    return DecisionView(text, audited)


def explanation_of(view: DecisionView) -> ExplanationView | None:
    """The drawable explanation of the decision, or None when it has not been explained yet."""
    if view.explanation is None:
        return None
    stop = view.decision.exit
    layers = view.spec.layers
    return explanation_view(view.explanation, layers[: stop.position + 1] if stop else layers)


def explain_decision(
    service: DecisionService,
    view: DecisionView,
    n_steps: int,
    progress: Progress,
    methods: Sequence[str] = ALL_METHODS,
    target: str | None = None,
    ig_tolerance: float = DEFAULT_IG_TOLERANCE,
) -> DecisionView:
    """The view with `methods`' explanations of `target` (default: the predicted label) along its path, attached to
    its record by the DecisionService when it was stored. IG runs `n_steps` fixed steps, or adaptively to `ig_tolerance`
    when `n_steps` is 0."""
    ig = IGOptions(n_steps or None, ig_tolerance)
    explained = service.explain(view.audited, view.text, methods, ig=ig, progress=progress, target=target)
    return replace(view, audited=explained)


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
    time_basis: str = TIME_BASIS  # how every row's `time_ms` was obtained (one computation, as `compare` prints)

    @property
    def saved_vs_full(self) -> float | None:
        """Share of the full path's FLOPs that the executed path did not spend (None until the full path is in)."""
        executed = self.rows[0]
        full = next((row for row in self.rows if row["full"] and row["flops"] is not None), None)
        return None if full is None else 1 - executed["flops"] / full["flops"]


def comparison(service: DecisionService, decision_id: str, unit_texts: Sequence[str] = ()) -> ComparisonView:
    """Rows: path, executed, status, label, flipped, probs, confidence (of the executed label), flops, time_ms
    (`Comparison`'s estimate, see TIME_BASIS), gained/lost (top tokens, where explained), full (all layers and
    heads), unprogrammed (the executed path without its block=/emphasize= program).

    Top tokens are named by `unit_texts` (the session's own explanation), else by the stored explanation's units
    (their text when it was kept, else `#position`).
    """
    compared: Comparison = service.compare(decision_id)
    if not unit_texts:
        unit_texts = _stored_unit_texts(service.require_store().get(decision_id).explanations)
    executed = compared.executed
    label = str(executed.label)
    rows = [_row(executed, label, executed=True, unit_texts=unit_texts)]
    rows += [_row(alt, label, executed=False, unit_texts=unit_texts) for alt in compared.alternatives]
    executed_spec = service.engine.parse(executed.path)
    twin = executed_spec.replace(block=None, emphasize=None) if has_program(executed_spec) else None
    for row in rows:
        spec = service.engine.parse(row["path"])
        row["full"] = spec.is_full_depth and not spec.heads_off
        row["unprogrammed"] = twin is not None and spec == twin
    return ComparisonView(
        decision_id, label, tuple(executed.probs or {}), tuple(rows), len(compared.pending), compared.flips
    )


def compared_path_name(row: dict[str, Any]) -> str:
    """A comparison row's path as the table names it: ▶ marks the executed one, and the executed path without its
    attention program says so."""
    name = ("▶ " if row["executed"] else "") + row["path"]
    return name + "  (the executed path without its attention program)" if row.get("unprogrammed") else name


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
        "time_ms": outcome.estimated_ms,
        "gained": ", ".join(gained),
        "lost": ", ".join(lost),
        "error": outcome.error,
    }


def _stored_unit_texts(explanations: dict[str, Any] | None) -> tuple[str, ...]:
    """Unit texts of a stored explanation (positions `#i` where the text was not kept)."""
    units = ExplanationSet.from_json(explanations).units if explanations else ()
    return tuple(unit.text or f"#{i}" for i, unit in enumerate(units))


def _token(name: str, unit_texts: Sequence[str]) -> str:
    """`text@position` as the unit's text; a redacted `#i@i` named from `unit_texts` when they are known."""
    text, _, position = name.rpartition("@")
    index = int(position) if position.isdigit() else -1
    if text.startswith("#") and 0 <= index < len(unit_texts):
        return unit_texts[index]
    return text


# -- the record ------------------------------------------------------------------------------------------------
def history(
    service: DecisionService,
    limit: int = 200,
    path: str | None = None,
    label: str | None = None,
    since: str | None = None,
    model: str | None = None,
) -> Any:
    """Stored decisions (newest first) as a DataFrame, filtered by canonical path, label, ISO time and model."""
    import pandas as pd

    records = service.history(limit=limit, path=path, label=label, since=since, model_fingerprint=model)
    names = service.model_names() if records else {}
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
                "model": model_label(names, r.model_fingerprint),
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


def history_count(
    service: DecisionService,
    path: str | None = None,
    label: str | None = None,
    since: str | None = None,
    model: str | None = None,
) -> int:
    """How many stored decisions match the filters of `history` (its list stops at its limit; this does not)."""
    return service.require_store().count_history(model_fingerprint=model, path=path, label=label, since=since)


def records_json(service: DecisionService, decision_ids: Sequence[str], redact: bool = False) -> str:
    """The full stored records of `decision_ids` (alternatives included) as a JSON array; `redact`: for a viewer,
    without kept texts and token texts (`core.service.redaction`)."""
    store = service.require_store()
    records = [record_json(store.get(i), redact) for i in decision_ids]
    return json.dumps(records, indent=2, default=str)


def stored_text(service: DecisionService, decision_id: str) -> str | None:
    """The decision's text when it was kept, else None."""
    return service.stored_text(decision_id)


def stored_path(service: DecisionService, decision_id: str) -> str:
    return service.require_store().get(decision_id).path


def reproduce(service: DecisionService, decision_id: str, text: str | None) -> Reproduction:
    """Re-run a stored decision and its computed alternatives (`text` when it was not kept)."""
    return service.reproduce(decision_id, text or None)
