"""Input groups: recognisers for personal data, and withholding their spans before tokenization.

Every group answers one interface, `Recognizer.find(text, entities)`. Patterned data (e-mails, URLs, IPs, IBANs,
cards, phones, dates, street addresses, numbers, the user's own regex or word list) is found by the regexes here,
with no model: the fast path. SSNs, driver-licence and passport numbers borrow Presidio's recognizers, and names,
places, nationalities and organisations come from Presidio's spaCy NER (`core.path.ner`), which runs only when a
group that needs it is withheld, once per batch of texts.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import regex

from core.errors import InputError
from core.path.addresses import ADDRESS, as_its_block
from core.path.ages import AGE, AGE_PREFILTER, NOT_AN_AGE, listed_ages_are_of_names
from core.path.dates import DATE, DATE_PREFILTER
from core.path.escapes import Readable, readable
from core.path.learned import learned_finder
from core.path.learned_streets import may_hold_a_street, reads_as_a_street
from core.path.ner import (
    ENTITY_GROUPS,
    PRESIDIO_PATTERN_GROUPS,
    Entity,
    EntityGroup,
    find_entities,
    lower_street_is_named,
)
from core.path.spoken import (
    spelled_uk_postcodes,
    spoken_codes,
    spoken_emails,
    spoken_phones,
    spoken_postcodes,
    spoken_streets,
)
from core.path.tables import TABLE_GROUPS, table_cells

# An address in a URL's query is written with "%40" ("email=ana.ruiz%40gmail.com")
_EMAIL = re.compile(
    r"[A-Za-z0-9._%+-]+?(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
    r"\.(?!(?:png|jpe?g|gif|svg|webp|ico|gz|tgz|zip|tar|whl|pdf)\b)[A-Za-z]{2,}(?![\w-]|\.\w)"  # not "logo@2x.png"
)
# A link with its scheme or "www.", or a domain of a common top-level domain with a path ("linkedin.com/in/ana-ruiz",
# "bit.ly/3xYz"): a path names one page, often a person's. A bare domain ("amazon.com") names a company.
# Top-level domains that are English words ("ml.to/the brim", "stats.me/n") are left out.
_TLD = (
    r"com|org|net|edu|gov|io|info|biz|app|dev|ai|ly|gl|tv|uk|ca|au|nz|ie|pk|za|ng|ke|gh|ph|sg|hk|"
    r"de|fr|es|nl|ch|se|dk|fi|pl|cz|pt|br|mx|ar|cl|jp|kr|ru|tr"
)
_URL = re.compile(
    r"\b(?i:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)]"
    rf"|(?<![\w@./-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+(?i:{_TLD})/[^\s<>\"']*[^\s<>\"'.,;:!?)]"
)
_OCTET = r"(?:25[0-5]|2[0-4]\d|1?\d?\d)"
_IPV4 = rf"(?<![\d.]){_OCTET}(?:\.{_OCTET}){{3}}(?!\d|\.\d)"
_IPV6 = r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])"
_IP = re.compile(f"{_IPV4}|{_IPV6}")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b", re.IGNORECASE)
_CARD = re.compile(r"\b\d(?:[ -]?\d){11,18}\b")  # 12-19 digits: Maestro cards can have 12
# A card number or IBAN after its name is the person's even where its checksum fails (mistyped, or made up for a
# form): "Card on file is 5412 7534 0091 2286", "il mio IBAN è IT40 S054 2811 …".
# The card number grouped as cards print it (4-4-4-4, 4-4-4-4-3, Amex's 4-6-5) or unbroken, within a line break of
# its word; not a table's "Visa 24 105 29 310 32 653" nor a golf "score card: 4 5 3 4 …".
_CUED_CARD = re.compile(
    r"\b(?i:card|credit ?card|kreditkarte|creditcard|visa|mastercard|amex|carte|karte|tarjeta|cart[aã]o|carta|cc)\b"
    r"[^\d\n]{0,24}?\n?[^\d\n]{0,8}?"
    r"(?P<value>\d{4}(?P<sep>[ .-]?)\d{4}(?P=sep)\d{4}(?P=sep)\d{4}(?:(?P=sep)\d{3})?|\d{4} \d{6} \d{5}|\d{13,19})"
    r"\b(?![.,-]\d)"
)
# After the word IBAN (and a "n°", "is", up to three words and a colon: "IBAN pour l'indemnisation :", a line break)
# an IBAN's shape whose check digits can be real (never 00, 01 or 99, a placeholder's "ES00 0000 …"); a last group
# shorter than four holds a digit ("… 0000 as" is no part of it).
_CUED_IBAN = re.compile(
    r"\b(?i:iban)\b[^\w\n]{0,3}(?:\S+ ){0,3}?(?:[:=-] )?\n?"
    r"(?P<value>[A-Z]{2}(?!0[01]|99)\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?(?=[A-Z]{0,3}\d)[A-Z0-9]{1,3})?)\b"
)
_EXTENSION = r"(?:\s*(?:x|ext\.?|extension)\s*\d{1,6})?"
_PHONE = re.compile(
    r"(?<![\w+.-])(?:(?:\+|00)\d{1,3}[ .-]?|1[ .-]?(?=\())?(?:\(\d{1,5}\)[ .-]?)?\d{1,5}(?:[ .-]?\d{2,10}){0,5}"
    + _EXTENSION
    + r"\b"
)
_SSN_SHAPE = re.compile(r"\d{3}-\d{2}-\d{4}")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*\b")


class Recognizer(Protocol):
    """One group's recogniser. `entities` are the named entities of the text (empty unless `needs_ner`)."""

    name: str
    needs_ner: bool

    def find(self, text: str, entities: Sequence[Entity] = ()) -> list[tuple[int, int]]: ...


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
    """ISO 13616 mod-97 check (any letter case)."""
    compact = text.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def _cued(pattern: re.Pattern[str]) -> Callable[[str], list[tuple[int, int]]]:
    """A finder of the `value` of `pattern`'s matches."""
    return lambda text: [m.span("value") for m in pattern.finditer(text)]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _ip_valid(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


# Numbers of phone length that are no phone: a decimal ("0.365625", "12.34567", "1234.56789") and a range of years
# ("2019-2023"). Four digits and four after one dot are a phone ("2248.2505").
# Decimals ("0.7364", "12.5", an amount's "11500.00"), long fractions, a range of years: no phone number.
_NOT_A_PHONE = re.compile(r"(?:0|[1-9]\d?)\.\d+|\d+\.\d{2}|\d+\.\d{5,}|(?:19|20)\d\d ?[-–] ?(?:19|20)\d\d")


# An order's, an invoice's or a ticket's number is no phone number ("my order 1188273 hasn't arrived"), nor personal
# data: read right after its word, unbroken (a phone number is often grouped: "the order: 07700 900461 is my
# mobile"), it blocks a phone span as a date does.
_NUMBER_OF_A_THING = (
    r"(?i:\b(?:order|invoice|ticket|tracking|transaction|receipt|parcel|shipment|consignment|confirmation)"
    r"(?: (?:number|no\.?|num|id|ref|reference))?[ \t]*[:#]?[ \t]*)\d{5,}(?![ -]?\d)"
)
_NO_PHONE = re.compile(f"{DATE.pattern}|{_NUMBER_OF_A_THING}")


def _phone_like(text: str) -> bool:
    """7-15 digits before any extension, and not shaped like a date, an SSN, a decimal or a range of years."""
    number = re.split(r"\s*(?:x|ext|extension)", text, maxsplit=1)[0]
    return (
        7 <= len(_digits(number)) <= 15
        and not DATE.fullmatch(number)
        and not _SSN_SHAPE.fullmatch(number)
        and not _NOT_A_PHONE.fullmatch(number)
    )


_CHECKS = {
    "luhn": lambda v: luhn_valid(_digits(v)),
    "iban": iban_valid,
    "phone": _phone_like,
    "ip": _ip_valid,
    "age": listed_ages_are_of_names,
    "address": lower_street_is_named,
}


@dataclass(frozen=True)
class PatternGroup:
    """A group found by a regex, an optional check that a match must pass, and a pattern it must not overlap.

    `prefilter`, a cheap pattern every match contains (a digit, an "@"), skips texts that cannot hold a match.
    """

    name: str
    pattern: re.Pattern[str]
    check: str = ""  # a key of _CHECKS, or ""
    exclude: re.Pattern[str] | None = None
    prefilter: re.Pattern[str] | None = None
    value_groups: bool = False  # True: a match's span is its named group that matched (a built-in's context words
    # are no part of the value: "born in 1984" withholds the year), else the whole match
    needs_ner: bool = False
    guarded: regex.Pattern[str] | None = None  # a user's regex: matched by the `regex` package under a time limit
    trim: Callable[[str, int, int], tuple[int, int]] | None = None  # each span, cut where its pattern read too far

    @property
    def definition(self) -> str:
        """What decides this group's spans, as text: a user-defined group is its regex and flags."""
        return f"regex:{self.pattern.pattern}\nflags:{int(self.pattern.flags)}"

    def find(self, text: str, entities: Sequence[Entity] = ()) -> list[tuple[int, int]]:
        if self.prefilter is not None and not self.prefilter.search(text):
            return []
        blocked: list[tuple[int, int]] | None = None
        spans = []
        for m in self._matches(text):
            if self.check and not _CHECKS[self.check](m.group(0)):
                continue
            if self.exclude is not None:
                blocked = [e.span() for e in self.exclude.finditer(text)] if blocked is None else blocked
                if any(m.start() < end and start < m.end() for start, end in blocked):
                    continue
            spans.append(m.span(m.lastgroup) if self.value_groups and m.lastgroup else m.span())
        return [self.trim(text, *span) for span in spans] if self.trim is not None else spans

    def _matches(self, text: str) -> Iterable[re.Match[str] | regex.Match[str]]:
        if self.guarded is None:
            return self.pattern.finditer(text)
        try:
            return list(self.guarded.finditer(text, timeout=USER_REGEX_SECONDS))
        except TimeoutError:
            raise InputError(
                f"group {self.name!r}: its regex ran over {USER_REGEX_SECONDS:g} s on a text of {len(text)} "
                "characters and was stopped; simplify it (nested repeats such as (a+)+ take exponential time)"
            ) from None


@dataclass(frozen=True)
class AlsoFound:
    """A patterned group that also takes what other finders return: what a call's transcript writes in words
    (`core.path.spoken`: a phone number, a postcode, an e-mail address or a street read out), the learned tagger's
    spans (`core.path.learned`)."""

    base: PatternGroup
    finders: tuple[Callable[[str], list[tuple[int, int]]], ...]
    needs_ner: bool = False

    @property
    def name(self) -> str:
        return self.base.name

    def find(self, text: str, entities: Sequence[Entity] = ()) -> list[tuple[int, int]]:
        return self.base.find(text, entities) + [span for finder in self.finders for span in finder(text)]


_DIGIT = re.compile(r"\d")
# Order is priority: where spans of two withheld groups overlap, the merged span is named after the earlier group of
# those whose own span is the whole merged span, else after the earlier group (`_merged`).
BUILTIN_RECOGNIZERS: tuple[Recognizer, ...] = (
    AlsoFound(PatternGroup("email", _EMAIL, prefilter=re.compile("@|%40")), (spoken_emails,)),
    PatternGroup("url", _URL, prefilter=re.compile(r"(?i)https?:|www\.|\.[a-z]{2,4}/")),
    PatternGroup("ip", _IP, "ip", prefilter=re.compile(r"[.:]")),
    AlsoFound(PatternGroup("iban", _IBAN, "iban", prefilter=_DIGIT), (_cued(_CUED_IBAN),)),
    AlsoFound(PatternGroup("card", _CARD, "luhn", prefilter=_DIGIT), (_cued(_CUED_CARD),)),
    *PRESIDIO_PATTERN_GROUPS,  # ssn, id_number
    AlsoFound(PatternGroup("phone", _PHONE, "phone", exclude=_NO_PHONE, prefilter=_DIGIT), (spoken_phones,)),
    PatternGroup("date", DATE, prefilter=DATE_PREFILTER, value_groups=True),
    # The learned tagger's streets at the least confidence chosen on the hand-written test halves and benign text
    # (bench/RESULTS.md, "fourteenth round").
    AlsoFound(
        PatternGroup("address", ADDRESS, "address", prefilter=_DIGIT, value_groups=True, trim=as_its_block),
        (
            spoken_postcodes,
            spelled_uk_postcodes,
            spoken_streets,
            functools.partial(spoken_codes, kind="postcode"),
            learned_finder("ST", confidence=0.7, keep=reads_as_a_street, prefilter=may_hold_a_street),
        ),
    ),
    PatternGroup("age", AGE, "age", exclude=NOT_AN_AGE, prefilter=AGE_PREFILTER, value_groups=True),
    *ENTITY_GROUPS,  # affiliation, occupation, person, location, nrp, organization
    PatternGroup("number", _NUMBER, prefilter=_DIGIT),
)
BUILTIN_GROUPS = tuple(r.name for r in BUILTIN_RECOGNIZERS)
# `withhold=pii` names every personal-data group; organisations are noisy (and often not personal): opt in.
PII_GROUPS = tuple(g for g in BUILTIN_GROUPS if g not in ("organization", "number"))
NER_GROUPS = tuple(r.name for r in BUILTIN_RECOGNIZERS if r.needs_ner)
# The words a typed placeholder uses: what kind of thing stood there, never the thing itself.
TYPED_WORDS: Mapping[str, str] = {
    "email": "email",
    "url": "link",
    "ip": "address",
    "iban": "account",
    "card": "card",
    "ssn": "number",
    "id_number": "number",
    "phone": "phone",
    "date": "date",
    "address": "address",
    "age": "age",
    "person": "person",
    "location": "place",
    "nrp": "group",
    "affiliation": "organisation",
    "occupation": "job",
    "organization": "company",
    "number": "number",
}
PLACEHOLDER_STYLES = ("typed", "unknown")
DEFAULT_PLACEHOLDER_STYLE = "unknown"  # the typed word did not do better on SST-2: bench/RESULTS.md, "Placeholders"


# A user's regex gets this long per text; a built-in pattern has no nested repeats and needs no limit.
USER_REGEX_SECONDS = 1.0
# At definition a user's regex must get through texts that make nested repeats backtrack, within this long in all.
_PROBE_SECONDS = 0.25
# "(a+)+$" grows as a cube in the regex package: 0.2 s on 400 "a"s and a "!", 2.6 s on 1,000, so 1,000 exceeds the
# budget on a machine ten times faster than this one, while linear and quadratic patterns ("\w+$") take milliseconds.
_PROBE_LENGTH = 1000


def _probes(pattern: str) -> list[str]:
    """Runs of each character the pattern names (and of a letter, a digit, a space), each followed by one that ends
    a match: where nested repeats backtrack exponentially, one of these finds it."""
    characters = sorted({ch for ch in pattern if ch.isalnum() or ch in " .-_@"} | set("a0 "))
    return [ch * _PROBE_LENGTH + end for ch in characters for end in ("!", "\n")]


def _guarded(name: str, source: str) -> regex.Pattern[str]:
    """The user's regex for the `regex` package, refused if it backtracks without end on the probes."""
    guarded = regex.compile(source)
    deadline = time.perf_counter() + _PROBE_SECONDS
    for probe in _probes(source):
        left = deadline - time.perf_counter()
        try:
            if left <= 0:
                raise TimeoutError
            guarded.search(probe, timeout=left)
        except TimeoutError:
            raise InputError(
                f"group {name!r}: the regex backtracks without end on repeated text (nested repeats such as (a+)+); "
                "write it without a repeat inside a repeat"
            ) from None
    return guarded


def expand_pii(groups: Iterable[str]) -> frozenset[str]:
    """Lower-cased group names with the shorthand `pii` replaced by every personal-data group."""
    wanted = {g.strip().lower() for g in groups if g.strip()}
    return frozenset((wanted - {"pii"}) | set(PII_GROUPS)) if "pii" in wanted else frozenset(wanted)


def custom_group(name: str, *, regex: str | None = None, words: Sequence[str] | None = None) -> PatternGroup:
    """A user-defined group from a regex or a (case-insensitive, whole-word) word list."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise InputError(f"group name {name!r} must be lower-case letters, digits or _ (e.g. customers)")
    if name in BUILTIN_GROUPS or name == "pii":
        raise InputError(f"group {name!r} is built in: pick another name for your own group")
    if (regex is None) == (words is None):
        raise InputError(f"group {name!r} needs exactly one of a regex or a word list")
    if words is not None:
        # longest first, so that "Alice Smith" wins over "Alice"; then alphabetical, so that one word list always
        # gives one regex (a set's order changes between processes, and the definition is fingerprinted)
        cleaned = sorted({w.strip() for w in words if w.strip()}, key=lambda w: (-len(w), w))
        if not cleaned:
            raise InputError(f"group {name!r} has an empty word list")
        regex = r"\b(?:" + "|".join(re.escape(w) for w in cleaned) + r")\b"
        return PatternGroup(name, re.compile(regex, re.IGNORECASE))
    try:
        pattern = re.compile(regex or "")
    except re.error as exc:
        raise InputError(f"group {name!r}: the regex does not compile ({exc})") from None
    if pattern.search(""):
        raise InputError(f"group {name!r}: the regex matches empty text; make it match at least one character")
    return PatternGroup(name, pattern, guarded=_guarded(name, pattern.pattern))


def parse_group_option(option: str) -> PatternGroup:
    """Parse the CLI form NAME=regex:PATTERN or NAME=words:A,B,C."""
    name, sep, rest = option.partition("=")
    kind, sep2, body = rest.partition(":")
    if not sep or not sep2 or kind not in ("regex", "words"):
        # the option's value is not repeated: a word list is often of people's names
        what = f"--group {name.strip()!r}" if sep and name.strip() else "a --group option"
        raise InputError(f"{what}: write NAME=regex:PATTERN or NAME=words:Alice,Bob (its kind is regex or words)")
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
    """Text with withheld spans replaced by a placeholder.

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
    """The input groups a model template offers: built-ins plus the user's own; and how a span is replaced."""

    def __init__(self, custom: Iterable[PatternGroup] = (), placeholder_style: str = DEFAULT_PLACEHOLDER_STYLE) -> None:
        if placeholder_style not in PLACEHOLDER_STYLES:
            raise InputError(f"placeholder {placeholder_style!r} is unknown: choose {' or '.join(PLACEHOLDER_STYLES)}")
        self.custom: tuple[PatternGroup, ...] = tuple(custom)
        self.recognizers: tuple[Recognizer, ...] = BUILTIN_RECOGNIZERS + self.custom
        self.placeholder_style = placeholder_style

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.recognizers)

    def add(self, recognizer: PatternGroup) -> None:
        """Offer one more (user-defined) group, after all others in priority."""
        if recognizer.name in self.names:
            raise InputError(f"group {recognizer.name!r} exists already: pick another name")
        self.custom = (*self.custom, recognizer)
        self.recognizers = (*self.recognizers, recognizer)

    def definitions(self, groups: Iterable[str]) -> dict[str, str]:
        """The definitions of the user-defined groups among `groups`, by name.

        Built-in groups are fixed by the code. A user's group is whatever this session says it is, so a record
        keeps a fingerprint of its definition (`DecisionStore.group_fingerprints`) and a reproduction can tell
        when the group now means something else.
        """
        wanted = self.expand(groups)
        return {group.name: group.definition for group in self.custom if group.name in wanted}

    def expand(self, groups: Iterable[str]) -> frozenset[str]:
        """Group names with `pii` expanded; unknown names refused with the list of groups."""
        wanted = expand_pii(groups)
        unknown = sorted(wanted - set(self.names))
        if unknown:
            raise InputError(f"unknown input group {', '.join(unknown)}: known groups are pii, {', '.join(self.names)}")
        return wanted

    def find(self, text: str, groups: Iterable[str] | None = None) -> list[Span]:
        """Non-overlapping spans of the given groups (all groups if None), in text order."""
        return self.find_many([text], groups)[0]

    def find_many(self, texts: Sequence[str], groups: Iterable[str] | None = None) -> list[list[Span]]:
        """Spans per text; named entities (if a wanted group needs them) are found for all texts in one batch, and
        a text that comes more than once is read once (its spans depend on nothing else)."""
        wanted = set(self.names if groups is None else groups)
        active = [r for r in self.recognizers if r.name in wanted]
        ner_labels = {label for r in active if isinstance(r, EntityGroup) for label in r.labels | r.borrowed}
        distinct = list(dict.fromkeys(texts))
        views = [readable(text) for text in distinct]
        entities = find_entities([view.text for view in views], ner_labels) if ner_labels else [[] for _ in distinct]
        found = {
            text: _read_back(view, _merged(view.text, active, named))
            for text, view, named in zip(distinct, views, entities, strict=True)
        }
        return [list(found[text]) for text in texts]

    def find_by_group(self, text: str) -> dict[str, list[Span]]:
        """Every group's own spans (not merged across groups), with one NER pass for all of them."""
        labels = {label for r in self.recognizers if isinstance(r, EntityGroup) for label in r.labels | r.borrowed}
        view = readable(text)
        entities = find_entities([view.text], labels)[0]
        return {r.name: _read_back(view, _merged(view.text, [r], entities)) for r in self.recognizers}

    def placeholder(self, group: str, unknown_token: str) -> str:
        return TYPED_WORDS.get(group, group) if self.placeholder_style == "typed" else unknown_token

    def withhold(self, text: str, groups: Iterable[str], unknown_token: str) -> WithheldText:
        """Replace every span of `groups` by its placeholder; the original span text is not kept anywhere."""
        return self.withhold_many([text], groups, unknown_token)[0]

    def withhold_many(self, texts: Sequence[str], groups: Iterable[str], unknown_token: str) -> list[WithheldText]:
        groups = list(groups)
        if not groups:
            return [WithheldText(text, ()) for text in texts]
        found = self.find_many(texts, groups)
        return [self._replace(text, spans, unknown_token) for text, spans in zip(texts, found, strict=True)]

    def _replace(self, text: str, spans: Sequence[Span], unknown_token: str) -> WithheldText:
        pieces: list[str] = []
        replacements: list[tuple[str, int, int, int, int]] = []
        cursor = 0
        length = 0
        for span in spans:
            placeholder = self.placeholder(span.group, unknown_token)
            pieces.append(text[cursor : span.start])
            length += span.start - cursor
            pieces.append(placeholder)
            replacements.append((span.group, span.start, span.end, length, length + len(placeholder)))
            length += len(placeholder)
            cursor = span.end
        pieces.append(text[cursor:])
        return WithheldText("".join(pieces), tuple(replacements))


