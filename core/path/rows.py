"""A table's row read with its header above it, so that each cell is judged by its column's name as well as its text.

`core.path.tables` withholds a cell that the NER and the patterns miss ("Chidi" under "first_name", "14/03/1988" under
"dob") only where it sees the header over the row. `groups --input FILE --all-columns` scans every column of an export:
each row becomes a two-line table of its own (the header, then the row, cells joined by tabs) and every span found is
mapped back to the cells it lies in, as offsets within the cell. Each cell is read alone too (`merged_cell_spans`
joins both readings), so that a column never yields less than `--text-col` would find in it: the row's other cells
change what the NER sees ("Chidi Okafor" beside an e-mail address came back as "Okafor" only).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.errors import BLANK_HEADER
from core.path.groups import Span

_DELIMITER = "\t"
_LINE_BREAKS = re.compile(r"[\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # what would split a cell or a line


@dataclass(frozen=True)
class RowText:
    """A row as one text (header line, then the row's line) and where each cell lies in it."""

    text: str
    cells: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class CellSpan:
    """A span within one cell: the cell's 0-based column and the offsets within that cell's text."""

    column: int
    group: str
    start: int
    end: int


def _flat(value: str) -> str:
    """A cell on one line: tabs and line breaks become spaces, one for one, so that offsets stay the cell's own."""
    return _LINE_BREAKS.sub(" ", value)


def _header_name(index: int, name: str) -> str:
    """A header cell as `core.path.tables` reads one: a blank one is named by its position ("column 3")."""
    name = name.strip()
    return f"column {index + 1}" if not name or BLANK_HEADER.fullmatch(name) else name


def row_text(header: Sequence[str], cells: Sequence[str]) -> RowText:
    """The header and one row as a two-line tab-separated table (`len(cells) == len(header)`)."""
    if len(cells) != len(header):
        raise ValueError(f"a row of {len(cells)} cells under a header of {len(header)}")
    head = _DELIMITER.join(_flat(_header_name(i, name)) for i, name in enumerate(header))
    offsets, position = [], len(head) + 1
    for cell in cells:
        offsets.append((position, position + len(cell)))
        position += len(cell) + 1
    return RowText(head + "\n" + _DELIMITER.join(_flat(cell) for cell in cells), tuple(offsets))


def cell_spans(row: RowText, spans: Sequence[Span]) -> list[CellSpan]:
    """The parts of `spans` (found in `row.text`) that lie in a cell, as offsets within it; a span across cells is cut
    at their border, and the header line's spans are dropped. Parts with no letter or digit are left out."""
    found = []
    for span in spans:
        for column, (start, end) in enumerate(row.cells):
            part_start, part_end = max(span.start, start), min(span.end, end)
            if part_start < part_end and any(ch.isalnum() for ch in row.text[part_start:part_end]):
                found.append(CellSpan(column, span.group, part_start - start, part_end - start))
    return found


def merged_cell_spans(spans: Sequence[CellSpan]) -> list[CellSpan]:
    """Spans of the row's reading and of each cell's own, one per stretch of a cell: overlapping spans of a cell are
    joined, named after the longest of them."""
    merged: list[CellSpan] = []
    longest = 0
    for span in sorted(spans, key=lambda s: (s.column, s.start, -s.end)):
        last = merged[-1] if merged else None
        if last is not None and last.column == span.column and span.start < last.end:
            group = span.group if span.end - span.start > longest else last.group
            longest = max(longest, span.end - span.start)
            merged[-1] = CellSpan(last.column, group, last.start, max(last.end, span.end))
        else:
            merged.append(span)
            longest = span.end - span.start
    return merged
