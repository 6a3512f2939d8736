"""Many labels drawn readably: top-k probabilities with "others" summed (core/ui/labels.py, core/ui/figures.py)."""

from __future__ import annotations

import pytest

from core.ui import figures
from core.ui.labels import top_labels, top_probabilities, with_others

INTENTS = {f"intent_{i:02d}": 0.0 for i in range(77)}


def _probs(**high: float) -> dict[str, float]:
    rest = (1 - sum(high.values())) / (77 - len(high))
    return {label: high.get(label, rest) for label in INTENTS}


def test_seventy_seven_labels_become_the_top_five_and_others() -> None:
    probs = _probs(intent_40=0.6, intent_03=0.2, intent_76=0.1, intent_10=0.05, intent_11=0.02)
    top = top_probabilities(probs)
    assert list(top) == ["intent_40", "intent_03", "intent_76", "intent_10", "intent_11", "others (72 labels)"]
    assert top["others (72 labels)"] == pytest.approx(0.03, abs=1e-6)
    assert sum(top.values()) == pytest.approx(1.0, abs=1e-6)


def test_few_labels_are_all_drawn_in_their_order() -> None:
    probs = {"bearish": 0.1, "bullish": 0.2, "neutral": 0.7}
    assert top_probabilities(probs) == probs
    assert top_labels([probs], list(probs)) == ["bearish", "bullish", "neutral"]


def test_paths_share_the_union_of_their_top_labels() -> None:
    first, second = _probs(intent_01=0.9), _probs(intent_02=0.8)
    shown = top_labels([first, second], list(INTENTS), k=1)
    assert shown == ["intent_01", "intent_02"]
    assert list(with_others(second, shown)) == ["intent_01", "intent_02", "others (75 labels)"]


def test_figures_draw_top_k_bars() -> None:
    probs = _probs(intent_40=0.6)
    assert len(figures.probabilities(probs).data[0].y) == 6
    rows = [{"path": "full", "probs": probs, "executed": True}, {"path": "depth=2", "probs": None, "status": "pending"}]
    names = [bar.name for bar in figures.path_probabilities(rows, list(INTENTS)).data]
    assert names[0] == "intent_40" and names[-1] == "others (72 labels)" and len(names) == 6
