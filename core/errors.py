"""User-facing errors: every message says what went wrong and what to do instead; and the one rule that says which
texts can be decided (`check_text`), so that every face refuses the same texts with the same words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass


class PathLensError(Exception):
    """Base class for errors a person can act on; the CLI prints the message without a traceback."""


class InputError(PathLensError, ValueError):
    """Text or data that cannot be decided (empty text, missing column, bad encoding)."""


class InvalidPathError(InputError):
    """A path spec that cannot run on this model (bad input like any other: HTTP 400, exit code 2)."""


class ModelLoadError(PathLensError):
    """A model directory or heads artifact that is missing, corrupt or mismatched."""


# -- the one rule for a text to decide: every face (CLI, HTTP API, dashboard, audits) applies it -----------------------
MAX_TEXT_CHARS = 200_000

# Code points that are not content beyond categories Cc, Cf, Zs/Zl/Zp, M* (marks with no letter to mark) and Co/Cn/Cs:
# Unicode's other default-ignorable code points (Hangul fillers, variation selectors), which render as nothing.
_IGNORABLE_RANGES = ((0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x3164, 0x3164), (0xFE00, 0xFE0F))
_IGNORABLE_RANGES += ((0xFFA0, 0xFFA0), (0xE0000, 0xE0FFF))
_NOT_CONTENT_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Mc", "Me"})


@dataclass(frozen=True)
class TextProblem:
    """Why a text cannot be decided: `reason` (an audit's bad-row reason) and `advice` (what to do instead)."""

    reason: str
    advice: str

    def __str__(self) -> str:
        return f"the {self.reason}: {self.advice}"


def text_problem(text: object) -> TextProblem | None:
    """Why `text` cannot be decided, or None: not a string, not valid Unicode (a lone surrogate, which no encoding
    can carry), empty, holding no content (only whitespace, control, format or zero-width characters, marks with no
    letter, private-use or unassigned code points: the model would read only its special tokens), or too long."""
    if not isinstance(text, str):
        return TextProblem(f"text is not a string but {type(text).__name__}", "send the text as a string")
    if len(text) > MAX_TEXT_CHARS:
        return TextProblem(
            f"text has {len(text):,} characters, more than {MAX_TEXT_CHARS:,}",
            "split it into parts or audit it as a CSV file with one part per row",
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return TextProblem(
            f"text is not valid Unicode: it holds a lone surrogate (U+{ord(text[exc.start]):04X}) at character "
            f"{exc.start}",
            "send UTF-8 text; a surrogate is only valid as half of a pair",
        )
    if not text.strip():
        return TextProblem("text is empty", "type or paste the text")
    if not has_content(text):
        return TextProblem(
            "text holds no content, only control, format or zero-width characters",
            "type or paste the text",
        )
    return None


def check_text(text: object) -> str:
    """`text` when it can be decided; else an `InputError` saying why and what to do (HTTP 400, exit code 2)."""
    problem = text_problem(text)
    if problem is not None:
        raise InputError(str(problem))
    assert isinstance(text, str), "text_problem refuses anything but a string"
    return text


def has_content(text: str) -> bool:
    """Whether `text` holds a character that is content: not only white space, control, format or zero-width
    characters, marks with no letter, private-use or unassigned code points."""
    return any(_is_content(char) for char in text)


def _is_content(char: str) -> bool:
    if char.isspace() or unicodedata.category(char) in _NOT_CONTENT_CATEGORIES:
        return False
    code = ord(char)
    return not any(low <= code <= high for low, high in _IGNORABLE_RANGES)


_HEADER_NAME = re.compile(r"(?=.{1,32}$)[^\W\d][\w.-]*(?: [\w.-]+){0,2}")


BLANK_HEADER = re.compile(r"Unnamed: \d+")  # pandas' name for a header cell left blank


def reads_as_header(names: list[str], holds_a_name: Callable[[str], bool] = lambda name: False) -> bool:
    """Whether a table's first line reads as column names ("text", "Customer name", a blank cell) rather than a
    record: a file without a header row has someone's data there, which no error, log or output may repeat (nor a
    name `holds_a_name` says holds a person's name: "Hi Maria Okonkwo,")."""
    named = [name for name in names if not BLANK_HEADER.fullmatch(name)]
    return bool(named) and all(_HEADER_NAME.fullmatch(name) and not holds_a_name(name) for name in named)


def missing_columns(
    source: str,
    missing: list[str],
    columns: list[object],
    label_col: str | None,
    holds_a_name: Callable[[str], bool] = lambda name: False,
) -> InputError:
    """The error for a table without the named columns. Its column names are listed only where they read as a header's
    names ("text", "Customer name"): a file without a header row (a plain text file read as a CSV) has someone's text
    there, which an error message, a log or an HTTP response must not repeat."""
    names = [str(column) for column in columns]
    if reads_as_header(names, holds_a_name):
        found = f"its columns are {', '.join(names)}"
    else:
        found = (
            f"its first line ({len(names)} field{'s' if len(names) != 1 else ''}) reads as no header: give a CSV whose "
            "first line names its columns"
        )
    advice = "name the text column with --text-col on the command line, text_col in the API"
    if label_col in missing:
        advice += "; the label column with --label-col, label_col"
    return InputError(f"{source} has no column {', '.join(map(repr, missing))}; {found} ({advice})")
