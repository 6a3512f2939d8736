"""Whether a text writes names with capitals, and where a person names themselves: shared by the name finders."""

from __future__ import annotations

import functools
import re

# Capitals of Latin-1 and Latin Extended-A ("Şahin", "Łukasz", "Čech", "Świętojańska"), for regex character classes:
# a finder that knew only Latin-1's missed Polish, Czech, Croatian, Turkish and Hungarian names, towns and streets.
CAPITALS = "A-ZÀ-ÖØ-Þ" + "".join(c for c in map(chr, range(0x100, 0x180)) if c.isupper())
_INTRODUCED = re.compile(r"(?i:\b(?:it's|its|it is|i'm|im|i am|this is|my name is|my name's|name's)\s+)$")
_HERE_AFTER = re.compile(r"\s+here\b")


@functools.lru_cache(maxsize=16)
def is_cased(text: str) -> bool:
    """Whether `text` writes words with both capitals and lower case, so that a name's capital means something.
    Cached: every NER span of a text asks it."""
    return any(c.isupper() for c in text) and any(c.islower() for c in text) and not text.isupper()


def introduces_a_person(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is what a person calls themselves: "it's kasia again", "i'm ashok", "kasia here"."""
    return _INTRODUCED.search(text, max(0, start - 16), start) is not None or _HERE_AFTER.match(text, end) is not None
