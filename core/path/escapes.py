"""Line breaks and tabs written as escapes.

Text exported from JSON, a CSV or a log often carries its line breaks and tabs as written characters
("Regards,\\nAna Ruiz\\nTel: 555-201-3344"): the recognisers read "\\nAna" as one word, so a name, a phone number or
an address right after an escape was left visible. They read a view of the text in which each escape is the
character it stands for, and every span found in the view is mapped back onto the text. A text with a backslash
before another letter or a digit uses them for something else, a Windows path ("C:\\Users\\nina\\new"): it is read
as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# An escape after an even run of backslashes ("\\\\n" is an escaped backslash and an "n").
_ESCAPE = re.compile(r"(?<!\\)(?P<pairs>(?:\\\\)*)\\(?P<escape>r\\n|[nrt])")
_MEANS = {"n": "\n", "r": "\n", "r\\n": "\n", "t": "\t"}
_BACKSLASHED = re.compile(r"\\(.?)", re.DOTALL)
_ESCAPED_LETTERS = frozenset("nrtbfu")


@dataclass(frozen=True)
class Readable:
    """`text` as the recognisers read it; `origins[i]` is where its character i starts in the original, and
    `origins[-1]` the original's length (None where the two are the same)."""

    text: str
    origins: tuple[int, ...] | None = None

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The original's offsets of the view's span [start, end)."""
        if self.origins is None:
            return start, end
        return self.origins[start], self.origins[end]


def _all_escapes(text: str) -> bool:
    """Whether every backslash of `text` escapes a mark or is one of JSON's letter escapes ("\\n", "\\u00e9"; "\\'"
    and Markdown's "\\_" too): a backslash before another letter or a digit separates a path's parts."""
    return all(
        match.group(1) in _ESCAPED_LETTERS or not match.group(1).isalnum()
        for match in _BACKSLASHED.finditer(text)
        if match.group(1)
    )


def readable(text: str) -> Readable:
    """The view of `text` with each written `\\n`, `\\r\\n`, `\\r`, `\\t` read as the whitespace it stands for."""
    if "\\" not in text or not _ESCAPE.search(text) or not _all_escapes(text):
        return Readable(text)
    pieces: list[str] = []
    origins: list[int] = []
    cursor = 0
    for match in _ESCAPE.finditer(text):
        escape = match.start("escape") - 1  # its backslash
        pieces.append(text[cursor:escape])
        origins.extend(range(cursor, escape))
        pieces.append(_MEANS[match.group("escape")])
        origins.append(escape)
        cursor = match.end()
    pieces.append(text[cursor:])
    origins.extend(range(cursor, len(text) + 1))
    return Readable("".join(pieces), tuple(origins))
