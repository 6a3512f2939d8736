"""Batch audit rows as decision records: one per decided row, the `against` path stored as a done alternative.

The records follow the same privacy rules as `decide`: the raw text only with `keep_text`, withheld groups as
counts, the input fingerprint salted by the store. Each record is tagged with the audit's id and its input row,
so that a resumed or repeated audit never records a row twice (`DecisionStore.insert_many` skips them).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from core.audit.scoring import AuditPlan, ScoredRow
from core.path import PathSpec
from core.run import PathEngine, window_notes
from core.store import AlternativeRecord, DecisionRecord, DecisionStore, now_iso


@dataclass(frozen=True)
class AuditRecorder:
    """Writes the decided rows of every chunk of one audit to `store`, one transaction per chunk."""

    engine: PathEngine
    plan: AuditPlan
    store: DecisionStore
    audit_id: str
    keep_text: bool = False

    def record(self, texts: Sequence[str], scored: Sequence[ScoredRow], seconds: float) -> tuple[int, int]:
        """Store one record per scored row; returns (written, skipped as already recorded)."""
        records = self.records(texts, scored, seconds)
        written = self.store.insert_many(records)
        return written, len(records) - written

    def records(self, texts: Sequence[str], scored: Sequence[ScoredRow], seconds: float) -> list[DecisionRecord]:
        """Records of the scored rows (as from `core.audit.scoring.score_rows`, aligned with `texts`).

        Latency is estimated: the chunk's scoring time per row, split between the two paths by their FLOPs.
        """
        against = self.plan.against
        if against is not None and against.canonical == self.plan.spec.canonical:
            against = None  # the executed path is not its own alternative
        stamp = now_iso()
        row_ms = seconds * 1000 / max(len(texts), 1)
        return [self._record(text, row, stamp, row_ms, against) for text, row in zip(texts, scored, strict=True)]

    @cached_property
    def _group_definitions(self) -> dict[str, str]:
        """Fingerprints of the user's own groups the audited path names: the same for every row of the audit."""
        definitions = self.engine.model.groups.definitions(self.plan.spec.groups_named)
        return self.store.group_fingerprints(definitions)

    def _record(
        self, text: str, scored: ScoredRow, stamp: str, row_ms: float, against: PathSpec | None
    ) -> DecisionRecord:
        model, spec = self.engine.model, self.plan.spec
        against_flops = scored.against_flops if against is not None else 0
        share = scored.flops / (scored.flops + against_flops)
        alternatives: tuple[AlternativeRecord, ...] = ()
        if against is not None and scored.against is not None:
            alternative = AlternativeRecord(
                path=against.canonical,
                path_id=against.path_id(model.fingerprint),
                status="done",
                label=scored.against.label,
                probs=scored.against.probs,
                logits=scored.against.logits,
                cost={
                    **_cost(self.engine, against),
                    "flops": against_flops,
                    "latency_ms": round(row_ms * (1 - share), 3),
                },
                updated_at=stamp,
            )
            alternatives = (alternative,)
        tokens = {"total": scored.tokens, "kept": scored.kept, "windows": scored.windows}
        return DecisionRecord(
            decision_id=uuid.uuid4().hex,
            created_at=stamp,
            model_fingerprint=model.fingerprint,
            path=spec.canonical,
            path_id=spec.path_id(model.fingerprint),
            input_fingerprint=self.store.input_fingerprint(text),
            withheld=dict(scored.withheld),
            label=scored.executed.label,
            probs=scored.executed.probs,
            logits=scored.executed.logits,
            cost={
                **_cost(self.engine, spec),
                **_stopped(spec, scored),
                "flops": scored.flops,
                "latency_ms": round(row_ms * share, 3),
            },
            tokens={**tokens, "truncated": scored.truncated},
            notes=window_notes(scored.windows, model.window),
            text=text if self.keep_text else None,
            alternatives=alternatives,
            audit_id=self.audit_id,
            audit_row=scored.row,
            group_definitions=self._group_definitions,
        )


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


def _stopped(spec: PathSpec, scored: ScoredRow) -> dict[str, Any]:
    """With an exit policy: the row's layers and heads run and where it stopped (as `Decision.exit`)."""
    if scored.exit is None:
        return {}
    stopped = spec.stopped_at(scored.exit.position)
    return {"layers_run": scored.exit.position + 1, "heads_run": stopped.heads_run, "exit": scored.exit.to_json()}
