"""Input-group recognisers and withholding."""

import pytest

from core.errors import InputError
from core.groups import GroupSet, custom_group, iban_valid, luhn_valid, parse_group_option

GROUPS = GroupSet([custom_group("person", words=["Alice Smith", "Bob"])])


def spans(text: str, group: str) -> list[str]:
    return [text[s.start : s.end] for s in GROUPS.find(text, [group])]


def test_checksums() -> None:
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    assert iban_valid("GB82 WEST 1234 5698 7654 32") and not iban_valid("GB82 WEST 1234 5698 7654 33")


@pytest.mark.parametrize(
    ("group", "text", "expected"),
    [
        ("email", "write to jane.doe+x@mail.example.co.uk today", ["jane.doe+x@mail.example.co.uk"]),
        ("phone", "call +44 20 7946 0958 or (555) 123-4567", ["+44 20 7946 0958", "(555) 123-4567"]),
        (
            "phone",
            "+49 30 901820, 07700 900123, +33 1 70 18 99 00",
            ["+49 30 901820", "07700 900123", "+33 1 70 18 99 00"],
        ),
        ("phone", "on 2024-03-15 or 15.03.2024 at 12 30", []),
        ("url", "see https://example.com/a?b=1, or www.test.org.", ["https://example.com/a?b=1", "www.test.org"]),
        ("ip", "from 192.168.0.1 not 999.1.1.1", ["192.168.0.1"]),
        ("card", "card 4111 1111 1111 1111 but not 4111 1111 1111 1112", ["4111 1111 1111 1111"]),
        ("iban", "IBAN GB82 WEST 1234 5698 7654 32 and GB00 WEST 1234 5698 7654 32", ["GB82 WEST 1234 5698 7654 32"]),
        ("number", "order 12345 cost 9.99", ["12345", "9.99"]),
        ("person", "alice smith met BOB and Bobby", ["alice smith", "BOB"]),
    ],
)
def test_recognisers(group: str, text: str, expected: list[str]) -> None:
    assert spans(text, group) == expected


def test_withhold_replaces_spans_and_counts_without_keeping_text() -> None:
    text = "Mail a@b.com or c@d.org, card 4111-1111-1111-1111, ref 42."
    result = GROUPS.withhold(text, ["email", "card"], "[UNK]")
    assert result.text == "Mail [UNK] or [UNK], card [UNK], ref 42."
    assert result.counts == {"email": 2, "card": 1}
    for group, start, end, new_start, new_end in result.replacements:
        assert result.text[new_start:new_end] == "[UNK]"
        assert text[start:end] not in result.text
        assert group in ("email", "card")


def test_priority_card_over_number_when_both_withheld() -> None:
    result = GROUPS.withhold("pay 4111 1111 1111 1111 now 7", ["number", "card"], "#")
    assert result.counts == {"card": 1, "number": 1}


def test_group_option_parsing_and_errors() -> None:
    assert parse_group_option("acct=regex:ACC-\\d+").find("ref ACC-991 ok") == [(4, 11)]
    with pytest.raises(InputError, match="NAME=regex:PATTERN"):
        parse_group_option("acct")
    with pytest.raises(InputError, match="does not compile"):
        parse_group_option("acct=regex:(")
    with pytest.raises(InputError, match="built in"):
        custom_group("email", words=["x"])
