"""Long texts: windows batched without changing a score, cheap methods first, progress per window, cancellation."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from core.errors import InputError
from core.explain import ExplanationCancelledError, IGOptions, explain
from core.run import PathEngine

LONG = " ".join(
    ["The acting was wooden and the plot made no sense at all.", "Still, the music was lovely and warm."] * 45
)


def test_batched_windows_score_exactly_like_one_window_at_a_time(
    bundled_engine: PathEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = bundled_engine.parse("depth=4; heads_off=1.2")
    methods = ("gxi", "saliency", "lrp")
    batched = explain(bundled_engine, LONG, spec, methods=methods, score_faithfulness=False)
    assert batched.windows >= 3
    monkeypatch.setattr("core.explain.explainer.TOKENS_PER_STEP_BATCH", 1)  # one window per forward/backward
    single = explain(bundled_engine, LONG, spec, methods=methods, score_faithfulness=False)
    for method in methods:
        np.testing.assert_allclose(batched.methods[method].scores, single.methods[method].scores, rtol=1e-4, atol=1e-6)


def test_cheap_methods_run_first_with_progress_per_window(bundled_engine: PathEngine) -> None:
    spec = bundled_engine.parse("full")
    heard: list[tuple[float, str]] = []
    result = explain(
        bundled_engine,
        LONG,
        spec,
        methods=("ig", "lrp", "attention"),
        ig=IGOptions(2),
        score_faithfulness=False,
        progress=lambda fraction, message: heard.append((fraction, message)),
    )
    assert list(result.methods) == ["ig", "lrp", "attention"], "results keep the asked order"
    started = [message.split(":")[0] for _, message in heard if "window 1 of" in message]
    assert started == ["attention", "lrp", "ig"]
    windows = result.windows
    assert {f"ig: window {w} of {windows}" for w in range(1, windows + 1)} <= {m for _, m in heard}
    fractions = [fraction for fraction, _ in heard]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_a_cancelled_explanation_stops_between_windows(bundled_engine: PathEngine) -> None:
    spec = bundled_engine.parse("full")
    stop = threading.Event()
    windows_started: list[str] = []

    def progress(_fraction: float, message: str) -> None:
        if "window" in message:
            windows_started.append(message)
            if len(windows_started) == 2:
                stop.set()

    with pytest.raises(ExplanationCancelledError, match="cancelled during ig after 2 of"):
        explain(bundled_engine, LONG, spec, methods=("ig",), ig=IGOptions(2), progress=progress, cancel=stop.is_set)
    assert len(windows_started) == 2, "no window starts after the cancel"


def test_the_decision_given_by_the_caller_is_not_made_again_and_changes_nothing(
    bundled_engine: PathEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = bundled_engine.parse("depth=4")
    decision = bundled_engine.decide(LONG, spec)
    decided_again = explain(bundled_engine, LONG, spec, methods=("lrp",), score_faithfulness=False)

    def no_second_decision(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the text was decided again")

    monkeypatch.setattr("core.explain.explainer.run_token_lists", no_second_decision)
    given = explain(
        bundled_engine, LONG, spec, methods=("lrp",), score_faithfulness=False, decided_logits=decision.logits
    )
    assert given.probs == decided_again.probs and given.label == decision.label
    assert given.methods["lrp"].scores == decided_again.methods["lrp"].scores
    with pytest.raises(InputError, match="3 logits but the model has 2 labels"):
        explain(bundled_engine, LONG, spec, methods=("lrp",), decided_logits=(0.1, 0.2, 0.3))
