"""Programmed attention on the dashboard: composing block/emphasize clauses, and the grid naming programmed heads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core import ui
from core.run import PathEngine

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TEXT = "Mail me at ann@example.com: the service was slow and rude."


def test_composed_clauses_merge_and_survive_widget_changes(bundled_engine: PathEngine) -> None:
    program = ui.merge_program("", ui.program_clause("block", "email", "0-2"))
    program = ui.merge_program(program, ui.program_clause("emphasize", "url", "3.*", 0.05))
    program = ui.merge_program(program, ui.program_clause("block", "email"))
    assert program == "emphasize=url@3.*:0.05; block=email"
    controls = ui.controls_of(bundled_engine.parse("depth=4; " + program))
    spec = ui.path_from_controls(bundled_engine, controls)
    assert spec.canonical == "depth=4; block=email; emphasize=url@3.*:0.05"
    with pytest.raises(ui.UserError, match="not 'erase'"):
        ui.program_clause("erase", "email")


def test_decide_page_blocks_a_group_and_marks_the_programmed_heads() -> None:
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.text_area(key="pl_w_text").input(TEXT).run()
    at.sidebar.radio(key="pl_w_program_mode").set_value("block").run()
    at.sidebar.selectbox(key="pl_w_program_group").set_value("email").run()
    at.sidebar.text_input(key="pl_w_program_where").input("3-5").run()
    next(b for b in at.sidebar.button if b.label == "Add").click().run()
    assert at.sidebar.text_input(key="pl_w_path").value == "block=email@3-5"
    at.sidebar.number_input(key="pl_w_steps").set_value(4).run()
    next(b for b in at.button if b.label == "Decide").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("token(s) blocked" in w.value for w in at.warning)
    grid = next(
        json.loads(chart.proto.spec)
        for chart in at.get("plotly_chart")
        if "heads that ran" in str(json.loads(chart.proto.spec)["layout"].get("title", {}).get("text", ""))
    )
    assert sum(1 for a in grid["layout"]["annotations"] if a.get("text") == "prog") == 3 * 12
    next(b for b in at.sidebar.button if b.label == "Clear").click().run()
    assert at.sidebar.text_input(key="pl_w_path").value == "full"
