"""Numbers spoken digit by digit, as a call's transcript writes them: "five oh three two two one six six eight zero",
"oh seven seven oh oh nine double four one two six", "kosong satu sembilan tiga tiga …".

Speech-to-text writes a phone number, an ID or a postcode read out over the phone as words, which no pattern of
digits finds. A run of seven digit words or more of one language, after a word that says a number follows ("my
number is", "call", "ph", "hubungi", "namba"), is a phone number; four to six after a postcode's word ("my zip is nine
four one oh five") are a postcode. Never a count ("one two three four …", "ten nine eight …"), one word repeated
("NULL, NULL, …", "oh-oh-oh"), or words of two languages in one run, so that ordinary words that are also numbers
("ba", "nam", "sau" in Vietnamese) make a run only in a number's length. A hostile review (296 texts) found scores,
lyrics, counts and SQL's NULLs read as phone numbers before the cue and these checks.

A caller also spells and reads out what no pattern of characters finds: a UK postcode letter by letter ("e h six four
j x"), a name beside its spelling ("grant g r a n t"), an e-mail address ("will dot morgan at gmail dot com"), a
street with its number in words ("forty two mill lane"), a national insurance number or an Eircode after its name.
Each needs the word that says what follows, or its own shape; two hostile reviews (798 benign texts aimed at them)
narrowed each to what is below. A letter given with a word that starts with it ("b for bravo") is read as the letter,
and a code that opens a transcript's answer is of the kind the line above asks for ("agent: your postcode please").
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Sequence

from core.path.addresses import UK_POSTCODE_AREAS
from core.path.dates import TEENS, TENS, UNITS
from core.path.places import place_names

# Digit words by language, each digit's words from zero to nine ("/" between a digit's forms; speech-to-text writes
# them with and without diacritics). English also reads "oh"/"o" for zero and "double"/"triple" before a digit.
_DIGITS_BY_LANGUAGE = {
    "en": "zero/oh/o/nought one two three four five six seven eight nine/niner",
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve",
    "fr": "zéro/zero un deux trois quatre cinq six sept huit neuf",
    "de": "null eins zwei/zwo drei vier fünf sechs sieben acht neun",
    "it": "zero uno due tre quattro cinque sei sette otto nove",
    "pt": "zero um dois três/tres quatro cinco seis sete oito nove",
    "nl": "nul een/één twee drie vier vijf zes zeven acht negen",
    "af": "nul een twee drie vier vyf ses sewe agt nege",
    "ms": "kosong/sifar/nol satu dua tiga empat lima enam tujuh lapan/delapan sembilan",
    "sw": "sifuri moja mbili tatu nne tano sita saba nane tisa",
    "tl": "sero isa dalawa tatlo apat lima anim pito walo siyam",
    "vi": "khong/không mot/một hai ba bon/bốn/tu/tư nam/năm sau/sáu bay/bảy tam/tám chin/chín",
}
_MULTIPLIERS = {"double": 1, "triple": 2}  # "double four": the multiplier counts one digit and its digit another
# Each language's digit words and their values (the multipliers are English, valued None).
_DIGIT_VALUES: dict[str, dict[str, int | None]] = {
    language: {
        **{word: value for value, forms in enumerate(digits.split()) for word in forms.split("/")},
        **({word: None for word in _MULTIPLIERS} if language == "en" else {}),
    }
    for language, digits in _DIGITS_BY_LANGUAGE.items()
}
PHONE_WORDS = 7  # digits of the shortest phone number
_POSTCODE_WORDS = (4, 6)
# Every language's digit words, looked up word by word (one regex alternating 120 words cost 80 µs a text)
_ALL_WORDS = frozenset(word for values in _DIGIT_VALUES.values() for word in values)
_WORD = re.compile(r"[^\W\d_]+")
_GAP = re.compile(r"(?:[ \t,.-]|dash\b)*")  # what may stand between two words of one number: "nine one seven. five"
# A word that says a number follows, shortly before the run: "my number is", "call me on", "ph", "hubungi saya di"
_PHONE_CUE = re.compile(
    r"(?i)\b(?:numbers?|no|num|nr|phone|ph|tel|telephone|mobile|cell|cellphone|call|calling|called|callback|"
    r"call-back|reach|dial|ring|"
    r"text|whatsapp|contact|fax|ssn|social|id|identity|account|nummer|numéro|numero|número|telefon|teléfono|"
    r"telefono|telefone|téléphone|portable|móvil|movil|celular|handy|hubungi|nombor|namba|simu|số|so|goi|gọi|"
    r"tawagan|bel|llama|llamar|llámame|appelez|appeler|chiamare|chiamami|anrufen|ligue|ligar|piga|it's|its|it is|"
    r"c'est|plus)(?!\w)"
)
_PHONE_CUE_BEFORE = 60  # characters
# A postcode's word just before the run: "my zip is", "zip code's", "postcode, uh,", "código postal"; a PIN code only
# of six digits, India's (a device's "pin code is zero zero zero zero" is none)
_POSTCODE_CUE = re.compile(
    r"(?i:\b(?:zip(?: ?code)?|post ?code|postal code|(?P<pin>pin ?code)|c[óo]digo postal|code postal|postleitzahl|"
    r"postnummer)(?:'s| is| it's| its| would be| will be|,? (?:it's|uh|um|er)\b,?)*[ \t:,-]*)$"
)


def _chains(text: str) -> list[list[tuple[int, int, str]]]:
    """Digit words of any language, in chains of words that stand next to each other (`_GAP` between them)."""
    chains: list[list[tuple[int, int, str]]] = []
    for match in _WORD.finditer(text):
        if match.group().lower() not in _ALL_WORDS:
            continue
        word = (match.start(), match.end(), match.group().lower())
        if chains and _GAP.fullmatch(text, chains[-1][-1][1], word[0]):
            chains[-1].append(word)
        else:
            chains.append([word])
    return chains


@functools.lru_cache(maxsize=32)
def _runs(text: str) -> tuple[tuple[int, int, int], ...]:
    """(start, end, digits) of each longest run of digit words of one language that is no count and no one word
    repeated; "double four" is two digits, and a run does not end in "double" or "triple". Cached: the phone and the
    address groups both ask."""
    runs = []
    for chain in _chains(text):
        if len(chain) < min(_POSTCODE_WORDS[0], PHONE_WORDS) - 1:
            continue  # too short for any number, even with a "double" in it
        for values in _DIGIT_VALUES.values():
            i = 0
            while i < len(chain):
                j = i
                while j < len(chain) and chain[j][2] in values:
                    j += 1
                while j > i and chain[j - 1][2] in _MULTIPLIERS:
                    j -= 1
                words = [word for _, _, word in chain[i:j]]
                if words and not _counts(words, values):
                    runs.append((chain[i][0], chain[j - 1][1], sum(_MULTIPLIERS.get(word, 1) for word in words)))
                i = max(j, i + 1)
    return tuple(runs)


def _counts(words: list[str], values: dict[str, int | None]) -> bool:
    """Whether the words count up or down, or repeat one word ("one two three four", "null, null, null")."""
    if len(set(words)) == 1:
        return True
    digits: list[int] = []
    repeat = 1
    for word in words:  # "double five" is 5, 5
        value = values[word]
        if value is None:
            repeat += _MULTIPLIERS[word]
        else:
            digits += [value] * repeat
            repeat = 1
    steps = {b - a for a, b in itertools.pairwise(digits)}
    return len(steps) == 1 and steps <= {-1, 1}


def spoken_phones(text: str) -> list[tuple[int, int]]:
    """Spans of numbers spoken digit by digit, seven digits or more, after a word that says a number follows."""
    return [
        (start, end)
        for start, end, digits in _runs(text)
        if digits >= PHONE_WORDS and _PHONE_CUE.search(text, max(0, start - _PHONE_CUE_BEFORE), start)
    ]


def spoken_postcodes(text: str) -> list[tuple[int, int]]:
    """Spans of postcodes spoken digit by digit after their word ("my zip is nine four one oh five")."""
    low, high = _POSTCODE_WORDS
    found = []
    for start, end, digits in _runs(text):
        cue = _POSTCODE_CUE.search(text, max(0, start - 40), start) if low <= digits <= high else None
        if cue is not None and (cue.group("pin") is None or digits == 6):
            found.append((start, end))
    return found


# A UK postcode read out letter by letter: "b t 9 5 h l", "e h six four j x", "N E 1 4 Q R". Its area (one or two
# letters) must be one of the UK's postcode areas, its last two letters may not be C, I, K, M, O or V (the Royal Mail
# never uses them there), no spaced letter or digit may follow, and a postcode's word, an address's or a town must
# come just before: serial numbers, error codes and keys are spelled so too ("serial number is s n 4 4 r t").
_EN_DIGIT_WORDS = rf"zero|oh|{UNITS}"  # a digit read out in English ("o" too, where a letter cannot stand)
_SPOKEN_DIGIT = rf"(?:\d|{_EN_DIGIT_WORDS}|o)"
_SPELLED_UK_POSTCODE = re.compile(
    rf"(?i)(?<![\w'’])(?P<area>[a-z](?: [a-z])?) {_SPOKEN_DIGIT}(?: (?:{_SPOKEN_DIGIT}|[a-z]))?"
    rf" {_SPOKEN_DIGIT} (?P<unit>[abd-hjlnp-uw-z] [abd-hjlnp-uw-z])(?![\w'’])(?! (?:[a-z]|{_SPOKEN_DIGIT})\b)"
)
# (not a machine's "ip address", "mac address", an "email address", "unzip", "zip it", "our address has a gate code")
_POSTCODE_OR_ADDRESS = re.compile(
    r"(?i:\b(?:post ?code|postal code|zip ?code|zip(?:'s| is|:)|(?<!ip )(?<!mac )(?<!web )(?<!mail )address(?:'s| is|"
    r" it's|:)))"
)
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \t,]*$")


def spelled_uk_postcodes(text: str) -> list[tuple[int, int]]:
    """Spans of UK postcodes spelled out letter by letter, as a call's transcript writes them, also with phonetic
    letters ("b for bravo t for tango nine five h for hotel l for lima")."""
    return [(start, end) for start, end, _ in _also_read_phonetically(_spelled_uk_postcodes, text)]


def _spelled_uk_postcodes(text: str) -> list[tuple[int, int, str]]:
    found = []
    for match in _SPELLED_UK_POSTCODE.finditer(text):
        if match.group("area").replace(" ", "").upper() not in UK_POSTCODE_AREAS:
            continue
        before = _WORD_BEFORE.search(text, max(0, match.start() - 40), match.start())
        town = before is not None and before.group(1).casefold() in place_names()[2]  # a large town: not "is"
        if town or _POSTCODE_OR_ADDRESS.search(text, max(0, match.start() - 80), match.start()):
            found.append((match.start(), match.end(), "postcode"))
    return found


# A letter given with a word that starts with it, as callers spell what may be misheard: "b for bravo", "s as in
# sugar". The finders of spelled things below read such a letter as the letter alone.
_PHONETIC_LETTER = re.compile(r"(?i)(?<![\w'’])(?P<letter>[a-z]),? (?:for|as in|like) (?P<word>[a-z]{3,})(?![\w'’])")


@functools.lru_cache(maxsize=32)
def _phonetic_letters(text: str) -> tuple[str, tuple[int, ...]] | None:
    """The text with each letter given with its word ("b for bravo") written as the letter alone, and where each of
    its characters stands in the text (one index more, for the end); None where no letter is given so. Cached: three
    finders read it (spelled postcodes, codes read out, spelled words)."""
    pieces, where, last = [], [], 0
    for match in _PHONETIC_LETTER.finditer(text):
        if not _gives_its_letter(match):
            continue  # "a for effort", "i for one"
        pieces.append(text[last : match.start()])
        where.extend(range(last, match.start()))
        pieces.append(match.group("letter"))
        where.append(match.start())
        last = match.end()
    if not pieces:
        return None
    pieces.append(text[last:])
    where.extend(range(last, len(text) + 1))
    return "".join(pieces), tuple(where)


def _also_read_phonetically(
    finder: Callable[[str], Sequence[tuple[int, int, str]]], text: str
) -> list[tuple[int, int, str]]:
    """`finder`'s (start, end, kind) spans, also found on the text with its phonetic letters read as letters
    (`_phonetic_letters`) and mapped back onto the text: "b for bravo t for tango nine five h for hotel l for lima"
    is a spelled postcode."""
    spans = list(finder(text))
    read = _phonetic_letters(text)
    if read is not None:
        plain, where = read
        spans += [(*_back(text, where, start, end), kind) for start, end, kind in finder(plain)]
    return sorted(set(spans))


def _gives_its_letter(match: re.Match[str]) -> bool:
    return match.group("word")[0].lower() == match.group("letter").lower()


def _phonetic_letter_at(text: str, at: int) -> re.Match[str] | None:
    match = _PHONETIC_LETTER.match(text, at)
    return match if match is not None and _gives_its_letter(match) else None


def _back(text: str, where: Sequence[int], start: int, end: int) -> tuple[int, int]:
    """The span of the text that a span of its phonetic reading (`_phonetic_letters`) stands for."""
    return where[start], _end_in(text, where[end - 1])


def _end_in(text: str, last: int) -> int:
    """Where a span whose last character stands at `last` in the text ends: after the whole of a phonetic letter."""
    match = _phonetic_letter_at(text, last)
    return match.end() if match is not None else last + 1


# A word spelled out letter by letter beside the word said, as callers spell their names ("mrs grant g r a n t",
# "o'brien o apostrophe b r i e n"): three letters or more, with "apostrophe", "dash" or "hyphen" between them.
_SPELLED_PART = r"(?:[a-z]|apostrophe|dash|hyphen)"
_SPELLED = re.compile(rf"(?i)(?<![\w'’-])[a-z](?:(?:,? |-){_SPELLED_PART}){{2,}}(?![\w'’])")
_SAID_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*")
_SPELLED_SIGNS = {"apostrophe": "'", "dash": "-", "hyphen": "-"}
_SAID_BEFORE, _SAID_AFTER = 80, 30  # characters


def spelled_words(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The span of a word said and of its spelling letter by letter just after it (within 80 characters) or before it
    (within 30: "k a t e, kate"), for each word so spelled, also with phonetic letters ("h for hotel o for oscar …")."""
    pairs = _spelled_words(text)
    read = _phonetic_letters(text)
    if read is not None:
        plain, where = read
        pairs += [
            (_back(text, where, *said), _back(text, where, *spelling)) for said, spelling in _spelled_words(plain)
        ]
    return sorted(set(pairs))


