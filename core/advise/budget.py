"""What a recommended path may give up: `loss<=0.5` (accuracy points below the full path), `accuracy>=0.88`,
`agreement>=0.99` (share of rows answered as the full path answers them), comma-separated, all must hold."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.errors import InputError

_TERM = re.compile(r"^\s*(loss|accuracy|agreement)\s*(<=|>=)\s*([0-9]*\.?[0-9]+)\s*$")
_DIRECTION = {"loss": "<=", "accuracy": ">=", "agreement": ">="}


@dataclass(frozen=True)
class Budget:
    max_loss_points: float | None = None
    min_accuracy: float | None = None
    min_agreement: float | None = None

    @classmethod
    def parse(cls, text: str) -> Budget:
        values: dict[str, float] = {}
        for term in text.split(","):
            match = _TERM.match(term)
            if match is None or _DIRECTION[match.group(1)] != match.group(2):
                raise InputError(
                    f"budget term {term.strip()!r} is not understood: use loss<=POINTS, accuracy>=SHARE or "
                    'agreement>=SHARE, comma-separated (e.g. "loss<=0.5")'
                )
            name, value = match.group(1), float(match.group(3))
            if name != "loss" and value > 1:
                raise InputError(f"{name} is a share in [0, 1] (got {value}): e.g. {name}>=0.98")
            if name == "loss" and value > 100:
                raise InputError(f"loss is in accuracy points, at most 100 (got {value:g}): e.g. loss<=0.5")
            values[name] = value
        return cls(values.get("loss"), values.get("accuracy"), values.get("agreement"))

    def allows(self, accuracy: float, agreement: float, full_accuracy: float) -> bool:
        """Whether a path with this accuracy and agreement, beside the full path's accuracy, is within budget."""
        if self.max_loss_points is not None and (full_accuracy - accuracy) * 100 > self.max_loss_points + 1e-9:
            return False
        if self.min_accuracy is not None and accuracy < self.min_accuracy:
            return False
        return self.min_agreement is None or agreement >= self.min_agreement

    @property
    def canonical(self) -> str:
        terms = []
        if self.max_loss_points is not None:
            terms.append(f"loss<={self.max_loss_points:g}")
        if self.min_accuracy is not None:
            terms.append(f"accuracy>={self.min_accuracy:g}")
        if self.min_agreement is not None:
            terms.append(f"agreement>={self.min_agreement:g}")
        return ",".join(terms)
