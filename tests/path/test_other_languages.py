"""Words of other languages the English NER reads as names (core/path/other_languages.py): field labels, articles,
nouns of a German sentence; the names beside them kept."""

import pytest

from core.path import GroupSet
from core.path.ner import _analyzer
from core.path.other_languages import foreign_stop_words, written_in_another_language

GROUPS = GroupSet()


def people(text: str) -> list[str]:
    return [text[s.start : s.end] for s in GROUPS.find(text, ["person"])]


@pytest.fixture(scope="module")
def vocab() -> object:
    return _analyzer().analyzer_engine.nlp_engine.nlp["en"].vocab


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mein Sohn ist zwölf Jahre alt und braucht ein Kinderticket.", []),
        ("Mein Sohn Leon hat sein Handy verloren.", ["Leon"]),
        ("Kundin: Renate Vogel\nAnliegen: Rückerstattung\nStatus: offen", ["Renate Vogel"]),
        ("Wiek: 31 lat, Łódź", []),
        ("Sehr geehrte Damen und Herren, mein Mann (79) ist gestürzt.", []),
        ("ik ben negenentwintig en woon in Gent", []),
        ("Ich bin siebzehn und brauche die Zustimmung meiner Eltern.", []),
        ("Bitte senden Sie die Rechnung an Hauptstraße 5. Danke, Lukas Brenner", ["Lukas Brenner"]),
        # one unlisted word stays after a title or a preposition of place
        ("Il signor Ferri, di 78 anni, ha chiamato di nuovo", ["Ferri"]),
    ],
)
def test_words_of_other_languages_are_no_names(text: str, expected: list[str]) -> None:
    assert people(text) == expected


def test_english_names_that_are_stop_words_elsewhere_stay() -> None:
    # "Dan", "Ellen", "Allen", "Tom" are stop words of Dutch, Finnish, German or Czech
    assert people("I spoke with Tom Allen and Ellen Dan yesterday.") == ["Tom Allen", "Ellen Dan"]
    assert people("Members: Leo (12), Mia (9)") == ["Leo", "Mia"]
    # lower-case English text (chat, SST-2): listed names are names, not evidence of another language
    assert people("sam mendes has become valedictorian at the school for soft landings") == ["sam mendes"]
    assert people("worth watching for dong jie 's performance") == ["dong jie 's"]
    assert people("Kind regards, M. van der Berg (Mevr.)") == ["M. van der Berg"]


def test_a_field_word_is_cut_only_before_a_colon_in_english_text() -> None:
    assert people("Kundin : Renate Vogel") == ["Renate Vogel"]
    assert "Rose Ville" in people("Corless PLC never shipped my order to Rose Ville.")


def test_a_text_is_of_another_language_by_its_stop_words(vocab: object) -> None:
    stop = foreign_stop_words(vocab)
    assert {"mein", "mijn", "olen"} <= stop
    assert not {"like", "war", "man", "care"} & stop  # English words, though stop words of other languages
    assert written_in_another_language("Mein Vater ist Ende 60 und hört schlecht.", vocab)
    assert written_in_another_language("olen Aino Virtanen ja asun Oulussa.", vocab)
    assert not written_in_another_language("I like the war film Allen and Ellen made, a fine tale.", vocab)


def test_a_surname_before_a_colon_is_a_field_label() -> None:
    from core.path.name_list import find_surnames

    text = "Wiek: 31\nMr Wiek called"
    assert [text[a:b] for a, b in find_surnames(text)] == ["Wiek"] and find_surnames(text)[0][0] > 5