def _spelled_words(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    spans = []
    for match in _SPELLED.finditer(text):
        parts = re.split(r",? |-", match.group().lower())
        if sum(len(part) == 1 for part in parts) < 3:
            continue
        spelled = "".join(_SPELLED_SIGNS.get(part, part) for part in parts)
        before = _said(text, max(0, match.start() - _SAID_BEFORE), match.start(), spelled)
        after = _said(text, match.end(), match.end() + _SAID_AFTER, spelled)
        if before or after:
            spans.append((before[-1] if before else after[0], match.span()))
    return spans


def _said(text: str, start: int, end: int, spelled: str) -> list[tuple[int, int]]:
    """The spans of the words between `start` and `end` that are the spelled word."""
    return [
        word.span()
        for word in _SAID_WORD.finditer(text, start, end)
        if word.group().lower().replace("’", "'") == spelled
    ]


# An e-mail address read out, as a call's transcript writes it: "will dot morgan eighty eight at gmail dot com",
# "j underscore smith at yahoo dot co dot uk". Its domain ends in " dot " and a common top-level domain; its user name
# is read back from "at" over words joined by "dot", "underscore", "dash" or "hyphen", and over number words and
# digits, so that "the email is" and "it's" before it stay. A user name of words with no joiner between them needs
# "the email is" just before it: "tickets are twenty quid at ticketmaster dot co dot uk" is a shop's address.
_SPOKEN_DOMAIN = re.compile(
    r"(?i)\bat (?:[a-z0-9-]+ dot ){1,4}(?:com|net|org|edu|gov|info|io|me|co dot uk|org dot uk|ac dot uk|uk|ie|in|ng|ke|"
    r"za|gh|au|nz|ca|us|de|fr|es|it|nl|be|pt|br|pl|se|no|dk|fi|sg|my|ph|pk)\b"
)
# What says an e-mail address follows, just before a user name of one word ("the email is kate at gmail dot com";
# not "update your email preferences at bbc dot co dot uk").
_EMAIL_CUE = re.compile(r"(?i:\be-?mail(?: address)?(?:'s| is| it's| its)+,?[ \t]*$)")
_JOINERS = frozenset({"dot", "underscore", "dash", "hyphen"})
_NO_USER_NAME = frozenset({"is", "are", "was", "were", "be", "me", "us", "you", "them", "it", "up", "out", "in", "on"})
_NUMBER_WORDS = frozenset(f"zero|oh|{UNITS}|{TEENS}|{TENS}|hundred|double|triple".split("|"))


def spoken_emails(text: str) -> list[tuple[int, int]]:
    """Spans of e-mail addresses read out word by word (user name, "at", domain, "dot", top-level domain)."""
    spans = []
    for domain in _SPOKEN_DOMAIN.finditer(text):
        start = _spoken_user_name_start(text, domain.start())
        if start is None:
            continue
        user = text[start : domain.start()].lower().split()
        if user[-1] in _NO_USER_NAME:
            continue  # "version two dot oh is at github dot com"
        joined = any(word in _JOINERS for word in user)  # "will dot morgan eighty eight" (not "are twenty quid")
        if joined or _EMAIL_CUE.search(text, max(0, start - 40), start):  # not "we met at google dot com"
            spans.append((start, domain.end()))
    return spans


def _spoken_user_name_start(text: str, at: int) -> int | None:
    """Where the user name read out before "at" starts: its last word, and the words before it while a joiner or a
    number stands between (None where no word stands just before "at")."""
    words = [(m.start(), m.group().lower()) for m in re.finditer(r"[A-Za-z0-9]+", text[max(0, at - 120) : at])]
    offset = max(0, at - 120)
    if not words or text[offset + words[-1][0] + len(words[-1][1]) : at].strip():
        return None
    i = len(words) - 1
    while i > 0:
        word, before = words[i][1], words[i - 1][1]
        if before in _JOINERS and i > 1:
            i -= 2  # "will dot morgan": the joiner and the word before it
        elif word in _NUMBER_WORDS or word.isdigit() or before in _NUMBER_WORDS or before.isdigit():
            i -= 1  # "morgan eighty eight"
        else:
            break
    return offset + words[i][0]


# A street read out with its number in words, as a call's transcript writes it: "my house on forty two mill lane",
# "the address it's flat two seventeen ashgrove terrace" (numbers in digits are `core.path.addresses`' lower-case
# streets). Only after a word that says an address follows: "two lane road", "one main road", "the one way street"
# and "moved to a two bedroom place" are none.
_NUMBER = rf"(?:zero|oh|{UNITS}|{TEENS}|{TENS}|hundred)(?: (?:and )?(?:{UNITS}|{TEENS}|{TENS}|hundred|oh)){{0,4}}"
_STREET_TYPE = r"(?:street|road|lane|avenue|terrace|crescent|grove|mews|boulevard)"  # not "thirty steps drive"
# Words after a number that make it a count or a measure, not a house's number ("two bedroom", "two lane", "five
# star", "ten minutes drive", "forty two acres", "a two up two down terrace"), and number words themselves.
_NO_STREET_NAME = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|main|way|side|back|dead|bedroom|bedrooms|bed|beds|star|"
    r"storey|story|door|car|seater|hard|lane|lanes|hours?|minutes?|seconds?|days?|weeks?|months?|years?|miles?|"
    r"km|kilometres?|metres?|meters?|feet|foot|yards?|acres?|up|down|mile|quid|pounds?|percent|times?|people)"
)
_NAME_WORD = rf"(?!{_STREET_TYPE}\b)(?!{_NO_STREET_NAME}\b)(?![a-z'’-]+ed\b)[a-z][a-z'’-]+"  # not "five failed"
_SPOKEN_STREET = re.compile(
    rf"(?i)(?:(?:flat|apartment|apt|unit) (?:{_NUMBER}|\d{{1,4}}[a-z]?) "
    rf"(?:[a-z]+ (?:court|house|heights|tower|mansions|lodge) )?)?"
    rf"{_NUMBER} {_NAME_WORD}(?: {_NAME_WORD})? {_STREET_TYPE}\b"
)
_STREET_WINDOW = 40 + 120  # characters after a cue: 40 to the street's start, the street itself
_STREET_CUE = re.compile(
    r"(?i:address|live[sd]? (?:at|on)|living (?:at|on)|house (?:is )?(?:at|on)|home (?:is )?(?:at|on)|"
    r"deliver(?:y|ed)? to|moved to|staying at|send (?:it|them) to|post (?:it|them) to|pick (?:me )?up (?:from|at))"
)


