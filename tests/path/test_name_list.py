"""The census first-name list finds names the NER misses, only where capitalisation shows a name."""

import pytest

from core.path import GroupSet
from core.path.name_list import find_listed_names, first_names


def listed(text: str) -> list[str]:
    return [text[start:end] for start, end in find_listed_names(text)]


def test_the_list_holds_given_names_but_not_ordinary_words() -> None:
    names = first_names()
    assert {"MARIA", "FRANCISCO", "JOHN", "LINDA"} <= names
    assert not {"THE", "IN", "MAY", "WILL", "HOPE", "JUNE"} & names  # stop words, months, word-like names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The invoice was approved by Francisco Hall yesterday.", ["Francisco Hall"]),
        ("I forwarded it to Maria van der Berg and John Smith-Jones.", ["Maria van der Berg", "John Smith-Jones"]),
        ("Meeting notes: Linda Okonkwo Adeyemi, budget.", ["Linda Okonkwo Adeyemi"]),
        # no name evidence: lower case, a first name alone, or a listed name that is an ordinary word
        ("ask francisco hall about it", []),
        ("Francisco called.", []),
        ("May Day came. In Paris we walked down Hope Street.", []),
    ],
)
def test_a_listed_first_name_followed_by_capitalised_words_is_a_name(text: str, expected: list[str]) -> None:
    assert listed(text) == expected


def test_the_person_group_withholds_listed_names() -> None:
    text = "Meeting notes: Linda Okonkwo Adeyemi, budget."
    found = GroupSet().withhold(text, ["person"], "[UNK]")
    assert found.text == "Meeting notes: [UNK], budget."
    assert found.counts == {"person": 1}
