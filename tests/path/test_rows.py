"""`core.path.rows`: a row read under its header, and spans mapped back to the cells they lie in."""

import pytest

from core.path import CellSpan, Span, cell_spans, merged_cell_spans, row_text


def test_cells_keep_their_own_offsets_after_tabs_and_line_breaks_are_flattened() -> None:
    row = row_text(["first name", "Unnamed: 1", "notes"], ["Ana", "", "a\tb\r\nc"])
    head, line = row.text.split("\n")
    assert head == "first name\tcolumn 2\tnotes"  # a blank header cell is named by its position
    assert line == "Ana\t\ta b  c"
    assert [row.text[start:end] for start, end in row.cells] == ["Ana", "", "a b  c"]


def test_a_span_across_cells_is_cut_at_their_border_and_header_spans_are_dropped() -> None:
    row = row_text(["name", "town"], ["Jo Bloggs", "Leeds"])
    head_span = Span("person", 0, 4)
    across = Span("person", row.cells[0][0] + 3, row.cells[1][0] + 5)  # "Bloggs\tLeeds"
    tab_only = Span("person", row.cells[0][1], row.cells[0][1] + 1)
    assert cell_spans(row, [head_span, across, tab_only]) == [CellSpan(0, "person", 3, 9), CellSpan(1, "person", 0, 5)]


def test_a_row_of_another_length_than_its_header_is_refused() -> None:
    with pytest.raises(ValueError, match="2 cells under a header of 3"):
        row_text(["a", "b", "c"], ["1", "2"])


def test_the_rows_and_the_cells_readings_are_joined_named_after_the_longest() -> None:
    found = [CellSpan(0, "location", 6, 12), CellSpan(0, "person", 0, 12), CellSpan(1, "email", 0, 5)]
    assert merged_cell_spans(found) == [CellSpan(0, "person", 0, 12), CellSpan(1, "email", 0, 5)]
    apart = [CellSpan(0, "person", 0, 3), CellSpan(0, "person", 4, 8)]
    assert merged_cell_spans(apart) == apart
