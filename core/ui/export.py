"""Exports: a decision's explanation, or a comparison of paths, as one self-contained HTML file.

plotly.js is written into the file once (inline, no CDN), so the file opens offline. Withheld spans are masked
in the exported text (the dashboard shows them to the analyst; a file travels further). PNG of each figure comes
from plotly's own modebar in the dashboard ("Download plot as a png"), which needs no server-side renderer.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from core.ui import figures
from core.ui.audit import AuditView
from core.ui.decisions import ComparisonView, DecisionView, compared_path_name
from core.ui.explanations import METHOD_NAMES, ExplanationView
from core.ui.text import format_flops, segments_html

MASK = "•"
TITLE_CHARS = 60  # a longer figure title is broken onto two lines in a file (the page is narrower than the screen)
_STYLE = "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem}td,th{padding:2px 8px}"


def masked_text(text: str, explanation: ExplanationView) -> str:
    """`text` with every withheld span's characters replaced by MASK (offsets unchanged)."""
    chars = list(text)
    for unit in explanation.units:
        if unit.withheld is not None:
            chars[unit.start : unit.end] = MASK * (unit.end - unit.start)
    return "".join(chars)


def decision_html(view: DecisionView, explanation: ExplanationView, num_layers: int, num_heads: int) -> str:
    """The decision, its cost, every method's heatmap and scores, faithfulness, agreement and attention."""
    text = masked_text(view.text, explanation)
    parts = [
        f"<h1>PathLens decision {_e(view.decision_id)}</h1>",
        _table(
            [
                ("label", view.label),
                ("confidence", f"{view.confidence:.1%}"),
                ("path", view.decision.path),
                ("explained label", explanation.target),
                ("record", view.record_status),
            ]
        ),
    ]
    charts: list[go.Figure] = [figures.probabilities(view.decision.probs), figures.cost_shares(view.cost_rows())]
    parts.append("<p>" + _e(view.cost.time_verdict()) + "</p>")
    for method, scores in explanation.methods.items():
        name = METHOD_NAMES.get(method, method)
        parts.append(f"<h2>{_e(name)}</h2>")
        parts.append(segments_html(explanation.segments(text, method)))
        bars = figures.token_scores(explanation.unit_texts, scores.scores, explanation.withheld_flags(), name)
        parts.append(_figure(bars))
    faithfulness = figures.faithfulness(explanation.faithfulness_rows(False), explanation.random_floor)
    charts += [faithfulness, figures.agreement(*explanation.agreement_matrix())]
    if explanation.maps:
        charts.append(figures.attention_grid(explanation.maps, num_layers, num_heads, explanation.executed_layers))
    parts.append("<h2>Figures</h2>" + "".join(_figure(chart) for chart in charts))
    return _page(f"PathLens decision {view.decision_id}", parts)


def comparison_html(compared: ComparisonView) -> str:
    """The executed path beside every stored alternative: the table and the two comparison figures."""
    rows = [
        (
            compared_path_name(row),
            f"{row['status']} · {row['label'] or '–'}{' (flipped)' if row['flipped'] else ''} · "
            f"P({compared.label}) {'–' if row['confidence'] is None else format(row['confidence'], '.1%')} · "
            f"{format_flops(row['flops'])} · "
            f"{'–' if row['time_ms'] is None else format(row['time_ms'], '.1f')} ms",
        )
        for row in compared.rows
    ]
    parts = [
        f"<h1>PathLens comparison of decision {_e(compared.decision_id)}</h1>",
        _table(rows),
        f"<p>Times are {_e(compared.time_basis)}.</p>",
        _figure(figures.path_probabilities(compared.rows, compared.labels)),
        _figure(figures.cost_vs_confidence(compared.rows)),
    ]
    return _page(f"PathLens comparison {compared.decision_id}", parts)


def audit_html(audit: AuditView) -> str:
    """A batch audit as one file: the summary, flips by label, accuracy per gold label and the figures."""
    summary = audit.summary
    accuracy = summary.get("accuracy")
    flip_rate = summary.get("flip_rate_vs_against")
    parts = [
        "<h1>PathLens batch audit</h1>",
        _table(
            [
                ("path", summary["path"]),
                ("compared with", summary.get("against") or "–"),
                ("rows decided", f"{summary['rows']:,} of {summary['rows_read']:,} read"),
                ("accuracy", ("–" if accuracy is None else f"{accuracy:.1%}") + f" ({audit.accuracy_note})"),
                ("flip rate vs the compared path", "–" if flip_rate is None else f"{flip_rate:.1%}"),
                ("compute saved vs full", f"{summary['compute_saved']:.1%}"),
                ("rows skipped", f"{summary['bad_rows_total']:,}"),
                ("model", summary["model_fingerprint"]),
            ]
        ),
        "<h2>Flips by label</h2>",
        _frame_table(audit.flips_by_label()),
        "<h2>Accuracy per gold label</h2>",
        _frame_table(audit.label_accuracy()),
        "<h2>Figures</h2>",
    ]
    charts = [figures.audit_label_accuracy(audit.label_accuracy().to_dict("records"))]
    if "confidence" in audit.rows and len(audit.rows):
        flipped = audit.rows["flip"].astype(bool) if "flip" in audit.rows else [False] * len(audit.rows)
        charts.append(figures.audit_confidence(list(audit.rows["confidence"]), list(flipped)))
    parts += [_figure(chart) for chart in charts]
    return _page("PathLens batch audit", parts)


def _page(title: str, parts: Sequence[str]) -> str:
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
        f"<style>{_STYLE}</style><script>{get_plotlyjs()}</script></head><body>"
        + "".join(parts)
        + f"<p><small>Exported from PathLens at {stamp}.</small></p></body></html>"
    )


def _figure(figure: go.Figure) -> str:
    """A figure as a file draws it: plotly's own colours (the dashboard's theme colours exist only in the app, so
    its template would draw every bar near-black), room for tick labels, and a long title on two lines."""
    exported = go.Figure(figure)
    title = exported.layout.title.text or ""
    top = max(exported.layout.margin.t or 0, 60)
    if len(title) > TITLE_CHARS and " (" in title:
        head, _, rest = title.partition(" (")
        title, top = f"{head}<br><sup>({rest}</sup>", max(top, 90)
    exported.update_layout(template=pio.templates["plotly"], title={"text": title}, margin={"t": top})
    exported.update_xaxes(automargin=True)
    exported.update_yaxes(automargin=True)
    return exported.to_html(full_html=False, include_plotlyjs=False)


def _frame_table(frame: pd.DataFrame) -> str:
    """A small DataFrame as an escaped HTML table."""
    return frame.to_html(index=False, escape=True, na_rep="–", float_format=lambda v: f"{v:.3f}")


def _table(rows: Sequence[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><th>{_e(name)}</th><td>{_e(value)}</td></tr>" for name, value in rows)
    return f"<table>{cells}</table>"


def _e(value: object) -> str:
    return html.escape(str(value))


def to_json_text(data: Any) -> str:
    """Indented JSON of plain data, for downloads."""
    return json.dumps(data, indent=2, default=str)
