"""The Decide page's heads grid: coloured by each head's importance for the decision shown; clicking a head switches
it off in the sidebar's path and decides the text again, showing the change."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.advise.importance import head_importance
from core.run import PathEngine
from core.ui.head_grid import grid_css, head_colour

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TEXT = "a gorgeous, witty and moving film"


def test_clicking_the_most_important_head_switches_it_off_and_decides_again(
    bundled_engine: PathEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATHLENS_STORE", str(tmp_path / "decisions.sqlite"))
    at = AppTest.from_file(APP, default_timeout=240).run()
    at.text_area(key="pl_w_text").input(TEXT).run()
    at.sidebar.pills(key="pl_w_heads_5").unselect(7).run()
    at.multiselect(key="pl_w_methods").set_value([]).run()
    at.button(key="pl_w_decide").click().run()
    assert not at.exception, [e.value for e in at.exception]
    spec = bundled_engine.parse("heads_off=5.7")
    weights = head_importance(bundled_engine, TEXT, spec)
    values = {(i, j): v for i, row in enumerate(weights.heads) for j, v in enumerate(row) if v is not None}
    assert len(values) == 71 and weights.heads[5][7] is None
    assert at.button(key="pl_w_grid_head_5_7").disabled and not at.button(key="pl_w_grid_head_5_6").disabled
    styles = " ".join(m.value for m in at.markdown if m.value.startswith("<style>"))
    assert styles == grid_css(weights)
    layer, head = max(values, key=lambda pair: values[pair])
    button = at.button(key=f"pl_w_grid_head_{layer}_{head}")
    assert button.label == f"{values[(layer, head)]:+.2f}"
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    after = spec.replace(heads_off=spec.heads_off | {(layer, head)})
    assert at.session_state["pl_path"] == after.canonical
    assert at.sidebar.text_input(key="pl_w_path").value == after.canonical
    assert head not in at.sidebar.pills(key=f"pl_w_heads_{layer}").value
    before, changed = bundled_engine.decide(TEXT, spec), bundled_engine.decide(TEXT, after)
    index = list(bundled_engine.model.labels).index(before.label)
    shown = next(i.value for i in at.info if i.value.startswith(f"Head {layer}.{head} off"))
    assert f"its logit drops by {before.logits[index] - changed.logits[index]:+.3f}" in shown
    assert f"(estimated {values[(layer, head)]:+.3f})" in shown
    assert f"{changed.probs[before.label]:.1%}" in shown


def test_head_colours_follow_the_sign_and_size_of_the_importance() -> None:
    assert head_colour(2.0, 2.0) == "rgb(255,0,0)" and head_colour(-1.0, 2.0) == "rgb(128,128,255)"
    assert head_colour(0.0, 0.0) == "rgb(255,255,255)" and head_colour(None, 1.0) == "#e6e6e6"
