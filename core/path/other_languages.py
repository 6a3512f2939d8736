"""Words of other languages that the English NER reads as person names: "Mein Sohn", "olen", "Kundin", "Wiek".

The NER was trained on English, where a capitalised word inside a sentence is mostly a name; in German every noun is
capitalised, and in every language a form's field labels are ("Kundin:", "Wohnort:", "Életkor:"). Two lists mark
what is no name: the stop words of sixteen languages that spaCy ships (less English stop words and words English
uses often: "like", "war", "man"), and form field labels of many languages (`FIELD_WORDS`). A text with two or more of
those stop words (not counting listed names) is written in another language; there a single capitalised word the
NER calls a person is a noun unless it is a listed name.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable
from typing import Any

from core.path.casing import CAPITALS
from core.path.name_list import given_names, is_given_name, is_listed_name

# Languages whose stop words mark a text as not English (spacy.lang.<code>.stop_words).
OTHER_LANGUAGES = ("de", "fr", "es", "it", "pt", "nl", "sv", "da", "nb", "fi", "pl", "tr", "cs", "hu", "ro", "id")
# The English pipeline's vector table is ordered by frequency: a word whose vector is one of its first rows is an
# English word ("like" is row 69, "war" 681, "tale" 6,424); German "mein" and Dutch "mijn" map past 15,000.
ENGLISH_ROWS = 10_000
_FIELD_WORDS_TEXT = """
kunde kundin patient patientin anliegen betreff status wohnort geburtsdatum geburtsort geschlecht adresse anschrift
telefon beruf vorname nachname staatsangehörigkeit nombre apellido apellidos motivo estado ciudad edad dirección
teléfono fecha nacimiento paciente cliente nom prénom objet ville âge commentaire sexe nationalité città età cognome
indirizzo oggetto sesso cidade idade nome sobrenome morada endereço assunto woonplaats leeftijd naam achternaam adres
onderwerp geslacht wiek miasto imię nazwisko temat płeć ålder ort namn efternamn ämne kön věk město jméno příjmení
életkor név város lakcím yaş şehir adı soyadı cinsiyet umur kota nama alamat tuổi tên klient klientka
"""
FIELD_WORDS = frozenset(_FIELD_WORDS_TEXT.split())
# Function words of other languages that English text uses too rarely to matter but that have an English vector
# row among the first (so `foreign_stop_words` leaves them out): articles and the commonest verbs.
_COMMON_FOREIGN_TEXT = """
und der das dem ein eine einen ich wir ist sind nicht auch het een mijn zijn niet ook wordt heeft est sont avec dans
une les el los las una muy il gli che sono della nel não uma com os och att är jag sie bitte danke
"""
_COMMON_FOREIGN = frozenset(_COMMON_FOREIGN_TEXT.split())
# Name particles: at the end of a span they are no part of a name ("Señora de").
_PARTICLES = frozenset(
    ["van", "von", "der", "den", "de", "du", "da", "di", "del", "della", "dos", "das", "le", "la", "bin", "al", "y"]
)
# Titles and prepositions of place of these languages: one unlisted word after them is still a name or a place.
_TITLES_TEXT = """
signor signora sig. sig.ra señor señora sr. sra. don doña herr frau monsieur madame mme m. mlle dott. dott.ssa pan pani
senhor senhora dona meneer mevrouw dhr. mevr. heer
"""
_TITLES = frozenset(_TITLES_TEXT.split())
_LOCATIVES_TEXT = "in i à a en em nach aus von da di de w z we ze till från naar uit bei"
_LOCATIVES = frozenset(_LOCATIVES_TEXT.split())
_LOWER_ARTICLES = frozenset(
    ["die", "den", "des", "het", "el", "los", "las", "il", "gli", "lo", "les", "une", "um", "uma"]
)
# Greetings of other languages that open a message ("Helo, Siân…", "Bon dia", "Goeie môre", "Kia ora", "Sawubona"):
# the NER reads the capitalised word as a name or a place. No part of a person's or place's span where they open a
# line or a sentence with a comma or a lower-case word after them (`_opens_with_a_greeting`).
_GREETINGS_TEXT = """
helo bore bon goeie kia sawubona molo dumela jambo habari hola buenos buenas bonjour bonsoir salut ciao salve
buongiorno buonasera olá ola bom boa hallo moin servus grüezi grüß hej hejsan hei moi terve tere sveiki labas labdien
szia jó ahoj dobrý dobry dzień cześć czesc zdravo bok pozdrav merhaba selamat namaste aloha talofa bula mabuhay
kumusta yassou geia kalimera goedemorgen goedemiddag goeiedag halló góðan goddag dankie poštovani postovani muraho
mwaramutse salam salaam sannu shikamoo mambo 안녕하세요 こんにちは 您好 你好
"""
_GREETINGS = frozenset(_GREETINGS_TEXT.split())
_TOKEN = re.compile(r"\S+")
_LOWER_WORD_AFTER = re.compile(r"[ \t]+[^\W\d_A-Z]")
# A field label's colon, after its last character, or after up to two lower-case words ("Wiek dziecka:").
_COLON = re.compile(rf".?(?:[ \t]+(?![{CAPITALS}])[^\W\d_]+){{0,2}}[ \t]*[:：]")
_LABEL_END = re.compile(r".?[ \t]*[:：]")  # a colon just after a word's last character
_LETTERS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_EDGE_PUNCTUATION = ".,;:!?()[]\"'’“”«»"


_FOREIGN_CACHE: dict[int, dict[str, frozenset[str]]] = {}


def stop_words_by_language(vocab: Any) -> dict[str, frozenset[str]]:
    """Per language of `OTHER_LANGUAGES`, its stop words that are no English word (no English stop word, no vector
    among the first `ENGLISH_ROWS` of the English pipeline's `vocab`), with `_COMMON_FOREIGN`."""
    key = id(vocab)
    if key not in _FOREIGN_CACHE:
        from spacy.lang.en.stop_words import STOP_WORDS

        rows = vocab.vectors.key2row
        _FOREIGN_CACHE[key] = {
            language: _COMMON_FOREIGN
            | frozenset(
                word
                for word in importlib.import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS
                if len(word) > 1
                and word not in STOP_WORDS
                and rows.get(vocab.strings[word], ENGLISH_ROWS) >= ENGLISH_ROWS
            )
            for language in OTHER_LANGUAGES
        }
    return _FOREIGN_CACHE[key]


@functools.cache
def _union(key: int) -> frozenset[str]:
    return frozenset().union(*_FOREIGN_CACHE[key].values())


def foreign_stop_words(vocab: Any) -> frozenset[str]:
    """The stop words of every language of `stop_words_by_language`."""
    stop_words_by_language(vocab)
    return _union(id(vocab))


def _listed(word: str) -> bool:
    """A listed name; a word in lower case only if a given name of the many-language list ("kasia", not "olen")."""
    if word.islower():
        return word.upper() in given_names()
    return is_listed_name(word)


def once_a_text(compute: Callable[[str, Any], bool]) -> Callable[[str, Any], bool]:
    """`compute(text, vocab)` worked out once a text (the last 16 texts; a text's spans are screened together): each
    NER span of a text asks it, and a text with thousands of spans made it quadratic (9 s for 24,000 characters of
    "12345 AB, ")."""
    vocabs: dict[int, Any] = {}

    @functools.lru_cache(maxsize=16)
    def cached(text: str, vocab_key: int) -> bool:
        return compute(text, vocabs[vocab_key])

    @functools.wraps(compute)
    def once(text: str, vocab: Any) -> bool:
        vocabs[id(vocab)] = vocab
        return cached(text, id(vocab))

    once.cache_info = cached.cache_info  # type: ignore[attr-defined]
    return once


@once_a_text
def written_in_another_language(text: str, vocab: Any) -> bool:
    """Two or more different stop words of one other language, or one in a text of eight words or fewer ("Mein Sohn
    ist zwölf", "olen Aino Virtanen ja asun Oulussa"); a listed name is no stop word ("Ellen", "Allen"), unless
    written in lower case in a text that has capitals ("olen")."""
    stop = foreign_stop_words(vocab)
    words = _LETTERS.findall(text)
    all_lower = text.islower()  # chat and SST-2 write names in lower case too: there "tom" and "kim" are names
    found = {
        word.lower()
        for word in words
        if word.lower() in stop
        and word.lower() not in _PARTICLES
        and (not is_listed_name(word) or (word.islower() and not all_lower))
    }
    if len(found) == 1:
        return len(words) <= 8
    return any(len(found & language) >= 2 for language in stop_words_by_language(vocab).values())


def screen_person(text: str, start: int, end: int, vocab: Any) -> tuple[int, int] | None:
    """A person span of the NER without, at its edges, the field labels (before a colon, or in a text of another
    language), lower-case articles and stop words of other languages ("Mein Sohn" -> "Sohn", "Kundin:" -> nothing).
    In a text of another language also: a name that starts with a capital ends before its first lower-case word, the
    words before its first listed name go ("Sohn Leon" -> "Leon"), and nothing is left where one word that is no
    listed name remains (unless a title or "in" stands before it: "signor Ferri", "i Lund"), or lower-case words none
    of which is a given name ("olen", "heeft mijn fiets gestolen"). None: no name is left."""
    stop = foreign_stop_words(vocab)
    foreign = written_in_another_language(text, vocab)
    tokens = list(_TOKEN.finditer(text, start, end))

    def bare(token: re.Match[str]) -> str:
        return token.group().strip(_EDGE_PUNCTUATION)

    def no_name(token: re.Match[str]) -> bool:
        word = bare(token).lower()
        label = word in FIELD_WORDS and (foreign or _COLON.match(text, token.end() - 1) is not None)
        article = bare(token) in _LOWER_ARTICLES  # "die Rechnung": never the first or last word of a name
        label_tail = bare(token).islower() and _LABEL_END.match(text, token.end() - 1) is not None  # "dziecka:"
        return label or article or label_tail or (word in stop and (foreign or not is_listed_name(bare(token))))

    greeted = False
    while tokens and (no_name(tokens[0]) or _opens_with_a_greeting(text, tokens[0])):
        greeting = not no_name(tokens.pop(0))
        greeted = greeted or greeting
        while greeting and tokens and bare(tokens[0]).islower():
            tokens.pop(0)  # the greeting's second word: "Kia ora", "Goeie môre"
    if greeted and tokens and bare(tokens[0])[:1].isupper():
        return _span(tokens)  # "Helo, Dafydd": a greeting's capitalised word is who is greeted
    while tokens and (no_name(tokens[-1]) or bare(tokens[-1]) in _PARTICLES):
        tokens.pop()
    if tokens and foreign and lower_case_word_in_cased_text(text, tokens):
        return None  # "Syn ma 8 lat i chodzi do szkoły": a verb; in English text "it's kasia again" stays
    if not tokens or not foreign:
        return (tokens[0].start(), tokens[-1].end()) if tokens else None
    if all(bare(token).islower() for token in tokens):
        return None if not any(bare(token).upper() in given_names() for token in tokens) else _span(tokens)
    # a capitalised name ends before its first lower-case word that is no particle ("Sohn ist zwölf" -> "Sohn")
    ends = [i for i, token in enumerate(tokens) if i and bare(token).islower() and bare(token) not in _PARTICLES]
    tokens = tokens[: ends[0]] if ends else tokens
    while len(tokens) > 1 and bare(tokens[0]).islower() and bare(tokens[0]).lower() not in _TITLES:
        tokens.pop(0)  # "förskola i Lund" -> "Lund"
    listed = [i for i, token in enumerate(tokens) if _listed(bare(token))]
    if not listed and (len(tokens) == 1 or not all(bare(token)[:1].isupper() for token in tokens)):
        # one unlisted word is still a name after a title ("signor Ferri") and a place after "in" ("i Lund")
        before = text[max(0, tokens[-1].start() - 12) : tokens[-1].start()].lower().split()
        return _span(tokens[-1:]) if before and (before[-1] in _TITLES or before[-1] in _LOCATIVES) else None
    return _span(tokens[listed[0] :] if listed else tokens)


def _opens_with_a_greeting(text: str, token: re.Match[str]) -> bool:
    """Whether `token` is a greeting of another language where a line or sentence starts, with a comma or "!" after
    it or a lower-case word ("Helo, Siân", "Kia ora,", "Goeie môre"; not the names "Moin Khan", "Bon Scott")."""
    before = text[text.rfind("\n", 0, token.start()) + 1 : token.start()].rstrip()
    if (before and before[-1] not in ".!?") or token.group().strip(_EDGE_PUNCTUATION).lower() not in _GREETINGS:
        return False
    punctuated = token.group()[-1] in ",!" or text[token.end() : token.end() + 1] in (",", "!")
    return punctuated or _LOWER_WORD_AFTER.match(text, token.end()) is not None


# Articles that begin names of places ("Los Angeles", "La Paz", "Den Haag", "Le Havre"): kept at a place's start.
_PLACE_ARTICLES = frozenset(
    ["el", "la", "le", "les", "los", "las", "il", "lo", "den", "de", "di", "du", "da", "das", "der", "die", "het"]
)


def screen_place(text: str, start: int, end: int, vocab: Any, *, guesses: bool = True) -> tuple[int, int] | None:
    """A place span of the NER without, at its edges, field labels before a colon ("Nome: Giulia" -> nothing), a
    greeting of another language that opens the text or a sentence ("Grüezi, ich ha", "Dankie, Annelie"), and stop
    words of other languages that are no article of a place's name, in a text of another language ("Mein Opa
    ist" -> "Opa"; "asian", "Vale" and "NY" stay in English text). Where words went
    from its start and one word is left that no preposition of place comes before, it was a noun after a possessive
    or a label, not a place: None ("Mein Opa ist dreiundachtzig"), as is one lower-case word in a text that writes
    capitals with no preposition of place before it (`lower_case_word_in_cased_text`). Without `guesses` (for
    nationalities: "american dollars", "Asian Shares Tumble") only field labels go."""
    stop = foreign_stop_words(vocab)
    tokens = list(_TOKEN.finditer(text, start, end))
    in_another_language: list[bool] = []  # worked out once, when a stop word of another language is met

    def bare(token: re.Match[str]) -> str:
        return token.group().strip(_EDGE_PUNCTUATION)

    def foreign_word(token: re.Match[str]) -> bool:
        word = bare(token)
        if word.lower() not in stop or word.lower() in _PLACE_ARTICLES or is_listed_name(word) or word.isupper():
            return False  # "NY", "MA", "USA" are stop words of some language, and places in English text
        if not in_another_language:
            in_another_language.append(written_in_another_language(text, vocab))
        return in_another_language[0]

    def no_place(token: re.Match[str]) -> bool:
        label = bare(token).lower() in FIELD_WORDS and _COLON.match(text, token.end() - 1) is not None
        return label or (guesses and foreign_word(token))

    after_determiner = False  # the last word cut from the start: "Mein Opa" is a noun, "aki Pécs" a town
    while tokens and (no_place(tokens[0]) or (guesses and _opens_with_a_greeting(text, tokens[0]))):
        after_determiner = bare(tokens.pop(0)).lower() in _DETERMINERS
    while tokens and no_place(tokens[-1]):
        tokens.pop()
    if not tokens:
        return None
    if (after_determiner and len(tokens) == 1) or (guesses and lower_case_word_in_cased_text(text, tokens)):
        before = text[max(0, tokens[0].start() - 12) : tokens[0].start()].lower().split()
        if not before or before[-1] not in _LOCATIVES | _ENGLISH_LOCATIVES:
            return None
    return _span(tokens)


# Articles and possessives of other languages: one capitalised word after them is a noun ("Mein Opa", "mijn Oma").
_DETERMINERS_TEXT = """
mein meine meinen meinem meiner dein deine unser unsere der die das den dem ein eine einen einem mijn mijne onze het
een mon ma mes ton ta notre le la les un une mi mis tu nuestro nuestra el los las il lo gli mio mia meu minha os um uma
min mitt mina vår vårt ett mój moja moje minun
"""
_DETERMINERS = frozenset(_DETERMINERS_TEXT.split())
# Prepositions of place of English: a lower-case town after one stays a town ("Hi, I'm from pokhara").
_ENGLISH_LOCATIVES = frozenset(["in", "from", "near", "to", "at", "around", "outside", "visiting", "via", "of"])


def lower_case_word_in_cased_text(text: str, tokens: list[re.Match[str]]) -> bool:
    """One word in lower case that is no given name of the list, in a text that writes capitals: the NER's guess on
    a word it does not know ("aposentado", "tinggal", "cumplí", "chodzi"). A chat written all in lower case writes
    names so ("obi", "pokhara"); a text with capitals mostly does not."""
    if len(tokens) != 1 or text.islower():
        return False
    word = tokens[0].group().strip(_EDGE_PUNCTUATION)
    return word.islower() and not is_given_name(word)


def _span(tokens: list[re.Match[str]]) -> tuple[int, int]:
    return tokens[0].start(), tokens[-1].end()
