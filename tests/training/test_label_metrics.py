"""Per-label figures, macro-F1 and top confusions (core/training/label_metrics.py)."""

from __future__ import annotations

import pytest

from core.training.label_metrics import label_report


def test_figures_by_hand() -> None:
    gold = ["a", "a", "a", "b", "b", "c"]
    predicted = ["a", "b", "b", "b", "a", "b"]
    report = label_report(gold, predicted, ["a", "b", "c", "d"])
    figures = {f.label: f for f in report.labels}
    assert (figures["a"].support, figures["a"].predicted, figures["a"].precision, figures["a"].recall) == (
        3,
        2,
        0.5,
        0.3333,
    )
    assert (
        figures["b"].precision == 0.25
        and figures["b"].recall == 0.5
        and figures["b"].f1 == pytest.approx(1 / 3, abs=1e-4)
    )
    assert figures["c"].f1 == 0.0 and figures["d"].support == 0
    # macro-F1 averages the labels that have gold rows (a, b, c), not d
    assert report.macro_f1 == pytest.approx((0.4 + 1 / 3 + 0) / 3, abs=1e-4)
    assert report.accuracy == pytest.approx(2 / 6, abs=1e-4)
    assert report.confusions[0] == ("a", "b", 2)  # the most frequent first
    assert set(report.confusions[1:]) == {("b", "a", 1), ("c", "b", 1)}


def test_top_confusions_are_cut_and_json_is_plain() -> None:
    gold = [f"intent_{i}" for i in range(30)]
    predicted = [f"intent_{(i + 1) % 30}" for i in range(30)]
    report = label_report(gold, predicted, gold, top=5)
    assert len(report.confusions) == 5 and report.accuracy == 0.0
    data = report.to_json()
    assert data["top_confusions"][0] == {"gold": "intent_0", "predicted": "intent_1", "count": 1}
    assert len(data["by_label"]) == 30 and data["by_label"][0]["label"] == "intent_0"
