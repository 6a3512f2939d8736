"""Names in a text that writes them with capitals (core/path/name_shape.py): the English NER's readings of words of
other languages and lower-case phrases as names go; the names beside them stay."""

import pytest

from core.path import GroupSet
from core.path.name_shape import reads_as_english
from core.path.ner import _analyzer

GROUPS = GroupSet()


def found(text: str) -> list[tuple[str, str]]:
    return [(s.group, text[s.start : s.end]) for s in GROUPS.find(text, ["person", "location"])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Hinglish: the NER read "naam ... hai", "umar" (age), "saal hai aur", "rehti hoon" as people
        (
            "Mera naam Priya Sharma hai, meri umar 28 saal hai aur main Pune mein rehti hoon.",
            [("person", "Priya Sharma"), ("location", "Pune")],
        ),
        # Turkish: "dört yaşında", "okul", "kayıt yaptırmak istiyoruz" (a listed given name "kayıt" in lower case)
        ("Merhaba, oğlum Emre on dört yaşında, okul servisine kayıt yaptırmak istiyoruz.", [("person", "Emre")]),
        # Finnish lower-case phrases
        (
            "Tyttö, 9 v., allergia pähkinöille — äiti Hanna Virtanen hakee koulusta klo 15.",
            [("location", "Tyttö"), ("person", "Hanna Virtanen")],
        ),
        # a place runs on into the German sentence
        (
            "Ein Zehnjähriger hat am Samstag in Bremen einen Geldbeutel mit 400 Euro gefunden.",
            [("location", "Bremen")],
        ),
        # a form's field label of another language before its colon
        (
            "Zgłaszam szkodę komunikacyjną. Kierowca: Marek Zając, lat 45.",
            [("person", "Zgłaszam"), ("person", "Marek Zając")],
        ),
        ("Nome: Giulia Rossi, via Roma 3, Milano.", [("person", "Giulia Rossi"), ("location", "Milano")]),
        ("Umr: 62 varsh\nNaam: Rajesh Kumar Verma", [("person", "Rajesh Kumar Verma")]),
    ],
)
def test_words_written_like_no_name_are_no_names(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hey, it's kasia again — did the refund go through?", [("person", "kasia")]),
        (
            "Our customer Guðrún left her umbrella; MEHMET called, and tuomas too.",
            [("person", "Guðrún"), ("person", "MEHMET"), ("person", "tuomas")],
        ),
        ("Paulo is 22 years of age, studying in Porto.", [("person", "Paulo"), ("location", "Porto")]),
        ("Reminder: dentist appointment for Mark on 2023-11-17.", [("person", "Mark")]),
        ("Anna: are you coming tonight?", [("person", "Anna")]),
        ("Hello!! Im sarah from dundee and my bank card was swallowed", [("person", "sarah"), ("location", "dundee")]),
        ("My name is Precious and I am 12 years old.", [("person", "Precious")]),
        ("message from Lotte: i'm running 10 min late, start without me", [("person", "Lotte")]),
        (
            "Suspicious sign-in from Reedberg, Bosnia and Herzegovina.",
            [("location", "Reedberg"), ("location", "Bosnia and Herzegovina")],
        ),
        (
            "Maria da Silva moved to Rio de Janeiro last year.",
            [("person", "Maria da Silva"), ("location", "Rio de Janeiro")],
        ),
        ("hi im sarah jones and my order never came", [("person", "sarah jones")]),
    ],
)
def test_names_written_as_people_write_them_stay(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_a_text_reads_as_english_by_its_lower_case_words() -> None:
    vocab = _analyzer().analyzer_engine.nlp_engine.nlp["en"].vocab
    assert reads_as_english("Our customer left her umbrella and called twice.", vocab)
    assert not reads_as_english("meri umar 28 saal hai aur main Pune mein rehti hoon", vocab)
    assert not reads_as_english("okul servisine kayıt yaptırmak istiyoruz", vocab)


def test_a_town_after_a_pronoun_of_another_language_stays_a_noun_after_a_possessive_does_not() -> None:
    assert ("location", "Pécs") in found("Holnap megyünk a nagyihoz, aki Pécs mellett lakik.")  # "aki": who
    assert found("Mein Opa ist dreiundachtzig und wohnt allein.") == []
