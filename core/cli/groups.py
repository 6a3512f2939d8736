"""`python -m core groups`: the spans that input groups would withhold, as offsets only (never the text).

`--text` prints one JSON object; `--input FILE` prints (or writes to `--out`) one JSON line per row with its 0-based
`row`: the spans of its `--text-col`, or with `--all-columns` of every cell, each span naming its column and the offsets
within that cell (`core.path.rows`: a cell is judged by its column's name too). No model is loaded: only the
recognisers run (NER too, when a group that needs it is asked for).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from core.cli import common
from core.errors import MAX_TEXT_CHARS, InputError, check_text, reads_as_header
from core.path import (
    CellSpan,
    GroupSet,
    RowText,
    Span,
    cell_spans,
    holds_a_listed_name,
    merged_cell_spans,
    parse_group_option,
    row_text,
)

CHUNK_ROWS = 512


def register(sub: Any) -> None:
    """Add the `groups` sub-command to the CLI's sub-parsers."""
    parser = sub.add_parser("groups", help="print the spans input groups would withhold (offsets only, JSON)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", help="one text")
    source.add_argument("--input", help="CSV or Parquet file: one JSON line per row")
    parser.add_argument("--text-col", help="with --input: the column to scan (default text)")
    parser.add_argument(
        "--all-columns", action="store_true", help="with --input: scan every column, each cell under its column's name"
    )
    parser.add_argument("--groups", default="pii", help="groups to look for, comma-separated (default pii)")
    parser.add_argument("--out", help="with --input: write the JSON lines here instead of stdout, plus a summary")
    common.group_args(parser)
    parser.set_defaults(handler=cmd_groups)


def _spans_json(spans: Sequence[Span]) -> list[dict[str, Any]]:
    return [{"group": s.group, "start": s.start, "end": s.end} for s in spans]


