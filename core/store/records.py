"""What the record holds: plain, typed rows of one decision and of its alternatives (JSON-ready)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class AlternativeRecord:
    """One path of the comparison set: `pending` until computed, then `done` (outputs set) or `failed` (error)."""

    path: str
    path_id: str
    status: str = "pending"
    label: str | None = None
    probs: dict[str, float] | None = None
    logits: tuple[float, ...] | None = None
    cost: dict[str, Any] | None = None
    explanations: dict[str, Any] | None = None
    error: str | None = None
    updated_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["logits"] = list(self.logits) if self.logits is not None else None
        return data


@dataclass(frozen=True)
class AlternativeResult:
    """The computed outputs of one alternative, as handed to `DecisionStore.complete`."""

    path_id: str
    label: str
    probs: dict[str, float]
    logits: tuple[float, ...]
    cost: dict[str, Any]
    explanations: dict[str, Any] | None = None


@dataclass(frozen=True)
class DecisionRecord:
    """One stored decision. `text` is None unless the user allowed keeping it; `withheld` holds counts only;
    `group_definitions` a salted fingerprint of each user-defined group the path read (withheld, blocked or
    emphasised), by name.

    A decision recorded by a batch audit carries the audit's id and the 0-based row of the audited file.
    """

    decision_id: str
    created_at: str
    model_fingerprint: str
    path: str
    path_id: str
    input_fingerprint: str
    withheld: dict[str, int]
    label: str
    probs: dict[str, float]
    logits: tuple[float, ...]
    cost: dict[str, Any]
    tokens: dict[str, Any]
    notes: tuple[str, ...] = ()
    text: str | None = None
    explanations: dict[str, Any] | None = None
    alternatives: tuple[AlternativeRecord, ...] = field(default=())
    audit_id: str | None = None
    audit_row: int | None = None
    group_definitions: dict[str, str] = field(default_factory=dict)

    @property
    def comparison_status(self) -> str:
        """`none` (no alternatives), `pending` (some still running), `failed` (some failed) or `done`."""
        statuses = {alt.status for alt in self.alternatives}
        if not statuses:
            return "none"
        if "pending" in statuses:
            return "pending"
        return "failed" if "failed" in statuses else "done"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["logits"] = list(self.logits)
        data["notes"] = list(self.notes)
        data["alternatives"] = [alt.to_json() for alt in self.alternatives]
        data["comparison_status"] = self.comparison_status
        return data
