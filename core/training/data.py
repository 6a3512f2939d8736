"""Labelled texts to train on, and reading them from tables with errors a person can act on."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from core.audit import check_table
from core.errors import InputError


@dataclass(frozen=True)
class LabelledTexts:
    """What a trainer learns from: `texts` and their `label_values`, which `label_names` name in the sorted order of
    the distinct values (default: the values themselves); `dev` (texts, label values) to evaluate on; `source` names
    the table in the report."""

    texts: Sequence[str]
    label_values: Sequence[Any]
    label_names: Sequence[str] | None = None
    dev: tuple[Sequence[str], Sequence[Any]] | None = None
    source: str = ""


def read_text_table(path: str | Path, text_col: str = "text", label_col: str | None = "label") -> pd.DataFrame:
    """Read a CSV (or Parquet) with a text column and an optional label column; rows with empty text are dropped.

    The file is checked as an audit checks it first (`core.audit`): a folder, a binary or empty file, one column of
    semicolons, a column named twice, a missing column, and a row with more fields than its header (pandas would cut
    it short) are refused in one line; so are a CSV with a byte that is not UTF-8 (naming its line, never its text)
    and a table without a row of text."""
    path = Path(path)
    check_table(path, text_col, label_col)
    try:
        if path.suffix.lower() == ".parquet":
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_csv(path, encoding="utf-8", keep_default_na=False, index_col=False)
    except UnicodeDecodeError:  # its offset is within a cell, which no one can look for: the file's line is named
        raise InputError(
            f"{path.name}: line {_first_line_not_utf8(path)} (the header is line 1) is not valid UTF-8: re-save the "
            "file as UTF-8"
        ) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise InputError(f"{path} could not be read as a table: {exc}") from None
    frame[text_col] = frame[text_col].astype(str)
    return frame[frame[text_col].str.strip() != ""].reset_index(drop=True)


def _first_line_not_utf8(path: Path) -> int | None:
    """The number of a file's first line that is not UTF-8 (as an editor numbers lines, those within quotes too), or
    None where every line is. A line ends at CRLF, LF or a lone CR (old Mac files), as pandas reads them."""
    with path.open(encoding="utf-8", errors="surrogateescape") as handle:  # newline=None: all three
        for number, line in enumerate(handle, start=1):
            if _ESCAPED_BYTE.search(line):
                return number
    return None


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of a byte that is not UTF-8
