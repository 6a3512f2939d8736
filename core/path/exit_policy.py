"""Exit policies: a path may stop a row early, at the first exit where the model is sure enough.

Grammar (the value of the `exit=` clause of a path)::

    confidence>=0.9   stop at the first executed layer whose exit head's top probability reaches 0.9
    confidence>=0.9,0.8,0.7
                      one threshold per exit in the path's order (the last one holds for every later exit):
                      a schedule that asks less of deeper exits, so fewer rows run the whole path
    patience:2        stop when the predicted label has not changed for 2 consecutive exits (PABEE)

The path's layers are the most that may run. One rule (`step`) decides for the rows still running after each
exit; the executor (`core.run.executor.run_adaptive`) and the simulation over precomputed per-exit logits
(`simulate`, used by `evaluate --exit-sweep`) both apply it, so they cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import torch

from core.errors import InvalidPathError

RULES = ("confidence", "patience")
_NUMBER = r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
_CONFIDENCE = re.compile(rf"^confidence>=({_NUMBER}(?:,{_NUMBER})*)$")  # one way to match: linear time
MAX_THRESHOLDS = 64  # more exits than any supported model has
_PATIENCE = re.compile(r"^patience:([0-9]+)$")


@dataclass(frozen=True)
class ExitPolicy:
    """`rule` 'confidence' with `threshold` in (0, 1], or 'patience' with `patience` >= 1 unchanged exits.

    `later`: with 'confidence', the thresholds of the second, third, ... exits (the last one holds for every later
    exit; empty: `threshold` at every exit). Trailing repeats are dropped, so equal schedules compare equal.
    """

    rule: str
    threshold: float | None = None
    patience: int | None = None
    later: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if self.rule == "confidence":
            for value in (self.threshold, *self.later):
                if value is None or not 0.0 < value <= 1.0:
                    raise InvalidPathError(
                        f"exit=confidence>={value} is impossible: a threshold is a probability in (0, 1], "
                        "e.g. exit=confidence>=0.9 or exit=confidence>=0.9,0.8"
                    )
            schedule = [self.threshold, *self.later]
            while len(schedule) > 1 and schedule[-1] == schedule[-2]:
                schedule.pop()
            object.__setattr__(self, "later", tuple(schedule[1:]))
        elif self.rule == "patience":
            if self.later:
                raise InvalidPathError("exit=patience:N takes one number: per-exit values are for confidence")
            if self.patience is None or self.patience < 1:
                raise InvalidPathError(
                    f"exit=patience:{self.patience} is impossible: patience counts unchanged exits, at least 1, "
                    "e.g. exit=patience:2"
                )
        else:
            raise InvalidPathError(f"exit rule {self.rule!r} is unknown: use {' or '.join(RULES)}")

    def threshold_at(self, index: int) -> float:
        """The confidence threshold of the path's `index`-th exit (0-based)."""
        assert self.threshold is not None, "only a confidence policy has thresholds"
        schedule = (self.threshold, *self.later)
        return schedule[min(index, len(schedule) - 1)]

    @classmethod
    def parse(cls, text: str) -> ExitPolicy:
        value = text.replace(" ", "").lower()
        confidence, patience = _CONFIDENCE.match(value), _PATIENCE.match(value)
        if confidence:
            values = confidence.group(1).split(",")
            if len(values) > MAX_THRESHOLDS:
                raise InvalidPathError(
                    f"exit=confidence>= gives {len(values)} thresholds: give at most one per exit ({MAX_THRESHOLDS})"
                )
            first, *later = (float(value) for value in values)
            return cls("confidence", threshold=first, later=tuple(later))
        if patience:
            digits = patience.group(1)
            if len(digits) > 9:  # refused before the number is built: no path has that many exits
                raise InvalidPathError(f"exit=patience:{digits[:12]}... can never fire: no path has that many exits")
            return cls("patience", patience=int(digits))
        raise InvalidPathError(
            f"exit={text[:40]} is not a policy: write exit=confidence>=T (T in (0, 1]) or exit=patience:N (N >= 1)"
        )

    @property
    def canonical(self) -> str:
        if self.rule == "confidence":
            return "confidence>=" + ",".join(format(Decimal(repr(t)), "f") for t in (self.threshold, *self.later))
        return f"patience:{self.patience}"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"rule": self.rule, "threshold": self.threshold, "patience": self.patience}
        if self.later:
            data["later_thresholds"] = list(self.later)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExitPolicy:
        threshold = data.get("threshold")
        patience = data.get("patience")
        return cls(
            str(data["rule"]),
            float(threshold) if threshold is not None else None,
            int(patience) if patience is not None else None,
            tuple(float(value) for value in data.get("later_thresholds", ())),
        )


