"""`python -m core groups`: the spans that input groups would withhold, as offsets only (never the text).

`--text` prints one JSON object; `--input FILE` prints (or writes to `--out`) one JSON line per row with its 0-based
`row`. No model is loaded: only the recognisers run (NER too, when a group that needs it is asked for).
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

from tqdm import tqdm

from core.cli import common
from core.errors import InputError, check_text
from core.path import GroupSet, Span, parse_group_option

CHUNK_ROWS = 512


def register(sub: Any) -> None:
    """Add the `groups` sub-command to the CLI's sub-parsers."""
    parser = sub.add_parser("groups", help="print the spans input groups would withhold (offsets only, JSON)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", help="one text")
    source.add_argument("--input", help="CSV or Parquet file: one JSON line per row")
    parser.add_argument("--text-col", default="text")
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
        if args.out:
            raise InputError("--out goes with --input; with --text the spans are printed")
        return {"groups": groups, "spans": _spans_json(group_set.find(check_text(args.text), groups))}
    path = Path(args.input)
    if args.out is None:
        _write_rows(group_set, groups, path, args.text_col, sys.stdout)
        return None
    out = Path(args.out)
    if out.is_dir() or not out.parent.is_dir():
        what = "is a folder" if out.is_dir() else f"is in a folder that does not exist ({out.parent})"
        raise InputError(f"--out {out} {what}: give a file path, e.g. --out spans.jsonl")
    partial = out.with_name(out.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8") as stream:
            counts = _write_rows(group_set, groups, path, args.text_col, stream)
        os.replace(partial, out)  # a failed run leaves no half-written file behind
    finally:
        partial.unlink(missing_ok=True)
    return {"out": str(out), "groups": groups, "rows": counts.pop("_rows", 0), "spans": dict(sorted(counts.items()))}


def _write_rows(group_set: GroupSet, groups: list[str], path: Path, text_col: str, stream: TextIO) -> Counter[str]:
    """One JSON line per row (spans, or the reason a row was skipped); returns span counts per group and `_rows`."""
    counts: Counter[str] = Counter()
    with tqdm(desc="recognising", unit="row", file=sys.stderr, disable=None) as bar:
        for line in _row_lines(group_set, groups, path, text_col):
            stream.write(json.dumps(line) + "\n")
            counts["_rows"] += 1
            counts.update(span["group"] for span in line.get("spans", ()))
            bar.update()
    return counts


def _row_lines(group_set: GroupSet, groups: list[str], path: Path, text_col: str) -> Iterator[dict[str, Any]]:
    from core.audit import check_columns, read_chunks

    check_columns(path, text_col, None)
    for chunk in read_chunks(path, text_col, None, CHUNK_ROWS):
        lines = {bad.row: {"row": bad.row, "skipped": bad.reason} for bad in chunk.bad}
        for row, spans in zip(chunk.rows, group_set.find_many(chunk.texts, groups), strict=True):
            lines[row] = {"row": row, "spans": _spans_json(spans)}
        yield from (lines[row] for row in sorted(lines))
