"""Numbers spoken digit by digit, as a call's transcript writes them: "five oh three two two one six six eight zero",
"oh seven seven oh oh nine double four one two six", "kosong satu sembilan tiga tiga …".

Speech-to-text writes a phone number, an ID or a postcode read out over the phone as words, which no pattern of
digits finds. A run of seven digit words or more of one language is a phone number (nobody speaks a count that
long without a pause); four to six after a postcode's word ("my zip is nine four one oh five") are a postcode. Words
of different languages do not make one run, so that ordinary words that are also numbers ("ba", "nam", "sau" in
Vietnamese) make a run only in a number's length.
"""

from __future__ import annotations

import re

# Digit words by language (lower case, without and with diacritics where speech-to-text writes both). English also
# reads "oh"/"o" for zero and "double"/"triple" before a digit.
_DIGIT_WORDS: dict[str, frozenset[str]] = {
    language: frozenset(words.split())
    for language, words in {
        "en": "zero oh o nought one two three four five six seven eight nine double triple",
        "es": "cero uno dos tres cuatro cinco seis siete ocho nueve",
        "fr": "zéro zero un deux trois quatre cinq six sept huit neuf",
        "de": "null eins zwei zwo drei vier fünf sechs sieben acht neun",
        "it": "zero uno due tre quattro cinque sei sette otto nove",
        "pt": "zero um dois três tres quatro cinco seis sete oito nove",
        "nl": "nul een één twee drie vier vijf zes zeven acht negen",
        "af": "nul een twee drie vier vyf ses sewe agt nege",
        "ms": "kosong sifar nol satu dua tiga empat lima enam tujuh lapan delapan sembilan",
        "sw": "sifuri moja mbili tatu nne tano sita saba nane tisa",
        "tl": "sero isa dalawa tatlo apat lima anim pito walo siyam",
        "vi": "khong không mot một hai ba bon bốn tu tư nam năm sau sáu bay bảy tam tám chin chín",
    }.items()
}
_MULTIPLIERS = frozenset({"double", "triple"})
_EXTRA_DIGITS = {"double": 1, "triple": 2}  # "double four": the multiplier counts one digit and its digit another
PHONE_WORDS = 7  # a run this long is a phone number
_POSTCODE_WORDS = (4, 6)
_ALL_WORDS = sorted({word for words in _DIGIT_WORDS.values() for word in words}, key=lambda w: (-len(w), w))
_DIGIT_WORD = re.compile(r"(?i)(?<![^\W\d_])(?:" + "|".join(_ALL_WORDS) + r")(?![^\W\d_])")
_GAP = re.compile(r"[ \t,-]*")  # what may stand between two words of one number
# A postcode's word just before the run: "my zip is", "postcode", "pin code is"
_POSTCODE_CUE = re.compile(r"(?i:\b(?:zip(?: ?code)?|post ?code|postal code|pin ?code)(?: is| it's| its)?[ \t:,-]*)$")
PREFILTER = re.compile(
    r"(?i)\b(?:" + "|".join(sorted({w for words in _DIGIT_WORDS.values() for w in words} - {"o", "un", "een"})) + r")\b"
)


def _chains(text: str) -> list[list[tuple[int, int, str]]]:
    """Digit words of any language, in chains of words that stand next to each other (`_GAP` between them)."""
    chains: list[list[tuple[int, int, str]]] = []
    for match in _DIGIT_WORD.finditer(text):
        word = (match.start(), match.end(), match.group().lower())
        if chains and _GAP.fullmatch(text, chains[-1][-1][1], word[0]):
            chains[-1].append(word)
        else:
            chains.append([word])
    return chains


def _runs(text: str) -> list[tuple[int, int, int]]:
    """(start, end, digits) of each longest run of digit words of one language, joined only by spaces, tabs, commas
    or hyphens; "double four" is two digits. A run does not end in "double" or "triple"."""
    runs = []
    for chain in _chains(text):
        if len(chain) < min(_POSTCODE_WORDS[0], PHONE_WORDS) - 1:
            continue  # too short for any number, even with a "double" in it
        for language_words in _DIGIT_WORDS.values():
            i = 0
            while i < len(chain):
                j = i
                while j < len(chain) and chain[j][2] in language_words:
                    j += 1
                while j > i and chain[j - 1][2] in _MULTIPLIERS:
                    j -= 1
                if j > i:
                    digits = sum(_EXTRA_DIGITS.get(word, 1) for _, _, word in chain[i:j])
                    runs.append((chain[i][0], chain[j - 1][1], digits))
                i = max(j, i + 1)
    return runs


def spoken_phones(text: str) -> list[tuple[int, int]]:
    """Spans of numbers spoken digit by digit, seven digits or more."""
    return [(start, end) for start, end, digits in _runs(text) if digits >= PHONE_WORDS]


def spoken_postcodes(text: str) -> list[tuple[int, int]]:
    """Spans of postcodes spoken digit by digit after their word ("my zip is nine four one oh five")."""
    low, high = _POSTCODE_WORDS
    return [
        (start, end)
        for start, end, digits in _runs(text)
        if low <= digits <= high and _POSTCODE_CUE.search(text, max(0, start - 24), start)
    ]