def spoken_streets(text: str) -> list[tuple[int, int]]:
    """Spans of streets read out in lower case with their number in words, after a word that says an address follows
    (within 40 characters). Read only in a window after each cue: a run of number words is never scanned whole."""
    spans: list[tuple[int, int]] = []
    for cue in _STREET_CUE.finditer(text):
        if spans and cue.start() < spans[-1][1]:
            continue
        for match in _SPOKEN_STREET.finditer(text, cue.end(), min(len(text), cue.end() + _STREET_WINDOW)):
            if match.start() - cue.end() > 40:
                break
            at_a_word = match.start() == 0 or not text[match.start() - 1].isalnum()
            if at_a_word and match.group().islower():
                spans.append(match.span())
                break
    return spans


# A code read out letter by letter and digit by digit after the name of its kind: a national insurance or PAN number
# ("my n i number is q q one two three four five six c"), an Eircode ("eircode d zero two x k nine nine"), a customer
# or policy number (not a booking's or a grid's reference). Five characters or more, letters and digits both (two
# digits at least; a count of digits alone is `spoken_phones`' or none), the name of its kind just before (within 50
# characters, "is", "it's", "uh" between).
_CODE_TOKEN = rf"(?:[a-z]|\d|{_EN_DIGIT_WORDS}|double|triple)"
_SPOKEN_CODE = re.compile(rf"(?i)(?<![\w'’]){_CODE_TOKEN}(?:(?:,? |-){_CODE_TOKEN}){{4,}}(?![\w'’])")
_POSTCODE_KINDS = r"eircode|post ?code|postal code|zip(?: code)?"
_CODE_KIND = re.compile(
    r"(?i)\b(?:(?P<national>national insurance(?: number)?|n ?i number|pan(?: card)?(?: number)?|aadhaar(?: number)?|"
    r"social security(?: number)?|pps(?:n| number)|tax (?:id|number)|nino)"
    rf"|(?P<postcode>{_POSTCODE_KINDS})"
    r"|(?P<id>customer (?:id|number)|member(?:ship)? (?:number|id)|policy(?: number)?|"
    r"passport(?: number)?|licen[cs]e(?: number)?|registration(?: number)?|reg|account(?: number)?|id number))"
    r"(?:'s| is| it's| its| it is| would be|,| uh| um| er|:)*[ \t]*$"
)
_SPEAKERS_I = re.compile(r"(?i)(?:,? |-)i$")
_DIGIT_TOKEN = re.compile(rf"(?i)^(?:\d|{_EN_DIGIT_WORDS})$")


