"""Spans of personal data that a learned tagger finds where the rules' forms end: streets of other countries' forms
with no cue and no street word the rules know ("please deliver to Harmica 766, 10000 Zagreb", "Please update:
Strandvejen 128, 2900 Hellerup"), and towns.

The tagger is a linear-chain CRF (CRFsuite, through `python-crfsuite`) over words: each word is described by itself,
its shape ("Xxxx", "9999"), its ending, whether the project's own lists know it (street words, towns, given names,
surnames) and the same of its neighbours. It was trained by `bench/pii_tagger.py` on the hand-written messages'
development halves (never their test halves), messages of `bench/pii_data.py` (Faker), messages of its own wording
with Faker's addresses of other countries, and ordinary sentences with nothing to withhold (SST-2 train, banking77,
financial news); the file `pii_tagger.crfsuite` beside this module is that model. It labels persons, titles, dates
and postcodes too; the groups take its streets and places only, each above a confidence and through a screen
(`core.path.groups`, `core.path.ner`). Its spans only add to the rules'. Loaded on first use; nothing is
downloaded.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core.path.addresses import STREET_PREFIX, STREET_SUFFIX, STREET_TYPES
from core.path.name_list import is_given_name, surnames
from core.path.places import place_names

MODEL_FILE = Path(__file__).with_name("pii_tagger.crfsuite")
# The tagger's label of each kind of span, as the hand-written sets and (after them) the Faker set name it.
LABELS = {
    "street_address": "ST",
    "postcode": "PC",
    "place": "PL",
    "person": "PER",
    "date": "DT",
    "title": "TI",
    "address": "ST",
    "location": "PL",
}
_TOKEN = re.compile(r"\\n|\n|[^\W_]+|[^\w\s]")  # words, single marks, and line breaks (also a JSON string's "\n")
NEWLINES = ("\n", "\\n")
_CONTEXT = (-3, -2, -1, 1, 2, 3)
# What a neighbour two or three words away says: its word, its shape, and whether it is a line break, a number, a
# street word or a listed town.
_FAR_KEYS = ("w", "sh", "nl", "stype", "nd", "place")
_STREET_TYPE_WORDS = frozenset(word.lower() for word in re.findall(r"[A-Za-z]+", STREET_TYPES))
_STREET_PREFIX_WORD = re.compile(STREET_PREFIX)
_STREET_SUFFIX_END = re.compile(f"{STREET_SUFFIX}$", re.IGNORECASE)
_local = threading.local()

if TYPE_CHECKING:
    import pycrfsuite


def tokens(text: str) -> list[tuple[int, int, str]]:
    """The words of `text` with their offsets, as the tagger reads them."""
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _shape(word: str) -> str:
    shape = "".join("9" if c.isdigit() else ("X" if c.isupper() else "x") if c.isalpha() else c for c in word)
    return re.sub(r"(.)\1+", r"\1\1", shape)


@functools.lru_cache(maxsize=65536)
def word_features(word: str) -> tuple[tuple[str, str], ...]:
    """What the tagger knows of one word, as (key, value) pairs."""
    lower = word.lower()
    features = [("w", lower if len(lower) < 20 else "LONG"), ("sh", _shape(word)), ("s3", lower[-3:])]
    if word in NEWLINES:
        features.append(("nl", "1"))
    if word.isdigit():
        features.append(("nd", str(min(len(word), 7))))
    if word[:1].isupper():
        features.append(("cap", "1"))
    if len(word) > 1 and word.isupper():
        features.append(("up", "1"))
    if lower in _STREET_TYPE_WORDS:
        features.append(("stype", "1"))
    if _STREET_PREFIX_WORD.fullmatch(word) or _STREET_PREFIX_WORD.fullmatch(f"{word}."):
        features.append(("spre", "1"))
    if len(lower) > 3 and _STREET_SUFFIX_END.search(lower):
        features.append(("ssuf", "1"))
    if lower in _places():
        features.append(("place", "1"))
    if word[:1].isupper() and is_given_name(word.capitalize()):
        features.append(("given", "1"))
    if word.capitalize() in surnames():
        features.append(("sur", "1"))
    return tuple(features)


@functools.cache
def _places() -> frozenset[str]:
    return frozenset().union(*place_names())


def sequence_features(words: Sequence[str]) -> list[dict[str, float]]:
    """Each word's features and its neighbours' (three each side), as CRFsuite's attribute dictionaries."""
    own = [word_features(word) for word in words]
    sequence = []
    for i in range(len(words)):
        attributes = {f"0{key}={value}": 1.0 for key, value in own[i]}
        for offset in _CONTEXT:
            j = i + offset
            if not 0 <= j < len(words):
                attributes[f"{offset}pad"] = 1.0
                continue
            for key, value in own[j]:
                if key != "s3" and (abs(offset) == 1 or key in _FAR_KEYS):
                    attributes[f"{offset}{key}={value}"] = 1.0
        sequence.append(attributes)
    return sequence


def _tagger() -> pycrfsuite.Tagger:
    """This thread's tagger: a CRFsuite tagger is not safe to share between threads."""
    tagger = getattr(_local, "tagger", None)
    if tagger is None:
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(MODEL_FILE))
        _local.tagger = tagger
    return tagger


@functools.lru_cache(maxsize=16)
def tagged(text: str) -> tuple[tuple[str, int, int, float], ...]:
    """The tagger's spans of `text` as (label, start, end, confidence), the confidence being the least marginal
    probability of its words' tags. Cached for the few texts being read now, as the address and location groups each
    ask for their labels (a larger cache would hold many users' texts, up to the longest allowed, in memory)."""
    found = tokens(text)
    if not found:
        return ()
    tagger = _tagger()
    tagger.set(sequence_features([word for _, _, word in found]))
    spans: list[tuple[str, int, int, float]] = []
    previous = "O"
    for i, (tag, (start, end, _)) in enumerate(zip(tagger.tag(), found, strict=True)):
        label = tag[2:]
        if tag.startswith("I-") and previous[2:] == label:
            spans[-1] = (label, spans[-1][1], end, min(spans[-1][3], tagger.marginal(tag, i)))
        elif tag != "O":
            spans.append((label, start, end, tagger.marginal(tag, i)))
        previous = tag
    return tuple(spans)


def learned_finder(
    *labels: str,
    confidence: float,
    keep: Callable[[str, int, int], bool] | None = None,
    prefilter: Callable[[str], bool] | None = None,
) -> Callable[[str], list[tuple[int, int]]]:
    """A finder of the tagger's spans with one of `labels` (values of `LABELS`), at least that confidence, and that
    `keep(text, start, end)` accepts where given; a text that fails `prefilter` is not tagged at all (a cheap test
    for what every kept span holds: a lower-case review has no span the groups would take)."""
    wanted = frozenset(labels)

    def find(text: str) -> list[tuple[int, int]]:
        if prefilter is not None and not prefilter(text):
            return []
        return [
            (start, end)
            for label, start, end, sure in tagged(text)
            if label in wanted and sure >= confidence and (keep is None or keep(text, start, end))
        ]

    return find


def has_capital(text: str) -> bool:
    """Whether `text` holds an upper-case letter."""
    return text != text.lower()
