"""The dashboard's cost comparison (timed alike, ratios only where supported) and the explanation cost preview."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.explain import explain
from core.run import REPEATS, PathEngine, Timing
from core.service import DecisionService
from core.ui import format_flops, template_view
from core.ui.cost_view import CostComparison, cost_comparison
from core.ui.explain_plan import FAITHFULNESS_DECISIONS, default_methods, explain_cost, methods_for

TEXT = "The plot was thin but the acting was wonderful and I would watch it again."


def _comparison(mine: tuple[float, ...], full: tuple[float, ...], first: float = 50.0) -> CostComparison:
    cost = {"layers_run": 3, "heads_run": 36, "flops": 100}
    return CostComparison(
        cost, {**cost, "layers_run": 6, "heads_run": 72, "flops": 200}, Timing(first, mine), Timing(9.0, full)
    )


def test_a_time_ratio_is_shown_only_when_the_warm_ranges_do_not_overlap() -> None:
    apart = _comparison((4.0, 5.0, 6.0), (9.0, 10.0, 12.0))
    assert apart.time_share == pytest.approx(5.0 / 10.0)
    overlapping = _comparison((4.0, 5.0, 11.0), (9.0, 10.0, 12.0))
    assert overlapping.time_share is None
    assert "cannot tell" in overlapping.time_verdict()
    assert [row["measure"] for row in apart.rows()] == ["layers", "heads", "FLOPs"]  # no ms ratio among them
    assert apart.rows()[2]["share"] == pytest.approx(0.5)


def test_a_text_too_long_to_repeat_shows_no_time_ratio() -> None:
    unrepeated = _comparison((), ())
    assert unrepeated.time_share is None and "compare them by FLOPs" in unrepeated.time_verdict()
    assert all("not repeated" in row["warm time"] for row in unrepeated.timing_rows())


def test_first_run_set_up_is_reported_apart_from_warm_time() -> None:
    timing = Timing(first_ms=80.0, warm_ms=(5.0, 6.0, 7.0))
    assert timing.median_ms == 6.0 and timing.setup_ms == pytest.approx(73.0)
    assert Timing(first_ms=6.5, warm_ms=(5.0, 6.0, 7.0)).setup_ms is None


def test_both_paths_are_timed_alike_on_the_same_text(bundled_engine: PathEngine) -> None:
    spec = bundled_engine.parse("depth=3; heads_off=1.2; withhold=email")
    audited = DecisionService(bundled_engine, None).decide(TEXT, spec, reference=True)
    compared = cost_comparison(audited)
    assert len(compared.executed_timing.warm_ms) == len(compared.full_timing.warm_ms)
    assert 1 <= len(compared.full_timing.warm_ms) <= REPEATS
    assert compared.executed_timing.first_ms == audited.decision.cost.latency_ms
    assert compared.full_timing.first_ms == audited.reference.cost.latency_ms
    full = bundled_engine.decide(TEXT, bundled_engine.parse("withhold=email"))
    assert compared.full["flops"] == full.cost.flops and compared.full["layers_run"] == 6
    executed = bundled_engine.decide(TEXT, spec).cost
    assert compared.rows()[2]["share"] == pytest.approx(executed.flops / full.cost.flops)


def test_the_full_path_is_its_own_reference_and_is_timed_once(bundled_engine: PathEngine) -> None:
    audited = DecisionService(bundled_engine, None).decide(TEXT, bundled_engine.parse("full"), reference=True)
    assert audited.reference is audited.decision
    compared = cost_comparison(audited)
    assert compared.full_timing is compared.executed_timing and compared.time_share is None
    assert compared.rows()[2]["share"] == 1.0
    assert [row["path"] for row in compared.timing_rows()] == ["this path (its own full-path reference)"]
    assert "its own full-path reference" in compared.time_verdict() and "cannot tell" not in compared.time_verdict()


@pytest.mark.parametrize("path", ["withhold=email", "block=email"])
def test_a_path_that_is_its_own_reference_shows_one_timing_row(bundled_engine: PathEngine, path: str) -> None:
    audited = DecisionService(bundled_engine, None).decide(TEXT, bundled_engine.parse(path), reference=True)
    assert len(cost_comparison(audited).timing_rows()) == 1
    shorter = DecisionService(bundled_engine, None).decide(TEXT, bundled_engine.parse("depth=2"), reference=True)
    assert [row["path"] for row in cost_comparison(shorter).timing_rows()] == ["this path", "full path"]


def test_flops_read_with_units() -> None:
    assert format_flops(108_716_387_328) == "108.7 GFLOP" and format_flops(191_851_008) == "191.9 MFLOP"
    readable = _comparison((4.0,), (9.0,)).readable_rows()
    assert readable[2]["this path"] == "100 FLOP" and readable[0]["full path"] == "6"


def test_int8_offers_only_the_methods_that_work(bundled_engine: PathEngine) -> None:
    assert methods_for(bundled_engine.parse("precision=int8")) == ("attention", "occlusion")
    assert default_methods(methods_for(bundled_engine.parse("precision=int8"))) == ["attention"]
    assert methods_for(bundled_engine.parse("depth=2"))[-1] == "ig"  # the dearest last
    assert default_methods(methods_for(bundled_engine.parse("depth=2"))) == ["gxi", "attention"]


def test_the_preview_counts_the_windows_the_explanation_runs(bundled_engine: PathEngine) -> None:
    long_text = "a fine film, well acted " * 120
    spec = bundled_engine.parse("depth=1")
    plan = explain_cost(bundled_engine, long_text, spec, ["gxi", "attention"], n_steps=10)
    reference = explain(bundled_engine, long_text, spec, methods=("attention",), score_faithfulness=False)
    assert plan.windows == reference.windows > 1
    assert plan.methods == ("attention", "gxi") and plan.window_runs == 2 * plan.windows
    assert plan.passes == plan.windows * (1 + 3 + 2 * FAITHFULNESS_DECISIONS)


def test_the_model_page_says_how_the_exits_were_calibrated(bundled_engine: PathEngine) -> None:
    view = template_view(bundled_engine)
    temperatures = bundled_engine.model.heads_meta["calibration"]["temperatures"]
    assert view.calibration["temperatures"] == temperatures
    assert f"{temperatures[0]:.2f}" in view.calibration_note and "held-out" in view.calibration_note
    assert replace(view, calibration={}).calibration_note == ""