def spoken_codes(text: str, kind: str) -> list[tuple[int, int]]:
    """Spans of codes read out after the name of their `kind`: "national" (national insurance, PAN, Aadhaar, PPS),
    "postcode" (an Eircode, a postcode) or "id" (customer, policy, membership, passport, licence, account numbers)."""
    return [(start, end) for start, end, named in _spoken_codes(text) if named == kind]


@functools.lru_cache(maxsize=32)
def _spoken_codes(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, kind) of every code read out after the name of its kind, also with phonetic letters. Cached:
    three groups ask (`ssn`, `id_number`, `address`), each for its own kind."""
    return tuple(_also_read_phonetically(_codes_after_their_kind, text))


def _codes_after_their_kind(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for match in _SPOKEN_CODE.finditer(text):
        named = _CODE_KIND.search(text, max(0, match.start() - 50), match.start())
        kind = named.lastgroup if named is not None else _asked_kind(text, match.start())
        if kind is None:
            continue
        tokens = re.split(r",? |-", match.group())
        end = match.end()
        speaker = _SPEAKERS_I.search(match.group())
        if speaker is not None:  # "… six c i think": the speaker's "I"
            tokens, end = tokens[:-1], match.start() + speaker.start()
        digits = sum(bool(_DIGIT_TOKEN.match(token)) for token in tokens)
        if digits >= 2 and any(len(token) == 1 and token.isalpha() for token in tokens):
            spans.append((match.start(), end, kind))
    return spans


# The start of a transcript's answer: its speaker, then words that say nothing ("customer: yeah it's", "uh sure").
_ANSWER_LEAD = re.compile(
    r"(?i)[ \t]*(?:[a-z]+(?: \d)?[ \t]*:[ \t]*)?"
    r"(?:(?:yeah|yes|yep|yup|sure|ok|okay|so|um|uh|er|erm|right|its|it's|it is|that's|thats|that is|it should be)"
    r"\b[ \t,.]*)*"
)
_ANSWER_LEAD_CHARS = 60  # where an answer's code starts at most, after its line's start
# The name of a kind of code anywhere in a question, with its number's word where the kind's word alone names other
# things too ("what's the account type", "the policy tier", "the licence" are no person's codes), never a company's.
_ASKED = re.compile(
    r"(?i)\b(?<!company )(?:(?P<national>national insurance|n ?i number|pan(?: card)? number|aadhaar|social security|"
    r"pps(?:n| number)|tax (?:id|number)|nino)"
    rf"|(?P<postcode>{_POSTCODE_KINDS})"
    r"|(?P<id>customer (?:id|number)|member(?:ship)? (?:number|id)|policy number|passport(?: number)?|"
    r"licen[cs]e number|registration number|account number|id number))"
)


def _asked_kind(text: str, start: int) -> str | None:
    """The kind of code a transcript's line that starts with it answers: the one its line above asks for ("agent:
    and your postcode please?\ncustomer: yeah it's d six w …")."""
    line_start = text.rfind("\n", max(0, start - _ANSWER_LEAD_CHARS), start) + 1
    if line_start == 0 or not _ANSWER_LEAD.fullmatch(text, line_start, start):
        return None
    asked = list(_ASKED.finditer(text, text.rfind("\n", 0, line_start - 1) + 1, line_start - 1))
    return asked[-1].lastgroup if asked else None
