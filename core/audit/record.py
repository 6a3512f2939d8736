"""Batch audit rows as decision records: one per decided row, the `against` path stored as a done alternative.

The records follow the same privacy rules as `decide`: the raw text only with `keep_text`, withheld groups as
counts, the input fingerprint salted by the store. Each record is tagged with the audit's id and its input row,
so that a resumed or repeated audit never records a row twice (`DecisionStore.insert_many` skips them).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from core.exit_policy import RowExit
from core.paths import PathSpec
from core.store import AlternativeRecord, DecisionRecord, DecisionStore
from core.store.schema import now_iso

if TYPE_CHECKING:
    from core.audit.scoring import AuditPlan
    from core.engine import PathEngine


@dataclass(frozen=True)
class AuditRecorder:
    """Writes the decided rows of every chunk of one audit to `store`, one transaction per chunk."""

    engine: PathEngine
    plan: AuditPlan
    store: DecisionStore
    audit_id: str
    keep_text: bool = False

    def record(self, texts: Sequence[str], scores: pd.DataFrame, seconds: float) -> tuple[int, int]:
        """Store one record per scored row; returns (written, skipped as already recorded)."""
        records = self.records(texts, scores, seconds)
        written = self.store.insert_many(records)
        return written, len(records) - written

    def records(self, texts: Sequence[str], scores: pd.DataFrame, seconds: float) -> list[DecisionRecord]:
        """Records of the scored rows (`scores` as from `core.audit.score_frame`, aligned with `texts`).

        Latency is estimated: the chunk's scoring time per row, split between the two paths by their FLOPs.
        """
        model, spec = self.engine.model, self.plan.spec
        against = self.plan.against
        if against is not None and against.canonical == spec.canonical:
            against = None  # the executed path is not its own alternative
        stamp = now_iso()
        executed = _outputs(scores, "", model.labels)
        compared = _outputs(scores, "a", model.labels) if against is not None else None
        flops = scores["flops"].to_numpy(dtype=np.int64)
        against_flops = (
            scores["against_flops"].to_numpy(dtype=np.int64) if against is not None else np.zeros_like(flops)
        )
        row_ms = seconds * 1000 / max(len(texts), 1)
        withheld = {group: scores[f"withheld_{group}"].to_numpy() for group in sorted(spec.withhold)}
        path_id = spec.path_id(model.fingerprint)
        against_id = against.path_id(model.fingerprint) if against is not None else ""
        records = []
        tokens, kept_tokens = scores["tokens"].tolist(), scores["kept"].tolist()
        executed_cost = _cost(self.engine, spec)
        against_cost = _cost(self.engine, against) if against is not None else {}
        for i, (row, text) in enumerate(zip(scores["row"].tolist(), texts, strict=True)):
            total, kept = int(tokens[i]), int(kept_tokens[i])
            share = flops[i] / (flops[i] + against_flops[i])
            alternatives: tuple[AlternativeRecord, ...] = ()
            if against is not None and compared is not None:
                label, probs, logits = compared[i]
                alternative = AlternativeRecord(
                    path=against.canonical,
                    path_id=against_id,
                    status="done",
                    label=label,
                    probs=probs,
                    logits=logits,
                    cost={**against_cost, "flops": int(against_flops[i]), "latency_ms": round(row_ms * (1 - share), 3)},
                    updated_at=stamp,
                )
                alternatives = (alternative,)
            label, probs, logits = executed[i]
            records.append(
                DecisionRecord(
                    decision_id=uuid.uuid4().hex,
                    created_at=stamp,
                    model_fingerprint=model.fingerprint,
                    path=spec.canonical,
                    path_id=path_id,
                    input_fingerprint=self.store.input_fingerprint(text),
                    withheld={group: int(counts[i]) for group, counts in withheld.items() if counts[i]},
                    label=label,
                    probs=probs,
                    logits=logits,
                    cost={
                        **executed_cost,
                        **_stopped(spec, scores, i),
                        "flops": int(flops[i]),
                        "latency_ms": round(row_ms * share, 3),
                    },
                    tokens={"total": total, "kept": kept, "windows": 1, "truncated": kept < total},
                    notes=_notes(self.engine, total, kept),
                    text=text if self.keep_text else None,
                    alternatives=alternatives,
                    audit_id=self.audit_id,
                    audit_row=int(row),
                )
            )
        return records


def _outputs(
    scores: pd.DataFrame, prefix: str, labels: Sequence[str]
) -> list[tuple[str, dict[str, float], tuple[float, ...]]]:
    """(label, probabilities, logits) per row of one path: columns `p*`/`z*` (executed) or `a*`/`az*` (against)."""
    probs = scores[[f"{prefix or 'p'}{c}" for c in range(len(labels))]].to_numpy(dtype=float)
    logits = scores[[f"{prefix}z{c}" for c in range(len(labels))]].to_numpy(dtype=float)
    return [
        (
            labels[int(row_probs.argmax())],
            {label: round(float(p), 6) for label, p in zip(labels, row_probs, strict=True)},
            tuple(float(x) for x in row_logits),
        )
        for row_probs, row_logits in zip(probs, logits, strict=True)
    ]


def _cost(engine: PathEngine, spec: PathSpec) -> dict[str, Any]:
    """A path's cost fields shared by every row (`flops` and `latency_ms` are set per row)."""
    return {
        "layers_run": len(spec.layers),
        "heads_run": spec.heads_run,
        "flops": 0,
        "latency_ms": 0.0,
        "device": engine.model.resolve_device(spec.device),
        "precision": spec.precision,
        "latency_estimated": True,
    }


def _stopped(spec: PathSpec, scores: pd.DataFrame, i: int) -> dict[str, Any]:
    """With an exit policy: the row's layers and heads run and where it stopped (as `Decision.exit`)."""
    if spec.exit is None:
        return {}
    position = int(scores["exit_position"].iat[i])
    stopped = spec.stopped_at(position)
    exit_info = RowExit(
        position=position,
        layer=spec.layers[position],
        rule=spec.exit.rule,
        value=float(scores["exit_value"].iat[i]),
        triggered=bool(scores["exit_triggered"].iat[i]),
        exits_evaluated=sum(1 for p in spec.exit_positions if p <= position),
    ).to_json()
    return {"layers_run": position + 1, "heads_run": stopped.heads_run, "exit": exit_info}


def _notes(engine: PathEngine, total: int, kept: int) -> tuple[str, ...]:
    if kept >= total:
        return ()
    return (
        f"decided in a batch audit on the first {kept} of {total} tokens (the audit cuts texts at the model's "
        f"window of {engine.model.window}); `reproduce` reads the whole text in overlapping windows",
    )
