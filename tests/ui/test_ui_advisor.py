"""The Model page's path advisor: it draws the frontier with the full and today's path, and "use this path" sets
the sidebar's path."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.errors import InputError
from core.path import PathSpec
from core.run import PathEngine
from core.ui.advisor import run_advisor

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SAMPLE = "audit_sample.csv"


def test_model_page_draws_the_frontier_and_uses_a_path() -> None:
    at = AppTest.from_file(APP, default_timeout=600).run()
    at.sidebar.text_input(key="pl_w_path").input("depth=5").run()
    at.switch_page("pages/model.py").run()
    at.selectbox(key="pl_w_advice_sample").select(SAMPLE).run()
    next(b for b in at.button if b.label == "Find paths").click().run()
    assert not at.exception, [e.value for e in at.exception]
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    frontier = next(f for f in figures if f["layout"]["title"]["text"] == "Paths: accuracy vs cost")
    traces = {trace["name"]: trace for trace in frontier["data"]}
    assert {"frontier", "full path", "recommended", "today's path: depth=5"} <= set(traces)
    assert traces["full path"]["text"] == ["full"] and traces["today's path: depth=5"]["text"] == ["depth=5"]
    assert all(isinstance(path, str) and path for path in traces["frontier"]["text"])
    pick = at.selectbox(key="pl_w_advice_pick")
    chosen = pick.options[-1]
    pick.select(chosen).run()
    next(b for b in at.button if b.label == "Use this path").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["pl_path"] == chosen
    at.switch_page("pages/decide.py").run()
    assert at.sidebar.text_input(key="pl_w_path").value == chosen


def test_the_advisor_refuses_a_table_of_one_label(bundled_engine: PathEngine) -> None:
    frame = pd.DataFrame({"text": ["a fine film", "a great cast"] * 10, "label": ["positive"] * 20})
    with pytest.raises(InputError, match="every gold label of the table is 'positive'"):
        full = PathSpec.full(bundled_engine.model.template)
        run_advisor(bundled_engine, frame, "loss<=0.5", "flops", 0, full, lambda *_: None)
