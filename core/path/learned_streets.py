"""Whether a street the learned tagger found (`core.path.learned`) reads as one: the rules read English streets, the
tagger adds other countries' forms ("Harmica 766", "Dlouhá 12"), and a word with a number is also a list's item, a
price, a product, a room or a score. A hostile review put 89 address spans on 52 of 71 lists in other languages
before the list screen below (bench/RESULTS.md, "fourteenth round")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.path.learned import has_capital
from core.path.ner import is_known_word
from core.path.places import is_headline

_DIGIT = re.compile(r"\d")
_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")
# A list's item, at the end of a line or of a part between commas: one to three words and a number, perhaps with its
# unit or currency ("Maito 2", "Gulasch 12,90", "Top scorers: Haaland 27", "Konsultation 8 tim", "Burek 4 €"; not
# "Palmotićeva 3a" or "Ilica 242/3").
_LIST_ITEM = re.compile(
    r"(?:^|(?<=[\s:]))[^\W\d_][\w.'’-]*(?: [^\W\d_][\w.'’-]*){0,2}:? \d+(?:[.,]\d+)?"
    r"(?: ?(?:[^\W\d_]{1,4}\.?|[€$£¥₺₽₹%]))?[.!?]?$"
)
_PRICE = re.compile(r"\d[.,]\d\d(?!\d)")
_TABLE_OR_CODE = re.compile(r"[|{}=<>]")
_LIST_LENGTH = 3  # items that make a list; an address's "Apt. 481" and "Sweden 26241" are two
_LINES_AROUND = 2  # lines each side of a street's own line where a list's items are counted


def reads_as_a_street(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds a number, starts with a capitalised word and holds a word English has no vector
    for ("Harmica 766"; not "Gate 9", "12 bar street", "SKU 40012"), stands on no headline's line ("Report 2019 Third
    Fiscal Quarter Results"), holds no price ("Gulasch 12,90"), stands on no line with a table's or code's marks, and
    has no list about it: three items or more on the two lines each side of its line and its own ("Maito 2\nKananmunat
    12\nVoi 1", "Hammarby 34" in a league table) or between the commas of its line ("Ericsson 62,40, Volvo 251,10,
    Sandvik 198,55")."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = _line_end(text, end)
    line = text[line_start:line_end]
    around = text[_lines_back(text, line_start, _LINES_AROUND) : _lines_on(text, line_end, _LINES_AROUND)]
    words = _LETTER_WORD.findall(text, start, end)
    return (
        _DIGIT.search(text, start, end) is not None
        and bool(words)
        and words[0][0].isupper()
        and any(not is_known_word(word) for word in words)
        and not is_headline(line)
        and _PRICE.search(text, start, end) is None
        and _TABLE_OR_CODE.search(line) is None
        and not _is_a_list(around.split("\n"))
        and not _is_a_list(line.split(","))
    )


def may_hold_a_street(text: str) -> bool:
    """Whether `text` holds a digit and a capital letter, as every street `reads_as_a_street` keeps does."""
    return _DIGIT.search(text) is not None and has_capital(text)


def _is_a_list(parts: Sequence[str]) -> bool:
    return sum(_LIST_ITEM.search(part.strip()) is not None for part in parts) >= _LIST_LENGTH


def _line_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return end if end >= 0 else len(text)


def _lines_back(text: str, line_start: int, count: int) -> int:
    """The start of the line `count` lines before the one that starts at `line_start` (or of the text)."""
    for _ in range(count):
        line_start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
    return line_start


def _lines_on(text: str, line_end: int, count: int) -> int:
    """The end of the line `count` lines after the one that ends at `line_end` (or of the text)."""
    for _ in range(count):
        line_end = _line_end(text, min(line_end + 1, len(text)))
    return line_end
