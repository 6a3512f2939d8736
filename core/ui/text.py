"""The text as the dashboard draws it: escaped HTML with withheld spans boxed and attribution scores shaded."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from core.run import PathEngine

FLOP_UNITS = ((1e15, "PFLOP"), (1e12, "TFLOP"), (1e9, "GFLOP"), (1e6, "MFLOP"), (1e3, "kFLOP"))


def format_flops(flops: float | None) -> str:
    """FLOPs as a person reads them: 108716387328 -> '108.7 GFLOP' ('–' when unknown)."""
    if flops is None:
        return "–"
    for scale, unit in FLOP_UNITS:
        if abs(flops) >= scale:
            return f"{flops / scale:.1f} {unit}"
    return f"{flops:.0f} FLOP"


GROUP_COLOURS = {
    "email": "#f4a261",
    "url": "#8ecae6",
    "ip": "#bde0fe",
    "iban": "#e9c46a",
    "card": "#e76f51",
    "phone": "#a8dadc",
    "ssn": "#f28482",
    "id_number": "#f5cac3",
    "date": "#cdeac0",
    "age": "#fdffb6",
    "address": "#ffd6a5",
    "person": "#ffadad",
    "location": "#9bf6ff",
    "nrp": "#bdb2ff",
    "affiliation": "#a0c4ff",
    "occupation": "#ffc6ff",
    "organization": "#caffbf",
    "number": "#d9d9d9",
}


@dataclass(frozen=True)
class Segment:
    """A piece of the original text; `group` names the input group it belongs to when it is withheld."""

    text: str
    group: str | None = None
    score: float | None = None


@dataclass(frozen=True)
class ScoredUnit:
    """One attribution unit: its character span in the original text, its score, the group that withheld it."""

    start: int
    end: int
    score: float
    withheld: str | None = None


def withheld_segments(engine: PathEngine, text: str, groups: Sequence[str]) -> list[Segment]:
    """Split `text` into plain pieces and the spans that the groups will withhold."""
    spans = engine.model.groups.find(text, groups)
    return _cut(text, [ScoredUnit(span.start, span.end, 0.0, span.group) for span in spans], scored=False)


def scored_segments(text: str, units: Sequence[ScoredUnit]) -> list[Segment]:
    """The original text cut at the units: each unit's score shaded, withheld spans boxed as one piece."""
    return _cut(text, units, scored=True)


def _cut(text: str, units: Sequence[ScoredUnit], scored: bool) -> list[Segment]:
    segments: list[Segment] = []
    cursor = 0
    for unit in sorted(units, key=lambda u: (u.start, u.end)):
        if unit.start < cursor:  # a second unit on a span already drawn (a withheld span's placeholder pieces)
            continue
        if unit.start > cursor:
            segments.append(Segment(text[cursor : unit.start]))
        score = unit.score if scored and unit.withheld is None else None
        segments.append(Segment(text[unit.start : unit.end], unit.withheld, score))
        cursor = unit.end
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments


def segments_html(segments: Sequence[Segment], mark_text: bool = True) -> str:
    """Escaped HTML of the segments: withheld spans boxed with their group, scored pieces shaded (red +, blue -).

    With `mark_text=False` a withheld span shows only its group name (what the model read instead).
    """
    peak = max((abs(s.score) for s in segments if s.score is not None), default=0.0) or 1.0
    parts: list[str] = []
    for segment in segments:
        body = html.escape(segment.text).replace("\n", "<br>")
        if segment.group is not None:
            colour = GROUP_COLOURS.get(segment.group, "#cdb4db")
            label = html.escape(segment.group)
            shown = f"<s>{body}</s> " if mark_text else ""
            parts.append(
                f'<span class="pl-withheld" data-group="{label}" title="withheld: {label}" '
                f'style="background:{colour};border:1px dashed #555;border-radius:4px;padding:0 3px">'
                f"{shown}<b>[{label}]</b></span>"
            )
        elif segment.score is not None:
            title = html.escape(f"{segment.score:+.4f}")
            parts.append(
                f'<span class="pl-score" title="{title}" style="background:{_heat(segment.score / peak)};'
                f'border-radius:3px">{body}</span>'
            )
        else:
            parts.append(body)
    return '<div class="pl-text" style="line-height:2;font-size:1.05rem">' + "".join(parts) + "</div>"


def _heat(value: float) -> str:
    """Red for positive, blue for negative evidence; alpha by magnitude in [-1, 1]."""
    alpha = round(min(abs(value), 1.0) * 0.8, 3)
    return f"rgba(214,39,40,{alpha})" if value >= 0 else f"rgba(31,119,180,{alpha})"


def preview_html(engine: PathEngine, text: str, groups: Sequence[str]) -> str:
    """What the model will read: the text with the spans that `groups` withhold boxed."""
    return segments_html(withheld_segments(engine, text, groups))


def html_escape(text: str) -> str:
    """Text for st.markdown: HTML escaped (user text never becomes markup)."""
    return html.escape(text)


LONG_TEXT_CHARS = 1_500  # a text longer than this is shown in a scrolling box, not over the whole page
LONG_TEXT_PX = 240


def text_box_height(text: str) -> int | str:
    """Height of the box a text is drawn in: a long text scrolls inside a fixed box instead of pushing the page."""
    return LONG_TEXT_PX if len(text) > LONG_TEXT_CHARS else "content"
