"""The path advisor on the Model page: run it on a labelled table, draw its frontier, use a path it found.

Its session-state key lives here (not in `core.ui.state`) so that the advisor stays one self-contained addition.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from core.advise import Budget, advise, split_rows
from core.audit import gold_indices, require_two_labels
from core.errors import InputError
from core.explain import Progress
from core.path import PathSpec
from core.run import PathEngine
from core.ui import state as ui_state

ADVICE = "pl_advice"  # the last advisor run on the Model page: its JSON (core.advise.search.Advice.to_json)
W_ADVICE_PICK = "pl_w_advice_pick"  # the frontier path chosen for "use this path"
STAGES = ("importance", "search", "measure")


def init(state: MutableMapping[str, Any]) -> None:
    state.setdefault(ADVICE, None)


def run_advisor(
    engine: PathEngine,
    frame: pd.DataFrame,
    budget: str,
    objective: str,
    seed: int,
    current: PathSpec,
    progress: Progress,
) -> dict[str, Any]:
    """The advisor on `frame` (`text`, `label`), half searched and half held out, today's path measured beside."""
    parsed = Budget.parse(budget)
    missing = [c for c in ("text", "label") if c not in frame.columns]
    if missing:
        raise InputError(f"the table has no column {', '.join(map(repr, missing))}: give `text` and `label` columns")
    gold = gold_indices([str(value) for value in frame["label"]], engine.model.labels)
    if None in gold:
        raise InputError(f"the labels must be the model's labels {list(engine.model.labels)} (or indices into them)")
    require_two_labels(gold, engine.model.labels, "the table")
    search, held = split_rows(len(frame), seed, 0.5)

    def tick(stage: str, fraction: float) -> None:
        done = (STAGES.index(stage) + fraction) / len(STAGES)
        progress(min(done, 1.0), f"{stage}: {fraction:.0%}")

    return advise(
        engine,
        frame.iloc[search],
        frame.iloc[held],
        [int(gold[row] or 0) for row in search],
        budget=parsed,
        objective=objective,
        seed=seed,
        sensitivity_rows=256,
        progress=tick,
        also=[current],
    ).to_json()


def use_path(state: MutableMapping[str, Any], engine: PathEngine) -> None:
    """Callback of "use this path": the chosen frontier path becomes the sidebar's path."""
    path = state.get(W_ADVICE_PICK)
    if path:
        ui_state.write_controls(state, engine.parse(path))
        state[ui_state.PATH_ERROR] = ""


def frontier_figure(advice: dict[str, Any], current_path: str) -> go.Figure:
    """Accuracy (y) against seconds per 1,000 rows (x) on the held-out rows: the frontier, the full path, today's
    path and the recommendation; hovering a point shows its path."""
    fig = go.Figure()

    def add(name: str, points: list[dict[str, Any]], marker: dict[str, Any], mode: str = "markers") -> None:
        fig.add_trace(
            go.Scatter(
                x=[1000 / p["rows_per_s"] for p in points],
                y=[p["accuracy"] for p in points],
                mode=mode,
                name=name,
                marker=marker,
                text=[p["path"] for p in points],
                customdata=[[p["agreement"], p["rows_per_s"], p["flops"] / 1e6] for p in points],
                hovertemplate="%{text}<br>accuracy %{y:.2%} · agreement %{customdata[0]:.2%}<br>"
                "%{customdata[1]:.0f} rows/s · %{customdata[2]:.1f} MFLOPs per row<extra></extra>",
            )
        )

    add("frontier", advice["frontier"], {"color": "#2a9d8f", "size": 9}, "lines+markers")
    add("full path", [advice["full"]], {"color": "#264653", "size": 14, "symbol": "square"})
    add("recommended", [advice["recommended"]], {"color": "#e9c46a", "size": 16, "symbol": "diamond"})
    today = [p for p in advice.get("also", []) if p["path"] == current_path]
    if today:
        add(f"today's path: {current_path}", today, {"color": "#e76f51", "size": 14, "symbol": "star"})
    fig.update_xaxes(title="seconds per 1,000 rows (measured on the held-out rows)", rangemode="tozero")
    fig.update_yaxes(title="accuracy", tickformat=".1%")
    fig.update_layout(title="Paths: accuracy vs cost", height=380, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig
