"""The model picker's logic and the pages on the shipped banking77 and fintweets models, under AppTest.

AppTest drops the entry script's sidebar widgets from its tree after the first run, so switching by clicking the
picker is tested in a real browser (tests/ui/test_browser.py); here each model is served with PATHLENS_MODEL, and
what a switch resets is tested on `adopt_model` itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.model import load_model
from core.run import PathEngine
from core.service import DecisionService
from core.store import open_store
from core.ui import models as ui_models
from core.ui import state as ui_state

APP = str(Path(__file__).resolve().parents[2] / "app.py")
INTENT = "I still haven't received my new card"
TWEET = "$AAPL cut to neutral at Morgan Stanley"


@pytest.fixture
def store_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    location = tmp_path / "decisions.sqlite"
    monkeypatch.setenv("PATHLENS_STORE", str(location))
    return location


def _served(monkeypatch: pytest.MonkeyPatch, name: str) -> AppTest:
    monkeypatch.setenv("PATHLENS_MODEL", name)
    at = AppTest.from_file(APP, default_timeout=300).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.radio(key="pl_w_model").value == name and at.session_state["pl_engine"].model.name == name
    return at


def _decide(at: AppTest, text: str) -> str:
    at.text_area(key="pl_w_text").input(text).run()
    at.multiselect(key="pl_w_methods").set_value(["gxi"]).run()
    at.button(key="pl_w_decide").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return str(at.metric[0].value)


def _probability_bars(at: AppTest) -> list[str]:
    for chart in at.get("plotly_chart"):
        figure = json.loads(chart.proto.spec)
        if figure["layout"].get("title", {}).get("text") == "Probabilities":
            return list(figure["data"][0]["y"])
    raise AssertionError("no probability chart")


def test_the_picker_offers_every_shipped_model_with_its_task(store_env: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=300).run()
    picker = at.radio(key="pl_w_model")
    assert picker.value == "sst2" and picker.options[:3] == ["sst2", "banking77", "fintweets"]


def test_banking77_decides_an_intent_with_top_five_bars_and_a_searchable_target(
    store_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _served(monkeypatch, "banking77")
    intent = _decide(at, INTENT)
    labels = at.session_state["pl_engine"].model.labels
    assert len(labels) == 77 and intent in labels
    bars = _probability_bars(at)
    assert len(bars) == 6 and bars[-1] == "others (72 labels)"  # top five and the rest summed, not 77 bars
    assert len(at.selectbox(key="pl_w_target").options) == 78  # the predicted label and all 77 (type to search)
    assert open_store().history(limit=1)[0].model_fingerprint == at.session_state["pl_engine"].model.fingerprint


def test_the_batch_page_audits_the_models_own_sample_with_per_label_figures(
    store_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _served(monkeypatch, "fintweets")
    at.switch_page("pages/audit.py").run()
    assert at.selectbox[0].value == "fintweets_sample.csv"  # the model's own sample is offered first
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(header.value == "By label" for header in at.subheader)
    per_label = at.dataframe[1].value  # after the rows
    assert {"label", "support", "precision", "recall", "f1"} <= set(per_label.columns)
    assert per_label["support"].sum() == 36 and set(per_label["label"]) == {"bearish", "bullish", "neutral"}


def test_history_filters_by_model_and_names_each(
    store_env: Path, monkeypatch: pytest.MonkeyPatch, bundled_engine: PathEngine
) -> None:
    store = open_store(store_env)
    for engine, text in ((bundled_engine, "a warm film"), (PathEngine(load_model("banking77")), INTENT)):
        service = DecisionService(engine, store)
        service.decide(text, engine.parse("full"), compare=False)
        service.close(timeout_s=30)
    at = _served(monkeypatch, "fintweets")
    _decide(at, TWEET)
    at.switch_page("pages/history.py").run()
    assert not at.exception, [e.value for e in at.exception]
    options = at.selectbox(key="pl_w_history_model").options
    assert options[0] == "fintweets (this model)" and options[-1] == "(any model)"
    assert {option.split(" ")[0] for option in options[1:-1]} == {"banking77", "sst2"}
    assert len(at.dataframe[0].value) == 1  # this model's decisions by default
    at.selectbox(key="pl_w_history_model").select("(any model)").run()
    assert set(at.dataframe[0].value["model"].str.split(" ").str[0]) == {"sst2", "banking77", "fintweets"}


def test_a_switch_forgets_the_last_models_results_and_keeps_a_path_that_fits(
    bundled_engine: PathEngine, tiny_checkpoint: Callable[[str], Path]
) -> None:
    state: dict = {ui_models.MODEL_SHOWN: "sst2", ui_state.PATH: "depth=4", ui_state.SPEC: None}
    state |= {ui_state.DECISION: "a decision", ui_state.AUDIT: "an audit", ui_state.W_TARGET: "positive"}
    ui_state.init(state)
    assert not ui_models.adopt_model(state, bundled_engine, "sst2")  # the same model: nothing forgotten
    assert state[ui_state.DECISION] == "a decision"
    assert ui_models.adopt_model(state, bundled_engine, "banking77")
    assert state[ui_state.DECISION] is None and state[ui_state.AUDIT] is None and ui_state.W_TARGET not in state
    assert state[ui_state.PATH] == "depth=4" and state[ui_state.PATH_ERROR] == ""
    tiny = PathEngine(load_model(str(tiny_checkpoint("bert"))))  # three layers: depth=4 does not fit
    assert ui_models.adopt_model(state, tiny, "tiny")
    assert state[ui_state.PATH] == "full" and "does not fit tiny" in state[ui_state.PATH_ERROR]
