"""Input groups: recognisers for structured personal data, and withholding their spans before tokenization.

Recognised: e-mail addresses, phone numbers, URLs, IPv4 addresses, payment card numbers (Luhn-checked), IBANs
(mod-97 checksum), other numbers, plus user-defined groups from a regex or a word list. Names of people and
places are only recognised through a user-defined word list: no offline named-entity model is available.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.errors import InputError

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)]")
_IP = re.compile(r"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b")
_CARD = re.compile(r"\b\d(?:[ -]?\d){12,18}\b")
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{1,5}(?:[ .-]\d{2,6}){1,5}\b")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*\b")


def luhn_valid(digits: str) -> bool:
    """Payment-card checksum over a string of digits."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_valid(text: str) -> bool:
    """ISO 13616 mod-97 check."""
    compact = text.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _phone_like(text: str) -> bool:
    return 7 <= len(_digits(text)) <= 15 and not _DATE.fullmatch(text)


@dataclass(frozen=True)
class Recognizer:
    """A named group: a pattern, and an optional check that a match must pass."""

    name: str
    pattern: re.Pattern[str]
    check: str = ""  # "luhn" | "iban" | "phone" | ""

    def find(self, text: str) -> list[tuple[int, int]]:
        spans = []
        for m in self.pattern.finditer(text):
            value = m.group(0)
            if self.check == "luhn" and not luhn_valid(_digits(value)):
                continue
            if self.check == "iban" and not iban_valid(value):
                continue
            if self.check == "phone" and not _phone_like(value):
                continue
            spans.append((m.start(), m.end()))
        return spans


# Order is priority: when spans of two withheld groups overlap, the earlier group wins.
BUILTIN_RECOGNIZERS: tuple[Recognizer, ...] = (
    Recognizer("email", _EMAIL),
    Recognizer("url", _URL),
    Recognizer("ip", _IP),
    Recognizer("iban", _IBAN, "iban"),
    Recognizer("card", _CARD, "luhn"),
    Recognizer("phone", _PHONE, "phone"),
    Recognizer("number", _NUMBER),
)
BUILTIN_GROUPS = tuple(r.name for r in BUILTIN_RECOGNIZERS)


def custom_group(name: str, *, regex: str | None = None, words: Sequence[str] | None = None) -> Recognizer:
    """A user-defined group from a regex or a (case-insensitive, whole-word) word list."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise InputError(f"group name {name!r} must be lower-case letters, digits or _ (e.g. person)")
    if name in BUILTIN_GROUPS:
        raise InputError(f"group {name!r} is built in: pick another name for your own group")
    if (regex is None) == (words is None):
        raise InputError(f"group {name!r} needs exactly one of a regex or a word list")
    if words is not None:
        cleaned = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
        if not cleaned:
            raise InputError(f"group {name!r} has an empty word list")
        regex = r"\b(?:" + "|".join(re.escape(w) for w in cleaned) + r")\b"
        return Recognizer(name, re.compile(regex, re.IGNORECASE))
    try:
        return Recognizer(name, re.compile(regex or ""))
    except re.error as exc:
        raise InputError(f"group {name!r}: the regex does not compile ({exc})") from None


def parse_group_option(option: str) -> Recognizer:
    """Parse the CLI form NAME=regex:PATTERN or NAME=words:A,B,C."""
    name, sep, rest = option.partition("=")
    kind, sep2, body = rest.partition(":")
    if not sep or not sep2 or kind not in ("regex", "words"):
        raise InputError(f"--group {option!r}: write NAME=regex:PATTERN or NAME=words:Alice,Bob")
    if kind == "regex":
        return custom_group(name.strip(), regex=body)
    return custom_group(name.strip(), words=body.split(","))


@dataclass(frozen=True)
class Span:
    """A recognised span of the original text."""

    group: str
    start: int
    end: int


@dataclass(frozen=True)
class WithheldText:
    """Text with withheld spans replaced by a placeholder; `offsets` maps each placeholder back to the original.

    `replacements` holds (group, original_start, original_end, new_start, new_end) per withheld span.
    """

    text: str
    replacements: tuple[tuple[str, int, int, int, int], ...]

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for group, *_ in self.replacements:
            counts[group] = counts.get(group, 0) + 1
        return counts


class GroupSet:
    """The input groups a model template offers: built-ins plus the user's own."""

    def __init__(self, custom: Iterable[Recognizer] = ()) -> None:
        self.recognizers: tuple[Recognizer, ...] = BUILTIN_RECOGNIZERS + tuple(custom)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.recognizers)

    def find(self, text: str, groups: Iterable[str] | None = None) -> list[Span]:
        """Non-overlapping spans of the given groups (all groups if None), in text order."""
        wanted = set(self.names if groups is None else groups)
        taken: list[Span] = []
        for recognizer in self.recognizers:
            if recognizer.name not in wanted:
                continue
            for start, end in recognizer.find(text):
                if all(end <= s.start or start >= s.end for s in taken):
                    taken.append(Span(recognizer.name, start, end))
        return sorted(taken, key=lambda s: s.start)

    def withhold(self, text: str, groups: Iterable[str], placeholder: str) -> WithheldText:
        """Replace every span of `groups` by `placeholder`; the original span text is not kept anywhere."""
        pieces: list[str] = []
        replacements: list[tuple[str, int, int, int, int]] = []
        cursor = 0
        length = 0
        for span in self.find(text, groups):
            pieces.append(text[cursor : span.start])
            length += span.start - cursor
            pieces.append(placeholder)
            replacements.append((span.group, span.start, span.end, length, length + len(placeholder)))
            length += len(placeholder)
            cursor = span.end
        pieces.append(text[cursor:])
        return WithheldText("".join(pieces), tuple(replacements))
