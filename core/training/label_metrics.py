"""Per-label figures of a labelled run: precision, recall, F1 and support per label, macro-F1, top confusions.

With 77 intents a single accuracy hides which intents fail and what they are taken for; these are what an analyst
auditing a ticket router reads next. Plain Python over label names; no model here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

TOP_CONFUSIONS = 10


@dataclass(frozen=True)
class LabelFigures:
    """One label's support (gold rows), predicted count, precision, recall (its accuracy) and F1."""

    label: str
    support: int
    predicted: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class LabelReport:
    """Every label's figures, the macro mean of their F1 (labels with gold rows), and the most frequent confusions."""

    rows: int
    accuracy: float
    macro_f1: float
    labels: tuple[LabelFigures, ...]
    confusions: tuple[tuple[str, str, int], ...]  # (gold, predicted, count), most frequent first

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "by_label": [vars(figures) for figures in self.labels],
            "top_confusions": [{"gold": g, "predicted": p, "count": n} for g, p, n in self.confusions],
        }


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def label_report(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str], top: int = TOP_CONFUSIONS
) -> LabelReport:
    """Figures of `predicted` against `gold` (label names, same length) over the model's `labels`."""
    assert len(gold) == len(predicted), "one prediction per gold label"
    pairs = Counter(zip(gold, predicted, strict=True))
    support, decided = Counter(gold), Counter(predicted)
    figures = []
    for label in labels:
        hits = pairs[(label, label)]
        precision, recall = _ratio(hits, decided[label]), _ratio(hits, support[label])
        f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
        figures.append(LabelFigures(label, support[label], decided[label], precision, recall, f1))
    present = [f.f1 for f in figures if f.support]
    wrong = sorted(((g, p, n) for (g, p), n in pairs.items() if g != p), key=lambda c: (-c[2], c[0], c[1]))
    return LabelReport(
        rows=len(gold),
        accuracy=_ratio(sum(pairs[(label, label)] for label in labels), len(gold)),
        macro_f1=round(sum(present) / len(present), 4) if present else 0.0,
        labels=tuple(figures),
        confusions=tuple(wrong[:top]),
    )
