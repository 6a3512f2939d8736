"""Given names that English text knows (they have a word vector) but no dictionary holds as a word ("Rahul", "Fergus"):
names where a cue says a person is meant, never on their own (`core.path.name_list.known_given_names`)."""

import pytest

from core.path import PII_GROUPS, GroupSet
from core.path.name_cues import find_cued_names
from core.path.name_list import is_cued_given_name, is_given_name, known_given_names

GROUPS = GroupSet()


def withheld(text: str, group: str) -> list[str]:
    return [text[s.start : s.end] for s in GROUPS.find(text, PII_GROUPS) if s.group == group]


def test_the_list_holds_names_and_no_dictionary_words_places_or_days() -> None:
    names = known_given_names()
    assert {"RAHUL", "PRIYA", "RAVI", "GARETH", "FERGUS", "ARJUN"} <= names
    # words of the dictionary, large places, weekdays and the census names that are words
    assert not {"WEAVER", "DOVE", "STEWARD", "SOFIA", "MILAN", "SUNDAY", "HOPE", "GRACE"} & names


def test_a_known_name_needs_a_cue_and_is_no_name_in_capitals() -> None:
    assert not is_given_name("Rahul")  # not withheld wherever it stands, as the many-language list's names are
    assert is_cued_given_name("Rahul") and is_cued_given_name("ravi")
    assert not is_cued_given_name("TUI")  # an acronym, though "Tui" is a name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Jaguar F-Type is gorgeous but the Porsche Cayman handles better — ask Fergus, he owns both.", ["Fergus"]),
        ("hey its priyanka from upstairs, can u tell ravi the plumber is coming thurs", ["ravi"]),
        ("Rahul (34, M) checked in late", ["Rahul"]),
        ("Lost dog, answers to Bella. Call Hemi on 022 618 3340.", ["Hemi"]),
    ],
)
def test_known_names_after_a_cue(text: str, expected: list[str]) -> None:
    found = [text[start:end] for start, end in find_cued_names(text)]
    assert set(expected) <= set(found)
    assert set(expected) <= set(withheld(text, "person"))


def test_a_known_name_in_capitals_is_no_name_after_a_cue() -> None:
    text = "TUI and Royal Caribbean Expand Cruise Partnership With $1.3 Billion Deal"
    assert "TUI" not in withheld(text, "person")  # "Tui and Royal" would be two names at a sentence's start