def _read_back(view: Readable, spans: list[Span]) -> list[Span]:
    """Spans found in a text's readable view, at their places in the text itself."""
    if view.origins is None:
        return spans
    return [Span(span.group, *view.original(span.start, span.end)) for span in spans]


def _merged(text: str, recognizers: Sequence[Recognizer], entities: Sequence[Entity]) -> list[Span]:
    """Spans of all recognizers and the cells of a table about people (`core.path.tables`); overlapping ones merge
    into one span, named after the highest-priority group whose own span is the whole of it ("Rua Augusta 274,
    1100-053 Lisboa" is an address that holds a phone-shaped "1100-053"), else after the highest-priority group among
    them; a table's cell goes first."""
    found = [
        (priority, start, end)
        for priority, recognizer in enumerate(recognizers)
        for start, end in recognizer.find(text, entities)
        if end > start
    ]
    names = [r.name for r in recognizers]
    tabled = {name for name in names if name in TABLE_GROUPS}
    cells = [cell for cell in table_cells(text) if cell[0] in tabled] if tabled else []
    if cells:  # a span across two cells or more read the table as prose ("Obi,Lagos" a place): the cells replace it,
        # and a cell's column names it before any recogniser does ("Leeds" under "city" is a place, whatever the NER)
        starts, ends = [start for _, start, _ in cells], [end for _, _, end in cells]
        found = [item for item in found if bisect_left(starts, item[2]) - bisect_right(ends, item[1]) < 2]
        for group, start, end in cells:
            found.append((len(names), start, end))
            names.append(group)
    found.sort(key=lambda item: (item[1], -item[2]))
    clusters: list[list[tuple[int, int, int]]] = []
    for item in found:
        if clusters and item[1] < max(end for _, _, end in clusters[-1]):
            clusters[-1].append(item)
        else:
            clusters.append([item])
    spans = []
    for cluster in clusters:
        start, end = cluster[0][1], max(item[2] for item in cluster)
        whole = [priority for priority, first, last in cluster if (first, last) == (start, end)]
        priority = min(whole or [item[0] for item in cluster], key=lambda p: p if p < len(recognizers) else -1)
        spans.append(Span(names[priority], start, end))
    return spans
