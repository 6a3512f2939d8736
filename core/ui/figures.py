"""Plotly figures of the dashboard, built from plain data (lists, dicts, numpy arrays); no Streamlit here."""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.ui.labels import top_labels, top_probabilities, with_others

OFF_COLOUR = "#bbbbbb"
RUN_COLOUR = "#2a9d8f"
SKIP_COLOUR = "#eeeeee"
FLIP_COLOUR = "#c0392b"
_PALETTE = ("#2a9d8f", "#e76f51", "#264653", "#e9c46a", "#8ab17d", "#6d597a")
_THUMB_TOKENS = 32  # attention thumbnails are average-pooled to at most this many tokens per side


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(title=title, height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def probabilities(probs: Mapping[str, float], title: str = "Probabilities") -> go.Figure:
    probs = top_probabilities(probs)  # many labels: the top few and "others" summed
    labels = list(probs)
    fig = go.Figure(
        go.Bar(x=[probs[k] for k in labels], y=labels, orientation="h", text=[f"{probs[k]:.1%}" for k in labels])
    )
    fig.update_xaxes(range=[0, 1], tickformat=".0%")
    return _layout(fig, title, 60 + 40 * len(labels))


def cost_shares(rows: Sequence[Mapping[str, Any]]) -> go.Figure:
    """Bars of this path's cost as a share of the full path's, per exact measure (layers, heads, FLOPs)."""
    fig = go.Figure(
        go.Bar(
            x=[row["measure"] for row in rows],
            y=[row["share"] for row in rows],
            text=[f"{row['share']:.0%}" for row in rows],
            marker_color=RUN_COLOUR,
        )
    )
    fig.add_hline(y=1.0, line_dash="dash", annotation_text="full path")
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    return _layout(fig, "Cost vs the full path", 260)


def token_scores(tokens: Sequence[str], scores: Sequence[float], withheld: Sequence[bool], title: str) -> go.Figure:
    """Attribution per token as bars (red supports the label, blue opposes); withheld tokens in grey."""
    colours = [OFF_COLOUR if w else ("#d62728" if s >= 0 else "#1f77b4") for s, w in zip(scores, withheld, strict=True)]
    labels = [f"{i}:{t}" for i, t in enumerate(tokens)]
    fig = go.Figure(go.Bar(x=labels, y=list(scores), marker_color=colours, hovertext=list(tokens)))
    fig.update_xaxes(tickangle=-60, tickfont={"size": 11})
    return _layout(fig, title, 340)


def _pool(matrix: np.ndarray, size: int) -> np.ndarray:
    """Average-pool a (T, T) map down to at most (size, size)."""
    length = matrix.shape[0]
    if length <= size:
        return matrix
    edges = np.linspace(0, length, size + 1).astype(int)
    return np.array(
        [[matrix[a:b, c:d].mean() for c, d in itertools.pairwise(edges)] for a, b in itertools.pairwise(edges)]
    )


def attention_grid(
    maps: Mapping[tuple[int, int], np.ndarray],
    num_layers: int,
    num_heads: int,
    executed: Sequence[int],
    programmed: Collection[tuple[int, int]] = (),
) -> go.Figure:
    """Layer × head grid of small attention heatmaps; heads that did not run are drawn as grey 'off' cells.

    Heads whose attention was programmed (block= / emphasize=) are labelled "prog".
    """
    fig = make_subplots(rows=num_layers, cols=num_heads, horizontal_spacing=0.006, vertical_spacing=0.012)
    for layer in range(num_layers):
        for head in range(num_heads):
            matrix = maps.get((layer, head))
            row, col = layer + 1, head + 1
            if matrix is not None:
                fig.add_trace(
                    go.Heatmap(
                        z=_pool(np.asarray(matrix), _THUMB_TOKENS), coloraxis="coloraxis", name=f"{layer}.{head}"
                    ),
                    row=row,
                    col=col,
                )
                if (layer, head) in programmed:
                    fig.add_annotation(  # anchored inside the cell's top-left corner, so no neighbour covers it
                        text="prog",
                        showarrow=False,
                        font={"size": 9, "color": "white"},
                        bgcolor="rgba(0,0,0,0.55)",
                        xanchor="left",
                        yanchor="top",
                        xref="x domain",
                        yref="y domain",
                        row=row,
                        col=col,
                        x=0,
                        y=1,
                    )
            else:
                state = "off" if layer in executed else "skipped"
                fig.add_trace(
                    go.Heatmap(
                        z=[[0]], colorscale=[[0, OFF_COLOUR], [1, OFF_COLOUR]], showscale=False, hoverinfo="skip"
                    ),
                    row=row,
                    col=col,
                )
                fig.add_annotation(text=state, showarrow=False, font={"size": 9}, row=row, col=col, x=0, y=0)
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=False, autorange="reversed")
    for layer in range(num_layers):
        fig.update_yaxes(title_text=f"L{layer}", title_font={"size": 10}, row=layer + 1, col=1)
    for head in range(num_heads):
        fig.update_xaxes(title_text=f"h{head}", title_font={"size": 10}, side="top", row=1, col=head + 1)
    fig.update_layout(coloraxis={"colorscale": "Viridis", "showscale": False})
    _layout(fig, "Attention of the heads that ran (rows: layers, columns: heads)", 70 * num_layers + 110)
    fig.update_layout(margin={"t": 90})
    return fig


