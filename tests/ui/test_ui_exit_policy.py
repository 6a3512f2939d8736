"""The dashboard's exit-policy controls, the stop shown with the decision, and the Model page's trade-off curve."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.run import PathEngine
from core.training import exit_table
from core.ui import state as ui_state
from core.ui.path_builder import controls_of

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "audit_sample.csv"
TEXT = "Flat characters and a script that goes nowhere."


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_policy_controls_build_the_path_and_the_decision_shows_where_it_stopped(bundled_engine: PathEngine) -> None:
    at = _app()
    at.sidebar.text_input(key="pl_w_path").input("depth=4; exit=patience:2").run()
    assert at.sidebar.selectbox(key="pl_w_exit_rule").value == "patience"
    assert at.sidebar.number_input(key="pl_w_exit_patience").value == 2
    at.sidebar.checkbox(key="pl_w_group_email").check().run()  # another control keeps the policy
    assert at.sidebar.text_input(key="pl_w_path").value == "depth=4; withhold=email; exit=patience:2"
    at.sidebar.selectbox(key="pl_w_exit_rule").select("confidence").run()
    at.sidebar.slider(key="pl_w_exit_threshold").set_value(0.95).run()
    assert at.sidebar.text_input(key="pl_w_path").value == "depth=4; withhold=email; exit=confidence>=0.95"
    at.text_area(key="pl_w_text").input(TEXT).run()
    at.sidebar.number_input(key="pl_w_steps").set_value(2).run()
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    stop = bundled_engine.decide(TEXT, bundled_engine.parse("depth=4; withhold=email; exit=confidence>=0.95")).exit
    assert stop is not None
    shown = " ".join(info.value for info in at.info)
    assert f"Stopped after layer {stop.layer} ({stop.position + 1} layers run)" in shown
    cost = at.dataframe[0].value.set_index("measure")
    assert cost.loc["layers", "this path"] == str(stop.position + 1) and cost.loc["layers", "full path"] == "6"


def test_model_page_draws_the_tradeoff_and_the_current_policy(bundled_engine: PathEngine) -> None:
    at = _app()
    at.sidebar.text_input(key="pl_w_path").input("exit=confidence>=0.9").run()
    at.switch_page("pages/model.py").run()
    at.selectbox(key="pl_w_tradeoff_sample").select(SAMPLE.name).run()
    next(b for b in at.button if b.label == "Compute the trade-off").click().run()
    assert not at.exception, [e.value for e in at.exception]
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    curve = next(f for f in figures if f["layout"]["title"]["text"] == "Exit policies: accuracy vs compute")
    traces = {trace["name"]: trace for trace in curve["data"]}
    expected = exit_table(bundled_engine, SAMPLE, "text", "label").outcome(
        bundled_engine.parse("exit=confidence>=0.9").exit
    )
    current = traces["current: exit=confidence>=0.9"]
    assert (current["x"][0], current["y"][0]) == (expected["compute_saved"], expected["accuracy"])
    assert len(traces["confidence ≥ T"]["x"]) == 13 and len(traces["patience N"]["x"]) == 5


def test_a_threshold_schedule_survives_the_sidebar(bundled_engine: PathEngine) -> None:
    """A scheduled path put in the sidebar (e.g. the advisor's "use this path") reads back whole; the slider sets the
    first threshold and the later ones stay."""
    spec = bundled_engine.parse("exit=confidence>=0.9,0.8,0.7")
    state: dict = {}
    ui_state.write_controls(state, spec)
    assert ui_state.read_controls(state, controls_of(spec)).exit == "confidence>=0.9,0.8,0.7"
    state[ui_state.W_EXIT_THRESHOLD] = 0.95
    assert ui_state.read_controls(state, controls_of(spec)).exit == "confidence>=0.95,0.8,0.7"
    ui_state.write_controls(state, bundled_engine.parse("exit=confidence>=0.9"))
    assert ui_state.read_controls(state, controls_of(spec)).exit == "confidence>=0.9"
