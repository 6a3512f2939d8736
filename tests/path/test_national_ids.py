"""National identity numbers after the name of their kind (`core.path.national_ids`): withheld as `ssn` whatever
their checksum, in the forms of many countries; a number without its label, or a label without a number, left alone."""

import pytest

from core.path import GroupSet

GROUPS = GroupSet()


def ssn(text: str) -> list[str]:
    return [text[s.start : s.end] for s in GROUPS.find(text, ["ssn"])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My SSN is 123-45-6789", ["123-45-6789"]),  # Presidio refuses this one; the writer means it
        ("Her SSN 078-05-1120 was used.", ["078-05-1120"]),
        ("PPS No: 7654321TA", ["7654321TA"]),
        ("mi DNI es 48291736K y vivo en Madrid", ["48291736K"]),
        ("NIK 3174055407880003. Alamat: Jl. Kemang", ["3174055407880003"]),
        ("TC kimlik no 12345678901", ["12345678901"]),
        ("CPF 318.452.907-41", ["318.452.907-41"]),
        ("NI number QQ 12 34 56 C", ["QQ 12 34 56 C"]),
        ("NRIC S1234567D", ["S1234567D"]),
        ("personnummer 19850312-1234", ["19850312-1234"]),
        ("Aadhaar: 4421 8890 1276", ["4421 8890 1276"]),
    ],
)
def test_labelled_national_ids(text: str, expected: list[str]) -> None:
    assert ssn(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The SIN 2024 tour sold out",  # four digits: a year, no number of a person
        "my sin is 12345678",  # a short label counts only in capitals
        "the ssn field is blank",
        "SSN: XXX-XX-1234",  # masked: four digits left
        "Order 12345678 shipped",
        "Lot CPF 2024-11 passed inspection",  # a year and month
        "see RFC 123456.",  # a standard, no Mexican tax number
        "Bought PAN 123456 shares",
    ],
)
def test_numbers_without_their_label_or_too_short_are_no_ssn(text: str) -> None:
    assert ssn(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My KRA PIN is A004512378Z, not the one shown.", "A004512378Z"),
        ("Rodné číslo 895612/4421.", "895612/4421"),
        ("Ghana Card: GHA-712345678-9", "GHA-712345678-9"),
        ("mi CURP es HEOJ850312HDFRRS09.", "HEOJ850312HDFRRS09"),
    ],
)
def test_numbers_with_letters_after_their_label(text: str, expected: str) -> None:  # CURP, KRA PIN, Ghana Card
    assert ssn(text) == [expected]