def attention_map(matrix: np.ndarray, tokens: Sequence[str], title: str) -> go.Figure:
    """One (T, T) map with token labels: rows attend (query) to columns (key)."""
    labels = [f"{i}:{t}" for i, t in enumerate(tokens)]
    fig = go.Figure(go.Heatmap(z=np.asarray(matrix), x=labels, y=labels, colorscale="Viridis"))
    fig.update_yaxes(autorange="reversed", tickfont={"size": 10})
    fig.update_xaxes(tickangle=-60, tickfont={"size": 10})
    return _layout(fig, title, 560)


def path_probabilities(rows: Sequence[Mapping[str, Any]], labels: Sequence[str]) -> go.Figure:
    """Stacked probability bars per path; flipped paths are marked, pending or failed ones say so."""
    paths = [("▶ " if row.get("executed") else "") + row["path"] for row in rows]
    shown = top_labels([row["probs"] or {} for row in rows], labels)  # many labels: each path's top few, "others"
    drawn = [with_others(row["probs"] or {}, shown) if row["probs"] else {} for row in rows]
    names = list(dict.fromkeys(name for probs in drawn for name in probs)) or list(shown)
    fig = go.Figure(
        [go.Bar(name=name, y=paths, x=[probs.get(name, 0.0) for probs in drawn], orientation="h") for name in names]
    )
    for index, row in enumerate(rows):
        note = "⚠ flipped" if row.get("flipped") else row.get("status") if row.get("status") != "done" else None
        if note:
            colour = "#c0392b" if row.get("flipped") else "#777777"
            fig.add_annotation(x=1.0, y=index, text=note, showarrow=False, xanchor="left", font={"color": colour})
    fig.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.15})
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 1.18], tickformat=".0%")
    return _layout(fig, "Probabilities per path", 110 + 34 * len(rows))


def cost_vs_confidence(rows: Sequence[Mapping[str, Any]]) -> go.Figure:
    """Each computed path as a point numbered as in the table (path on hover): FLOPs against the probability of
    the executed path's label. Axes are padded so that no label is cut, and the y ticks carry enough decimals to
    be distinct when the probabilities are close."""
    numbered = [(index, row) for index, row in enumerate(rows)]
    done = [(i, row) for i, row in numbered if row.get("flops") is not None and row.get("confidence") is not None]
    fig = go.Figure(
        go.Scatter(
            x=[row["flops"] for _, row in done],
            y=[row["confidence"] for _, row in done],
            text=[str(i) for i, _ in done],
            hovertext=[row["path"] for _, row in done],
            mode="markers+text",
            textposition="middle right",
            textfont={"size": 11},
            marker={
                "size": [16 if row.get("executed") else 11 for _, row in done],
                "symbol": ["star" if row.get("executed") else "circle" for _, row in done],
                "color": ["#c0392b" if row.get("flipped") else RUN_COLOUR for _, row in done],
            },
        )
    )
    flops = [row["flops"] for _, row in done] or [1]
    confidences = [row["confidence"] for _, row in done] or [0.5]
    fig.update_xaxes(title="FLOPs", range=[0, max(flops) * 1.12])
    low, high = min(confidences), max(confidences)
    margin = max((high - low) * 0.15, 0.002)
    fig.update_yaxes(
        title="probability of the executed label",
        range=[max(low - margin, 0.0), min(high + margin, 1.0)],
        tickformat=_percent_format(high - low),
    )
    return _layout(fig, "Cost vs confidence (★ executed, red: label flipped; numbers as in the table)", 400)


def _percent_format(span: float) -> str:
    """Enough decimals that neighbouring ticks over `span` read differently (100%, 99.8%, ... not 100%, 100%)."""
    if span >= 0.2:
        return ".0%"
    if span >= 0.02:
        return ".1%"
    return ".2%" if span >= 0.002 else ".3%"


