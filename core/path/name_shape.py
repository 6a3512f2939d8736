"""The shape of a name in a text that writes names with capitals: what the English NER calls a person or a place
there but is written like no name ("rehti hoon", "kayıt yaptırmak istiyoruz", "naam Priya Sharma hai", "Kierowca:").

In a text with both capitals and lower case (no chat written all in lower case, no text in capitals), people write
names with a capital. Lower-case words of another language are where the English NER errs most: it reads Hindi,
Turkish, Polish or Finnish phrases as names. So in such a text, a person or place span of the NER loses its leading
and trailing lower-case words (particles such as "van" or "de" stay inside a name), and where only lower-case
words remain it is no name, unless a person introduces themselves with it ("it's kasia again", "kasia here") or, in
a text that reads as English, each of them is a listed given name. One unlisted word before a colon in a text of
another language is a form's field label ("Kierowca:"), no name.
"""

from __future__ import annotations

import re
from typing import Any

from core.path.casing import CAPITALS, introduces_a_person, is_cased
from core.path.name_list import find_given_names, is_given_name, is_listed_name
from core.path.other_languages import ENGLISH_ROWS, once_a_text

_WORD = re.compile(r"[^\s,;:()\[\]\"“”«»]+")
# Lower-case words that stand inside names ("Maria da Silva", "Frankfurt am Main", "Bosnia and Herzegovina").
_PARTICLES_TEXT = "van von der den de du da di del della dos das do le la bin ibn al y e ter ten zu am an sur and of"
PARTICLES = frozenset(_PARTICLES_TEXT.split())


def _is_lower(word: str) -> bool:
    return word[:1].islower()


def trim_to_capitals(text: str, start: int, end: int, vocab: Any, *, drop_lower: bool = True) -> tuple[int, int] | None:
    """The span without its leading and trailing lower-case words (particles inside a name stay: "Maria da Silva");
    None where only lower-case words are left (unless `drop_lower` is False: places leave that to their own screen),
    unless one or two words introduce a person ("It's mei ling"; `introduces_a_person`) or, in a text that reads as
    English, each is a listed given name ("and tuomas too"; Hindi "umar" is a word). Texts that are not `is_cased`
    keep every span."""
    if not is_cased(text):
        return start, end
    words = list(_WORD.finditer(text, start, end))
    if words and all(_is_lower(w.group()) for w in words):
        if not drop_lower:
            return start, end
        introduced = len(words) <= 2 and introduces_a_person(text, start, end)
        listed = all(is_given_name(w.group().strip(".'’")) for w in words) and reads_as_english(text, vocab)
        return (start, end) if introduced or listed else None
    while words and _is_lower(words[0].group()):
        words.pop(0)
    inner = [i for i, w in enumerate(words) if _is_lower(w.group()) and w.group() not in PARTICLES]
    words = words[: inner[0]] if inner else words  # "Bremen einen Geldbeutel" -> "Bremen"; "Rio de Janeiro" stays
    while words and _is_lower(words[-1].group()):
        words.pop()  # a particle at the end: "Maria da"
    return (words[0].start(), words[-1].end()) if words else None


_LOWER_WORDS = re.compile(rf"\b[^\W\d_{CAPITALS}][^\W\d_]*")


@once_a_text
def reads_as_english(text: str, vocab: Any) -> bool:
    """Whether at least half of the lower-case words of `text` are among the `ENGLISH_ROWS` most frequent words of
    English ("Our customer ... and tuomas too" 0.75; Hinglish "meri umar 28 saal hai aur main" 0.17)."""
    words = _LOWER_WORDS.findall(text)
    rows = vocab.vectors.key2row
    english = sum(rows.get(vocab.strings[word], ENGLISH_ROWS) < ENGLISH_ROWS for word in words)
    return 2 * english >= len(words)


def find_cased_given_names(text: str, vocab: Any) -> list[tuple[int, int]]:
    """Listed given names (`find_given_names`), less those in lower case in a cased text of another language, where
    "umar" (Hindi: age) and "kayıt" (Turkish: registration) are words, unless a person introduces themselves."""
    spans = find_given_names(text)
    if not is_cased(text) or reads_as_english(text, vocab):
        return spans
    return [(a, b) for a, b in spans if not text[a].islower() or introduces_a_person(text, a, b)]


_COLON_AFTER = re.compile(r"[ \t]*[:：]")


def is_field_label(text: str, start: int, end: int, vocab: Any) -> bool:
    """One word just before a colon that is no listed name, in a text that does not read as English: a form's field
    label ("Kierowca:", "Domicilio:", "Umr:"), not a name. In English text a chat's speaker stays ("message from
    Lotte: i'm late"), as does a listed name in any text ("Anna: jestem")."""
    word = text[start:end]
    if " " in word or not _COLON_AFTER.match(text, end) or is_listed_name(word):
        return False
    return not reads_as_english(text, vocab)