def cmd_groups(args: argparse.Namespace) -> dict[str, Any] | None:
    group_set = GroupSet(tuple(parse_group_option(option) for option in args.group))
    groups = sorted(group_set.expand(args.groups.split(",")))
    if not groups:
        raise InputError("--groups is empty: name at least one group, e.g. --groups pii or --groups person,email")
    if args.text is not None:
        for option, given in (("--out", args.out), ("--text-col", args.text_col), ("--all-columns", args.all_columns)):
            if given:
                raise InputError(f"{option} goes with --input; with --text the spans are printed")
        return {"groups": groups, "spans": _spans_json(group_set.find(check_text(args.text), groups))}
    if args.all_columns and args.text_col:
        raise InputError("give --text-col (one column) or --all-columns (every column), not both")
    path = Path(args.input)
    columns = _checked_columns(path) if args.all_columns else None
    total = _row_count(path, columns[0] if columns is not None else args.text_col or "text", columns is None)
    lines = (
        _all_column_lines(group_set, groups, path, columns)
        if columns is not None
        else _row_lines(group_set, groups, path, args.text_col or "text")
    )
    if args.out is None:
        summary, reasons = _write_rows(lines, sys.stdout, columns, total)
        common.fail_if_nothing_read(summary["rows"], summary["skipped_rows"], reasons, None)
        return None
    out = Path(args.out)
    if out.is_dir() or not out.parent.is_dir():
        what = "is a folder" if out.is_dir() else f"is in a folder that does not exist ({out.parent})"
        raise InputError(f"--out {out} {what}: give a file path, e.g. --out spans.jsonl")
    if out.is_symlink() or (out.exists() and not out.is_file()):
        raise InputError(f"--out {out} is a link or a device, not a plain file: give a new file path")
    if out.exists() and path.exists() and out.samefile(path):
        raise InputError(f"--out {out} is the input file: give another path, e.g. --out spans.jsonl")
    from core.audit import refuse_a_database

    refuse_a_database(out)
    partial = out.with_name(out.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8") as stream:
            summary, reasons = _write_rows(lines, stream, columns, total)
        os.replace(partial, out)  # a failed run leaves no half-written file behind
    finally:
        partial.unlink(missing_ok=True)
    result = {"out": str(out), "groups": groups, **summary}
    common.fail_if_nothing_read(summary["rows"], summary["skipped_rows"], reasons, result)
    return result


def _row_count(path: Path, column: str, require_text: bool) -> int:
    """The file's rows, for the progress bar (an error naming the file's columns where `column` is not one); a CSV is
    read through once, so that one whose rows cannot be told apart is refused before a line is printed. A file with no
    row to read is refused: with `require_text`, no row with text in `column`; else no row at all."""
    from core.audit import check_table

    total = check_table(path, column, None, require_text=require_text)[1]
    if not total:
        raise InputError(f"{path.name} has no row: give a table with rows to read")
    return total


def _write_rows(
    lines: Iterator[dict[str, Any]], stream: TextIO, columns: list[str] | None, total: int
) -> tuple[dict[str, Any], list[str]]:
    """One JSON line per row (spans, or the reason a row was skipped); returns the rows, the skipped rows, span counts
    per group and, given the file's `columns`, per column (every one, {} where nothing was found) and group and the
    cells read as blank (not UTF-8, too long); and the reasons rows were skipped."""
    from core.audit import row_bar

    rows, skipped, unreadable, too_long, spans, by_column = 0, 0, 0, 0, Counter[str](), dict[str, Counter[str]]()
    reasons: list[str] = []
    with row_bar(total, "recognising") as bar:
        for line in lines:
            stream.write(json.dumps(line) + "\n")
            rows += 1
            if "skipped" in line:
                skipped += 1
                reasons.append(line["skipped"])
            unreadable += len(line.get("unreadable", ()))
            too_long += len(line.get("too_long", ()))
            for span in line.get("spans", ()):
                spans[span["group"]] += 1
                if "column" in span:
                    by_column.setdefault(span["column"], Counter())[span["group"]] += 1
            bar.update()
    summary: dict[str, Any] = {"rows": rows, "skipped_rows": skipped, "spans": dict(sorted(spans.items()))}
    if columns is not None:
        summary["columns"] = {name: dict(sorted(by_column.get(name, Counter()).items())) for name in columns}
        summary["unreadable_cells"] = unreadable
        summary["too_long_cells"] = too_long
    return summary, reasons


def _row_lines(group_set: GroupSet, groups: list[str], path: Path, text_col: str) -> Iterator[dict[str, Any]]:
    from core.audit import read_chunks

    for chunk in read_chunks(path, text_col, None, CHUNK_ROWS):
        lines = {bad.row: {"row": bad.row, "skipped": bad.reason} for bad in chunk.bad}
        for row, spans in zip(chunk.rows, group_set.find_many(chunk.texts, groups), strict=True):
            lines[row] = {"row": row, "spans": _spans_json(spans)}
        yield from (lines[row] for row in sorted(lines))


def _all_column_lines(
    group_set: GroupSet, groups: list[str], path: Path, columns: list[str]
) -> Iterator[dict[str, Any]]:
    """Each row's spans of every cell (`core.path.rows`). A cell over the length any text may have is read as blank
    and named (`"too_long"`), as a cell that is not UTF-8 is (`"unreadable"`), so that the rest of its row is still
    read; a row too long as a whole is read cell by cell only."""
    from core.audit import read_rows

    for chunk in read_rows(path, columns, CHUNK_ROWS):
        rows: list[tuple[int, RowText | None, list[str], dict[str, list[str]]]] = []
        for row, cells, unreadable in zip(chunk.rows, chunk.cells, chunk.unreadable, strict=True):
            too_long = [name for name, cell in zip(columns, cells, strict=True) if len(cell) > MAX_TEXT_CHARS]
            cells = ["" if len(cell) > MAX_TEXT_CHARS else cell for cell in cells]
            text = row_text(columns, cells)
            named = {key: value for key, value in (("unreadable", unreadable), ("too_long", too_long)) if value}
            rows.append((row, text if len(text.text) <= MAX_TEXT_CHARS else None, cells, named))
        whole = [text.text for _, text, _, _ in rows if text is not None]
        alone = [cell for _, _, cells, _ in rows for cell in cells if cell.strip()]
        found = group_set.find_many(whole + alone, groups)
        found_whole, found_alone = iter(found[: len(whole)]), iter(found[len(whole) :])
        for row, text, cells, named in rows:
            parts = cell_spans(text, next(found_whole)) if text is not None else []
            for column, cell in enumerate(cells):
                if cell.strip():
                    parts += [CellSpan(column, s.group, s.start, s.end) for s in next(found_alone)]
            spans = [
                {"column": columns[s.column], "group": s.group, "start": s.start, "end": s.end}
                for s in merged_cell_spans(parts)
            ]
            yield {"row": row, "spans": spans, **named}  # named cells were read as blank


def _checked_columns(path: Path) -> list[str]:
    """The file's column names (`core.audit.table_columns` refuses one of another delimiter); refused where its first
    line is a record (its cells would be printed as column names) or names a column twice (pandas' "email.1" is no
    name the file has)."""
    from core.audit import refuse_repeated_columns, table_columns

    columns, _ = table_columns(path)
    if not reads_as_header(columns, holds_a_listed_name):
        raise InputError(
            f"{path.name}: its first line ({len(columns)} fields) reads as no header: give a CSV whose first line "
            "names its columns"
        )
    refuse_repeated_columns(path)
    return columns
