"""Exit policies: a path may stop a row early, at the first exit where the model is sure enough.

Grammar (the value of the `exit=` clause of a path)::

    confidence>=0.9   stop at the first executed layer whose exit head's top probability reaches 0.9
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
_CONFIDENCE = re.compile(r"^confidence>=([0-9]+(?:\.[0-9]+)?|\.[0-9]+)$")  # one way to match: linear time
_PATIENCE = re.compile(r"^patience:([0-9]+)$")


@dataclass(frozen=True)
class ExitPolicy:
    """`rule` 'confidence' with `threshold` in (0, 1], or 'patience' with `patience` >= 1 unchanged exits."""

    rule: str
    threshold: float | None = None
    patience: int | None = None

    def __post_init__(self) -> None:
        if self.rule == "confidence":
            if self.threshold is None or not 0.0 < self.threshold <= 1.0:
                raise InvalidPathError(
                    f"exit=confidence>={self.threshold} is impossible: the threshold is a probability in (0, 1], "
                    "e.g. exit=confidence>=0.9"
                )
        elif self.rule == "patience":
            if self.patience is None or self.patience < 1:
                raise InvalidPathError(
                    f"exit=patience:{self.patience} is impossible: patience counts unchanged exits, at least 1, "
                    "e.g. exit=patience:2"
                )
        else:
            raise InvalidPathError(f"exit rule {self.rule!r} is unknown: use {' or '.join(RULES)}")

    @classmethod
    def parse(cls, text: str) -> ExitPolicy:
        value = text.replace(" ", "").lower()
        confidence, patience = _CONFIDENCE.match(value), _PATIENCE.match(value)
        if confidence:
            return cls("confidence", threshold=float(confidence.group(1)))
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
            return f"confidence>={format(Decimal(repr(self.threshold)), 'f')}"
        return f"patience:{self.patience}"

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "threshold": self.threshold, "patience": self.patience}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExitPolicy:
        threshold = data.get("threshold")
        patience = data.get("patience")
        return cls(
            str(data["rule"]),
            float(threshold) if threshold is not None else None,
            int(patience) if patience is not None else None,
        )


@dataclass(frozen=True)
class PolicyState:
    """Per running row: the label predicted at the previous exit (-1 before the first) and the unchanged count."""

    previous: torch.Tensor  # (b,) long
    unchanged: torch.Tensor  # (b,) long

    @classmethod
    def start(cls, rows: int, device: torch.device) -> PolicyState:
        return cls(
            torch.full((rows,), -1, dtype=torch.long, device=device), torch.zeros(rows, dtype=torch.long, device=device)
        )

    def select(self, keep: torch.Tensor) -> PolicyState:
        """The state of the rows that keep running (`keep`: (b',) indices)."""
        return PolicyState(self.previous.index_select(0, keep), self.unchanged.index_select(0, keep))


def step(
    policy: ExitPolicy, state: PolicyState, logits: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, PolicyState]:
    """One exit for the running rows: (stop (b,) bool, trigger value (b,) float, next state).

    The trigger value is the top probability (confidence) or the number of consecutive unchanged exits (patience).
    """
    probs = torch.softmax(logits.float(), dim=-1)  # (b, C)
    top, predicted = probs.max(dim=-1)
    unchanged = torch.where(predicted == state.previous, state.unchanged + 1, torch.zeros_like(state.unchanged))
    next_state = PolicyState(predicted, unchanged)
    if policy.rule == "confidence":
        assert policy.threshold is not None
        return top >= policy.threshold, top, next_state
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
