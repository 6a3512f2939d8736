"""Adaptive IG over a long text's windows: each window complete against the text's scale, close to fixed-step IG."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import core.explain.explainer
from core.explain import ExplanationCancelledError, IGOptions, explain
from core.explain.adaptive_ig import ABSOLUTE_DELTA_FLOOR
from core.explain.methods import WindowScores
from core.run import Batch, PathEngine, path_logits, plan_windows, window_ids

TEXT = " ".join(
    ["A dull, lifeless and badly acted mess.", "Only the score, warm and lovely, saves a scene or two."] * 18
)
PATH = "depth=2"


def _window_gap(engine: PathEngine, ids: list[int], target: int) -> float:
    """f(x) - f(baseline) of one window from a plain forward, independent of the quadrature."""
    spec = engine.parse(PATH)
    baseline = [ids[0], *[engine.model.pad_id] * (len(ids) - 2), ids[-1]]
    with torch.no_grad():
        logits = path_logits(engine.model.base, Batch(torch.tensor([ids, baseline]), torch.ones(2, len(ids))), spec)
    probs = torch.softmax(logits, -1)[:, target]
    return float(probs[0] - probs[1])


def test_each_window_is_complete_against_the_larger_of_its_gap_and_the_texts(
    bundled_engine: PathEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = bundled_engine.parse(PATH)
    seen: list[WindowScores] = []
    original = core.explain.explainer.adaptive_ig_windows

    def recorded(*args: Any) -> list[WindowScores]:
        seen.extend(original(*args))
        return seen

    monkeypatch.setattr(core.explain.explainer, "adaptive_ig_windows", recorded)
    adaptive = explain(bundled_engine, TEXT, spec, ("ig",), score_faithfulness=False)
    ids = bundled_engine.prepare(TEXT, spec).token_ids
    plan = plan_windows(len(ids) - 2, bundled_engine.model.window)
    assert len(seen) == len(plan) >= 2
    target = bundled_engine.model.labels.index(adaptive.target)
    gaps = [_window_gap(bundled_engine, window_ids(ids, span), target) for span in plan.spans]
    scale = sum(w * abs(g) for w, g in zip(plan.weights, gaps, strict=True))
    for window, gap in zip(seen, gaps, strict=True):
        assert window.gap == pytest.approx(gap, abs=1e-5)
        assert window.scale == pytest.approx(max(abs(gap), scale), abs=1e-5)
        assert window.within_tolerance
        assert abs(window.delta) <= max(0.05 * window.scale, ABSOLUTE_DELTA_FLOOR)
    result = adaptive.methods["ig"]
    assert result.relative_delta == pytest.approx(max(abs(w.delta) / w.scale for w in seen))
    fixed = explain(bundled_engine, TEXT, spec, ("ig",), ig=IGOptions(32), score_faithfulness=False).methods["ig"]
    ours, reference = np.array(result.scores), np.array(fixed.scores)
    assert ours @ reference / (np.linalg.norm(ours) * np.linalg.norm(reference)) >= 0.99


def test_adaptive_ig_reports_progress_per_window_and_stops_when_cancelled(bundled_engine: PathEngine) -> None:
    spec = bundled_engine.parse(PATH)
    heard: list[str] = []
    result = explain(
        bundled_engine,
        TEXT,
        spec,
        ("ig",),
        score_faithfulness=False,
        progress=lambda _f, message: heard.append(message),
    )
    first_pass = [message for message in heard if message.startswith("ig: window")]
    assert first_pass == [f"ig: window {w} of {result.windows}" for w in range(1, result.windows + 1)]
    heard.clear()
    with pytest.raises(ExplanationCancelledError, match="during ig after 1 of"):
        explain(
            bundled_engine,
            TEXT,
            spec,
            ("ig",),
            progress=lambda _f, message: heard.append(message),
            cancel=lambda: bool(heard) and heard[-1].startswith("ig: window 1 of"),
        )
    assert heard[-1].startswith("ig: window 1 of"), "nothing starts after the cancel"
