"""Many labels drawn readably: the top few probabilities with the rest summed as "others" (77 intents, not 77 bars)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from core.audit import gold_indices
from core.training import LabelReport, label_report

TOP_K = 5  # labels drawn by name; a model with at most TOP_K + 1 labels shows them all


def others_name(count: int) -> str:
    return f"others ({count} labels)"


def top_labels(probs_per_row: Sequence[Mapping[str, float]], labels: Sequence[str], k: int = TOP_K) -> list[str]:
    """The labels among the `k` most probable of any row, most probable first; all `labels` when there are few."""
    if len(labels) <= k + 1:
        return list(labels)
    best: dict[str, float] = {}
    for probs in probs_per_row:
        for label, p in sorted(probs.items(), key=lambda item: -item[1])[:k]:
            best[label] = max(best.get(label, 0.0), p)
    return sorted(best, key=lambda label: -best[label])


def with_others(probs: Mapping[str, float], shown: Sequence[str]) -> dict[str, float]:
    """`probs` of the `shown` labels, plus the sum of every other label's as "others (N labels)" when any is left."""
    kept = {label: float(probs.get(label, 0.0)) for label in shown}
    rest = [label for label in probs if label not in kept]
    if rest:
        kept[others_name(len(rest))] = round(sum(float(probs[label]) for label in rest), 6)
    return kept


def top_probabilities(probs: Mapping[str, float], k: int = TOP_K) -> dict[str, float]:
    """The `k` most probable labels and "others" summed (most probable first); every label when there are few."""
    return with_others(probs, top_labels([probs], list(probs), k))


def audit_by_label(rows: Any, labels: Sequence[str]) -> LabelReport | None:
    """Per-label figures and top confusions of an audit's rows (`gold` and `label` columns), over the rows whose
    gold label is one of the model's (a name or its index); None when the audit had no label column."""
    if "gold" not in rows or rows.empty:
        return None
    gold = gold_indices([str(value) for value in rows["gold"]], labels)
    known = [i for i, index in enumerate(gold) if index is not None]
    if not known:
        return None
    predicted = rows["label"].astype(str).tolist()
    gold_names = [labels[index] for index in gold if index is not None]
    return label_report(gold_names, [predicted[i] for i in known], labels)


def label_table(report: LabelReport) -> list[dict[str, Any]]:
    """The per-label rows an audit shows, worst recall first (labels without gold rows left out)."""
    rows = [vars(figures) for figures in report.labels if figures.support]
    return sorted(rows, key=lambda row: (row["recall"], row["label"]))
