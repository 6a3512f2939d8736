"""Person names that the NER misses, found with a list of first names where the text itself shows a name.

The list is the US Census Bureau's 1990 first names (public domain), as shipped by the PyPI package `names`
(MIT): about 5,000 male and female given names. A listed first name counts only when the text gives name
evidence: it is capitalised and followed by one to three more capitalised words or name particles
("Francisco Hall", "Maria van der Berg"); the whole run is the name. Names that are also common English words
when capitalised (stop words, months, "Will", "Hope", "Grace", ...) and names of one or two letters are left out,
so that "May Day" or "In Paris" stay visible. Loaded on first use; nothing is downloaded.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from pathlib import Path

from core.path.casing import CAPITALS

_FIRST_NAME_FILES = ("dist.male.first", "dist.female.first")
# Given names of many languages that are no English word (bench/pii_name_list.py writes it).
GIVEN_NAMES_FILE = Path(__file__).with_name("given_names.txt")
# Surnames of many languages that are no English word and no listed given name (the same script writes it).
SURNAMES_FILE = Path(__file__).with_name("surnames.txt")
# Listed first names that are far more often ordinary capitalised English words (spaCy's stop words are left out
# too, in `first_names`).
_COMMON_WORDS_TEXT = """
APRIL AUGUST JUNE MAY JANUARY ART BILL CHANCE DAWN FAITH GRACE HOPE JOY LONG LOVE MARK PAGE ROSE SUMMER WILL SUN
MAN BEST PRICE GREEN BROWN WHITE KING STAR SKY RAY DEAN CHRISTIAN JUSTICE HONEY CANDY BUNNY LADY BABY PRECIOUS
STORM RAIN ROBIN IVY HOLLY GOLDEN MIRACLE PATIENCE CHARITY TRUE
"""
_COMMON_WORDS = frozenset(_COMMON_WORDS_TEXT.split())
_CAPITALISED = rf"[{CAPITALS}](?:[^\W\d_]|['’-](?=[^\W\d_]))+"
_PARTICLE = r"(?:van|von|der|den|de|du|da|di|del|della|dos|das|le|la|bin|al)"
_WORD = re.compile(r"(?<![\w'’-])[^\W\d_]{3,}(?:-[^\W\d_]+)?(?![\w'’-])")
# A capitalised word followed by 1-3 more (or name particles), each after one space.
_RUN = re.compile(
    rf"(?<![\w'’-])(?P<first>{_CAPITALISED})"
    rf"(?: (?:{_CAPITALISED}|{_PARTICLE}(?=(?: {_PARTICLE})* [{CAPITALS}]))){{1,3}}"
)


@functools.cache
def first_names() -> frozenset[str]:
    """Upper-cased census first names, less ordinary words and one- or two-letter names."""
    from spacy.lang.en.stop_words import STOP_WORDS

    data = importlib.resources.files("names")
    listed = {
        line.split()[0]
        for filename in _FIRST_NAME_FILES
        for line in (data / filename).read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    stop = {word.upper() for word in STOP_WORDS}
    return frozenset(name for name in listed if len(name) > 2 and name not in stop and name not in _COMMON_WORDS)


@functools.cache
def given_names() -> frozenset[str]:
    """Upper-cased given names of many languages that are no English word (core/path/given_names.txt)."""
    return frozenset(GIVEN_NAMES_FILE.read_text(encoding="utf-8").upper().split())


@functools.cache
def surnames() -> frozenset[str]:
    """Surnames of many languages that are no English word (core/path/surnames.txt), as written."""
    return frozenset(SURNAMES_FILE.read_text(encoding="utf-8").split())


def is_name_that_is_a_word(word: str) -> bool:
    """A census first name that is also an ordinary English word ("Will", "May", "June", "Grace"): left out of
    `first_names`, and a name only where the text says so (a column of first names)."""
    return word.upper() in _COMMON_WORDS


def is_given_name(word: str) -> bool:
    """A census first name or a given name of the many-language list, in any case ("Anna", "VIRPI", "kasia")."""
    upper = word.upper()
    return upper in first_names() or upper in given_names()


def is_listed_name(word: str) -> bool:
    """A listed given name (`is_given_name`) or a surname of the many-language list ("Okafor")."""
    return is_given_name(word) or word.capitalize() in surnames()


def find_listed_names(text: str) -> list[tuple[int, int]]:
    """Runs of capitalised words that start with a listed first name or given name."""
    names, given = first_names(), given_names()
    return [m.span() for m in _RUN.finditer(text) if (first := m.group("first").upper()) in names or first in given]


def find_given_names(text: str) -> list[tuple[int, int]]:
    """Words, in any case, that are given names of the list of many languages ("Virpi", "guðrún", "MEHMET")."""
    given = given_names()
    return [m.span() for m in _WORD.finditer(text) if m.group().upper() in given]


# What follows a form's field label: a colon, maybe after up to two lower-case words ("Wiek dziecka: 7").
_FIELD_LABEL_END = re.compile(rf"(?:[ \t]+(?![{CAPITALS}])[^\W\d_]+){{0,2}}[ \t]*[:：]")


def find_surnames(text: str) -> list[tuple[int, int]]:
    """Capitalised words that are surnames of the list of many languages ("Okafor", "Lefebvre"); in capitals only in
    a text written in capitals ("OKAFOR"). Lower-case words never: a surname is more often a word than a given name;
    nor a word just before a colon, a form's field label ("Wiek: 31", "Wiek dziecka: 7")."""
    listed = surnames()
    upper_text = text.isupper()
    spans = []
    for match in _WORD.finditer(text):
        word = match.group()
        written = word.capitalize() if upper_text and word.isupper() else word
        if written in listed and not _FIELD_LABEL_END.match(text, match.end()):
            spans.append(match.span())
    return spans


def holds_a_listed_name(text: str) -> bool:
    """Whether words of two or more hold a capitalised listed given name or surname ("Hi Maria Okonkwo"): a table's
    first line so written is someone's record, not its columns' names (`core.errors.reads_as_header`)."""
    words = text.split()
    return len(words) > 1 and any(word[0].isupper() and (is_given_name(word) or word in surnames()) for word in words)
