"""Hand-marked messages (`[[Virpi|person]]`, `\\n` a line break) to the labelled JSON lines of pii_handwritten.

Run from the project root: `.venv/bin/python -m bench.pii_marks bench/pii_handwritten/heldout.marked.txt
bench/pii_handwritten/heldout.jsonl`.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

_MARK = re.compile(r"\[\[([^\]|]+)\|([a-z_]+)\]\]")
ENTITIES = frozenset(
    [
        "person",
        "title",
        "street_address",
        "postcode",
        "place",
        "date",
        "age",
        "nrp",
        "organization",
        "email",
        "phone",
        "card",
        "iban",
        "ssn",
        "ip",
    ]
)


def unmark(line: str) -> dict[str, object]:
    """One marked line to `{"text": ..., "spans": [[entity, start, end], ...]}`."""
    line = line.replace("\\n", "\n")
    pieces: list[str] = []
    spans: list[list[object]] = []
    cursor = length = 0
    for match in _MARK.finditer(line):
        text, entity = match.groups()
        if entity not in ENTITIES:
            raise ValueError(f"unknown entity {entity!r} in {line!r}")
        before = line[cursor : match.start()]
        pieces.extend([before, text])
        length += len(before)
        spans.append([entity, length, length + len(text)])
        length += len(text)
        cursor = match.end()
    pieces.append(line[cursor:])
    text = "".join(pieces)
    if "[[" in text or "]]" in text:
        raise ValueError(f"unbalanced mark in {line!r}")
    return {"text": text, "spans": spans}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("marked", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    lines = [line for line in args.marked.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [json.dumps(unmark(line), ensure_ascii=False) for line in lines]
    args.out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} messages, {sum(len(unmark(line)['spans']) for line in lines)} spans -> {args.out}")


if __name__ == "__main__":
    main()
