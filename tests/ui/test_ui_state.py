"""What the user chose stays chosen across pages; what no longer applies is cleared."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_coming_back_to_decide_keeps_the_methods_and_the_target() -> None:
    at = AppTest.from_file(APP, default_timeout=240).run()
    at.multiselect(key="pl_w_methods").set_value(["saliency"]).run()
    at.selectbox(key="pl_w_target").select("negative").run()
    at.switch_page("pages/model.py").run()
    at.switch_page("pages/decide.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="pl_w_methods").value == ["saliency"]
    assert at.selectbox(key="pl_w_target").value == "negative"


def test_a_refused_set_of_widgets_shows_no_canonical_path() -> None:
    at = AppTest.from_file(APP, default_timeout=240).run()
    at.sidebar.slider(key="pl_w_depth").set_value(2).run()
    assert at.sidebar.text_input(key="pl_w_path").value == "depth=2"
    at.sidebar.pills(key="pl_w_layers").unselect(0).run()
    at.sidebar.pills(key="pl_w_layers").unselect(1).run()
    assert "no layer is switched on" in at.sidebar.error[0].value
    assert at.sidebar.text_input(key="pl_w_path").value == ""  # not the last valid path beside the refusal
    assert at.button(key="pl_w_decide").disabled