def faithfulness(rows: Sequence[Mapping[str, Any]], floor: tuple[float, float] | None) -> go.Figure:
    """Comprehensiveness (higher is better) and sufficiency (lower is better) per method; `floor` is the
    (comprehensiveness, sufficiency) of a random ranking, drawn as dashed and dotted lines."""
    methods = [row for row in rows if row.get("comprehensiveness") is not None]
    names = [row["method"] for row in methods]
    fig = go.Figure(
        [
            go.Bar(name="comprehensiveness ↑", x=names, y=[row["comprehensiveness"] for row in methods]),
            go.Bar(name="sufficiency ↓", x=names, y=[row["sufficiency"] for row in methods]),
        ]
    )
    if floor is not None:
        fig.add_hline(y=floor[0], line_dash="dash", line_color="#1f77b4")
        fig.add_hline(y=floor[1], line_dash="dot", line_color="#ff7f0e")
    fig.update_yaxes(title="probability drop (AOPC)")
    _layout(fig, "Faithfulness (dashed/dotted: a random ranking)", 360)
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": 1.0, "yanchor": "bottom"}, margin={"t": 70})
    return fig


def agreement(names: Sequence[str], matrix: np.ndarray) -> go.Figure:
    """Spearman rank correlation between the methods' token rankings."""
    fig = go.Figure(
        go.Heatmap(
            z=np.asarray(matrix),
            x=list(names),
            y=list(names),
            zmin=-1,
            zmax=1,
            colorscale="RdBu",
            text=[[f"{v:.2f}" for v in row] for row in np.asarray(matrix)],
            texttemplate="%{text}",
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, "Agreement between methods (Spearman)", 320)


def template_graph(
    num_layers: int,
    num_heads: int,
    groups: Sequence[str],
    exit_layers: Sequence[int],
    executed: Sequence[int],
    heads_off: set[tuple[int, int]],
    withheld: Sequence[str],
) -> go.Figure:
    """The computation graph template: input groups, layers × heads, exit heads; the current path highlighted."""
    fig = go.Figure()
    fig.add_trace(_head_grid(num_layers, num_heads, executed, heads_off))
    fig.add_trace(_exit_heads(num_heads, exit_layers, executed[-1] if executed else -1))
    fig.add_trace(_input_groups(num_heads, groups, withheld))
    fig.update_yaxes(
        tickvals=[0, *range(1, num_layers + 1)],
        ticktext=["input", *(f"layer {i}" for i in range(num_layers))],
        range=[-1.2, num_layers + 0.7],
    )
    fig.update_xaxes(
        tickvals=list(range(num_heads)), ticktext=[f"h{h}" for h in range(num_heads)], range=[-1, num_heads + 3]
    )
    fig.update_layout(showlegend=False)
    return _layout(
        fig, "Computation graph: teal runs, grey is off or withheld, light is skipped", 120 + 50 * num_layers
    )


def _head_grid(num_layers: int, num_heads: int, executed: Sequence[int], heads_off: set[tuple[int, int]]) -> go.Scatter:
    """One square per (layer, head): runs, off, or skipped with its layer."""
    xs, ys, colours, texts = [], [], [], []
    for layer in range(num_layers):
        for head in range(num_heads):
            xs.append(head)
            ys.append(layer + 1)
            if layer not in executed:
                colours.append(SKIP_COLOUR)
                texts.append(f"layer {layer} head {head}: skipped")
            elif (layer, head) in heads_off:
                colours.append(OFF_COLOUR)
                texts.append(f"layer {layer} head {head}: off")
            else:
                colours.append(RUN_COLOUR)
                texts.append(f"layer {layer} head {head}: runs")
    return go.Scatter(
        x=xs,
        y=ys,
        mode="markers",
        marker={"symbol": "square", "size": 18, "color": colours},
        hovertext=texts,
        hoverinfo="text",
        name="heads",
    )


def _exit_heads(num_heads: int, exit_layers: Sequence[int], exit_layer: int) -> go.Scatter:
    """One diamond per exit head, right of the grid; the one that decides is highlighted."""
    return go.Scatter(
        x=[num_heads + 1] * len(exit_layers),
        y=[layer + 1 for layer in exit_layers],
        mode="markers+text",
        text=["decides" if layer == exit_layer else "exit" for layer in exit_layers],
        textposition="middle right",
        marker={
            "symbol": "diamond",
            "size": 16,
            "color": ["#e76f51" if layer == exit_layer else SKIP_COLOUR for layer in exit_layers],
        },
        name="exit heads",
    )


def _input_groups(num_heads: int, groups: Sequence[str], withheld: Sequence[str]) -> go.Scatter:
    """One circle per input group below the grid; withheld ones are grey. Names alternate below and above their
    circles, so that neighbours stand twice as far apart as the circles and do not overlap."""
    spacing = (num_heads - 1) / max(len(groups) - 1, 1)
    return go.Scatter(
        x=[i * spacing for i in range(len(groups))],
        y=[0] * len(groups),
        mode="markers+text",
        text=list(groups),
        textposition=["bottom center" if i % 2 == 0 else "top center" for i in range(len(groups))],
        textfont={"size": 11},
        marker={"symbol": "circle", "size": 14, "color": [OFF_COLOUR if g in withheld else "#8ecae6" for g in groups]},
        name="input groups",
    )


def accuracy_by_depth(accuracies: Sequence[float], executed_depth: int | None) -> go.Figure:
    depths = list(range(1, len(accuracies) + 1))
    colours = ["#e76f51" if d == executed_depth else RUN_COLOUR for d in depths]
    fig = go.Figure(go.Bar(x=depths, y=list(accuracies), marker_color=colours, text=[f"{a:.1%}" for a in accuracies]))
    fig.update_xaxes(title="depth (layers run)", dtick=1)
    fig.update_yaxes(title="dev accuracy", tickformat=".0%", range=[max(min(accuracies, default=0) - 0.1, 0), 1])
    return _layout(fig, "Accuracy by depth (heads' training report)", 300)


def exit_tradeoff(
    confidence: Sequence[Mapping[str, Any]],
    patience: Sequence[Mapping[str, Any]],
    without_policy: Mapping[str, Any],
    current: Mapping[str, Any] | None,
) -> go.Figure:
    """Accuracy vs compute saved of exit policies; the path without a policy at 0 and the current policy marked."""
    fig = go.Figure()
    for name, rows, colour in (("confidence ≥ T", confidence, RUN_COLOUR), ("patience N", patience, "#6c757d")):
        fig.add_trace(
            go.Scatter(
                x=[r["compute_saved"] for r in rows],
                y=[r["accuracy"] for r in rows],
                mode="lines+markers",
                name=name,
                marker_color=colour,
                text=[f"{r['policy']}<br>{r['mean_layers_run']:.2f} layers" for r in rows],
                hovertemplate="%{text}<br>accuracy %{y:.1%}, compute saved %{x:.0%}<extra></extra>",
            )
        )
    points = [("no policy", without_policy, "#264653", "square")]
    if current is not None:
        points.append((f"current: {current['policy']}", current, "#e76f51", "star"))
    for name, row, colour, symbol in points:
        fig.add_trace(
            go.Scatter(
                x=[row["compute_saved"]],
                y=[row["accuracy"]],
                mode="markers",
                name=name,
                marker={"color": colour, "size": 14, "symbol": symbol},
                hovertemplate=f"{name}<br>accuracy %{{y:.1%}}, compute saved %{{x:.0%}}<extra></extra>",
            )
        )
    fig.update_xaxes(title="compute saved (FLOPs vs the path without a policy)", tickformat=".0%")
    fig.update_yaxes(title="accuracy", tickformat=".1%")
    return _layout(fig, "Exit policies: accuracy vs compute", 360)


def audit_label_accuracy(rows: Sequence[Mapping[str, Any]]) -> go.Figure:
    """Accuracy per gold label (`AuditView.label_accuracy` rows); labels the model does not know have none."""
    known = [row for row in rows if row["accuracy"] is not None and not math.isnan(row["accuracy"])]
    fig = go.Figure(
        go.Bar(
            x=[str(row["gold"]) for row in known],
            y=[row["accuracy"] for row in known],
            text=[f"{row['accuracy']:.0%} of {row['rows']}" for row in known],
            marker_color=[_PALETTE[i % len(_PALETTE)] for i in range(len(known))],
        )
    )
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%")
    return _layout(fig, "Accuracy per gold label", 320)


def audit_confidence(confidences: Sequence[float], flipped: Sequence[bool]) -> go.Figure:
    """Histogram of the audited path's confidence, rows that flip against the compared path apart."""
    kept = [c for c, f in zip(confidences, flipped, strict=True) if not f]
    flips = [c for c, f in zip(confidences, flipped, strict=True) if f]
    fig = go.Figure(
        [
            go.Histogram(
                x=kept, name="same label", marker_color=RUN_COLOUR, xbins={"start": 0.5, "end": 1.0, "size": 0.025}
            ),
            go.Histogram(
                x=flips, name="flipped", marker_color=FLIP_COLOUR, xbins={"start": 0.5, "end": 1.0, "size": 0.025}
            ),
        ]
    )
    fig.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.2})
    fig.update_xaxes(title="confidence of the audited path", tickformat=".0%")
    fig.update_yaxes(title="rows")
    return _layout(fig, "Confidence, flipped rows apart", 320)
