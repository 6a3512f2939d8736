"""Line breaks and tabs written as escapes, and the spacing of an OCR'd form.

Text exported from JSON, a CSV or a log often carries its line breaks and tabs as written characters
("Regards,\\nAna Ruiz\\nTel: 555-201-3344"): the recognisers read "\\nAna" as one word, so a name, a phone number or
an address right after an escape was left visible. They read a view of the text in which each escape is the
character it stands for, and every span found in the view is mapped back onto the text. A Windows path's backslashes
separate its folders ("C:\\Users\\nina\\new\\report.docx"): inside a path, from its drive to its file's extension or
to the next space, nothing is read as an escape; after it, escapes are ("…\\report.docx\\nThanks,\\nDaniel").

A form scanned and read by OCR spaces its fields and values out ("SURNAME:  O K A F O R    FIRST NAME:  CHIDINMA"):
the view reads it as typed (`_typed`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from core.path.casing import CAPITALS

# An escape after an even run of backslashes ("\\\\n" is an escaped backslash and an "n").
_ESCAPE = re.compile(r"(?<!\\)(?P<pairs>(?:\\\\)*)\\(?P<escape>r\\n|[nrt])")
_MEANS = {"n": "\n", "r": "\n", "r\\n": "\n", "t": "\t"}
# A Windows path: a drive or a server's share, then folders up to the next space or quote, each after one backslash
# (a JSON string escapes a path's backslashes, "D:\\\\Share\\\\": the escapes after them are read).
_PATH = re.compile(r"(?<![\w\\])(?:[A-Za-z]:|\\\\[\w.$-]+)(?:\\(?!\\)[^\\\s\"'<>|]*)+")
# A file's name with its extension, where a path ends even when an escape follows it ("report.docx\\nThanks").
_FILE = re.compile(r"\\[^\\\s\"'<>|]*\.[A-Za-z0-9]{1,5}(?=\\|$)")


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


def _paths(text: str) -> list[tuple[int, int]]:
    """Where the Windows paths of `text` are, each ending at its file's extension if it names a file."""
    spans = []
    for path in _PATH.finditer(text):
        file = _FILE.search(path.group())
        spans.append((path.start(), path.start() + file.end() if file is not None else path.end()))
    return spans


def readable(text: str) -> Readable:
    """The view of `text` with each written `\\n`, `\\r\\n`, `\\r`, `\\t` outside a Windows path read as the
    whitespace it stands for, and an OCR'd form's spacing read as typed (`_typed`)."""
    view = _unescaped(text)
    typed = _typed(view.text)
    if typed is None:
        return view
    plain, where = typed
    if view.origins is None:
        return Readable(plain, tuple(where))
    return Readable(plain, tuple(view.origins[i] for i in where))


# A form scanned and read by OCR: labels in capitals and a colon, then two spaces or more before the value
# ("SURNAME:  O K A F O R    FIRST NAME:  CHIDINMA", "NÉ LE :  0 3 / 0 9 / 1 9 8 7"). Read as typed, a gap of two
# spaces is one, a wider gap between two fields a line break, and letters and digits spaced out one by one a word
# ("OKAFOR", "03/09/1987").
_OCR_LABEL = re.compile(rf"(?m)^[ \t]*[{CAPITALS}][{CAPITALS} .'/()°-]{{1,30}}[ \t]?:[ \t]{{2,}}\S")
_WIDE_GAP = re.compile(r"(?<=\S) {2,}(?=\S)")
_FIELDS_GAP = 3  # spaces
_ONE = r"[^\W_a-zß-ÿ]"  # a capital or a digit
_SPACED_OUT = re.compile(rf"(?<![^\s:]){_ONE}(?:(?: | ?/ ?){_ONE}){{2,}}(?![^\s,.;:])")


def _typed(text: str) -> tuple[str, list[int]] | None:
    """An OCR'd form (two labels or more followed by a wide gap) read as typed, and where each character of the
    reading (and its end) stands in `text`; None for any other text."""
    if len(_OCR_LABEL.findall(text, 0, 20_000)) < 2:
        return None
    read: dict[int, str] = {}  # what a kept character reads as, where it is not itself
    dropped = bytearray(len(text))  # 1 where a character is left out of the reading
    for gap in _WIDE_GAP.finditer(text):
        dropped[gap.start() + 1 : gap.end()] = b"\x01" * (gap.end() - gap.start() - 1)
        if gap.end() - gap.start() >= _FIELDS_GAP:
            read[gap.start()] = "\n"
    for run in _SPACED_OUT.finditer(text):
        for i in range(run.start(), run.end()):
            if text[i] == " ":
                dropped[i] = 1
    where = [i for i in range(len(text)) if not dropped[i]]
    return "".join(read.get(i, text[i]) for i in where), [*where, len(text)]


def _unescaped(text: str) -> Readable:
    if "\\" not in text or not _ESCAPE.search(text):
        return Readable(text)
    paths = _paths(text)
    starts = [start for start, _ in paths]
    pieces: list[str] = []
    origins: list[int] = []
    cursor = 0
    for match in _ESCAPE.finditer(text):
        escape = match.start("escape") - 1  # its backslash
        within = bisect_right(starts, escape) - 1  # the last path that starts before it
        if within >= 0 and escape < paths[within][1]:
            continue
        pieces.append(text[cursor:escape])
        origins.extend(range(cursor, escape))
        pieces.append(_MEANS[match.group("escape")])
        origins.append(escape)
        cursor = match.end()
    if not pieces:
        return Readable(text)
    pieces.append(text[cursor:])
    origins.extend(range(cursor, len(text) + 1))
    return Readable("".join(pieces), tuple(origins))