@dataclass(frozen=True)
class PolicyState:
    """Per running row: the label predicted at the previous exit (-1 before the first) and the unchanged count;
    `exits_seen`: how many exits every running row has passed (all of them pass each exit together)."""

    previous: torch.Tensor  # (b,) long
    unchanged: torch.Tensor  # (b,) long
    exits_seen: int = 0

    @classmethod
    def start(cls, rows: int, device: torch.device) -> PolicyState:
        return cls(
            torch.full((rows,), -1, dtype=torch.long, device=device), torch.zeros(rows, dtype=torch.long, device=device)
        )

    def select(self, keep: torch.Tensor) -> PolicyState:
        """The state of the rows that keep running (`keep`: (b',) indices)."""
        return PolicyState(self.previous.index_select(0, keep), self.unchanged.index_select(0, keep), self.exits_seen)


def step(
    policy: ExitPolicy, state: PolicyState, logits: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, PolicyState]:
    """One exit for the running rows: (stop (b,) bool, trigger value (b,) float, next state).

    The trigger value is the top probability (confidence) or the number of consecutive unchanged exits (patience).
    """
    probs = torch.softmax(logits.float(), dim=-1)  # (b, C)
    top, predicted = probs.max(dim=-1)
    unchanged = torch.where(predicted == state.previous, state.unchanged + 1, torch.zeros_like(state.unchanged))
    next_state = PolicyState(predicted, unchanged, state.exits_seen + 1)
    if policy.rule == "confidence":
        return top >= policy.threshold_at(state.exits_seen), top, next_state
    assert policy.patience is not None
    return unchanged >= policy.patience, unchanged.float(), next_state


@dataclass(frozen=True)
class RowExit:
    """Where one row stopped: `position` in the path's layers (its `layer`), the rule and the value that fired.

    `triggered` is False when the row ran to the path's last layer without the rule firing; `exits_evaluated`
    counts the exit heads computed for the row; `layer_tokens` the padded length of each layer it ran in (cost).
    """

    position: int
    layer: int
    rule: str
    value: float
    triggered: bool
    exits_evaluated: int
    layer_tokens: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "position": self.position,
            "layers_run": self.position + 1,
            "rule": self.rule,
            "value": round(self.value, 6),
            "triggered": self.triggered,
            "exits_evaluated": self.exits_evaluated,
        }


def simulate(policy: ExitPolicy, exit_logits: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Apply `policy` to precomputed logits of every exit (E, B, C): (exit index (B,), trigger value (B,)).

    A row that never triggers exits at the last exit. Equivalent to running the path adaptively on the same
    per-exit logits.
    """
    num_exits, rows = exit_logits.shape[0], exit_logits.shape[1]
    chosen = torch.full((rows,), num_exits - 1, dtype=torch.long)
    values = torch.zeros(rows)
    done = torch.zeros(rows, dtype=torch.bool)
    state = PolicyState.start(rows, torch.device("cpu"))
    for index in range(num_exits):
        stop, value, state = step(policy, state, exit_logits[index].cpu())
        newly = (stop | (index == num_exits - 1)) & ~done
        chosen[newly], values[newly] = index, value[newly]
        done |= newly
    return chosen, values
