"""Figures and exports read in a file as on the page (colours, room for labels, tags inside their cells), and the
audit report's accuracy per label."""

from __future__ import annotations

import importlib
import json
import re

import numpy as np
import pandas as pd
import plotly.io as pio

from core.path import BUILTIN_GROUPS
from core.ui import AuditView, figures
from core.ui.export import _figure

STREAMLIT_PLACEHOLDER = re.compile(r"#0000(0[1-9]|10)")  # streamlit's template: colours only its app resolves


def _figure_json(html: str) -> dict:
    """The figure a `_figure` block draws (its data and layout, as Plotly.newPlot receives them)."""
    call = html[html.index("Plotly.newPlot(") :]
    start = call.index("[")
    data, end = json.JSONDecoder().raw_decode(call[start:])
    layout, _ = json.JSONDecoder().raw_decode(call[start + end :].lstrip(", "))
    return {"data": data, "layout": layout}


def test_an_exported_figure_draws_in_plotlys_colours_with_room_for_its_labels() -> None:
    importlib.import_module("streamlit")  # as in the app: streamlit makes its own template plotly's default
    assert pio.templates.default == "streamlit"
    rows = [{"method": "gxi", "comprehensiveness": 0.4, "sufficiency": 0.1}]
    exported = _figure_json(_figure(figures.faithfulness(rows, None)))
    colourway = exported["layout"]["template"]["layout"]["colorway"]
    assert not any(STREAMLIT_PLACEHOLDER.fullmatch(c) for c in colourway) and len(set(colourway[:2])) == 2
    assert exported["layout"]["xaxis"]["automargin"] and exported["layout"]["yaxis"]["automargin"]
    scatter = _figure_json(_figure(figures.cost_vs_confidence([])))
    assert "<br>" in scatter["layout"]["title"]["text"] and scatter["layout"]["margin"]["t"] >= 90


def test_prog_tags_sit_inside_their_cells_and_group_names_alternate() -> None:
    maps = {(0, 0): np.ones((4, 4)), (0, 1): np.ones((4, 4))}
    grid = figures.attention_grid(maps, 1, 2, [0], programmed={(0, 1)}).to_plotly_json()
    tag = next(a for a in grid["layout"]["annotations"] if a.get("text") == "prog")
    assert (tag["xref"], tag["yref"], tag["xanchor"], tag["yanchor"]) == ("x2 domain", "y2 domain", "left", "top")
    graph = figures.template_graph(6, 12, BUILTIN_GROUPS, range(6), range(6), set(), ()).to_plotly_json()
    positions = graph["data"][2]["textposition"]
    assert positions[:4] == ["bottom center", "top center", "bottom center", "top center"]


def test_accuracy_per_label_leaves_out_labels_the_model_does_not_know() -> None:
    rows = pd.DataFrame({"gold": ["positive", "1", "maybe"], "correct": [True, False, False]})
    view = AuditView({"labels": ["negative", "positive"], "labelled": 2}, rows)
    accuracy = view.label_accuracy().set_index("gold")["accuracy"]
    assert accuracy["positive"] == 1.0 and accuracy["1"] == 0.0 and pd.isna(accuracy["maybe"])
    seven = pd.DataFrame({"gold": ["positive", "1", "7"], "correct": [True, False, False]})  # 7 is no position:
    accuracy = AuditView({"labels": ["negative", "positive"], "labelled": 1}, seven).label_accuracy()
    assert accuracy.set_index("gold")["accuracy"][["1", "7"]].isna().all()  # so no number is read as one
