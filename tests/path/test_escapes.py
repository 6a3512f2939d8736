"""Line breaks and tabs written as escapes (text exported from JSON, a CSV or a log): the recognisers read them as
the whitespace they stand for, and every span lands on the original text's characters."""

import pytest

from core.path import PII_GROUPS, GroupSet
from core.path.escapes import readable

GROUPS = GroupSet()


def withheld(text: str) -> list[tuple[str, str]]:
    return [(s.group, text[s.start : s.end]) for s in GROUPS.find(text, PII_GROUPS)]


@pytest.mark.parametrize(
    ("text", "view"),
    [
        ("no escape here", "no escape here"),
        ("Regards,\\nAna", "Regards,\nAna"),
        ("a\\r\\nb\\tc\\rd", "a\nb\tc\nd"),
        ("C:\\\\new", "C:\\\\new"),  # an escaped backslash before "n" is a backslash, not a line break
        ("D:\\\\Share\\\\\\nAna", "D:\\\\Share\\\\\nAna"),  # after an escaped backslash, an escape
        # backslashes that are no escapes: a Windows path is read as it is
        ("C:\\Users\\Public\\new\\Plan.docx", "C:\\Users\\Public\\new\\Plan.docx"),
        ("It\\'s me.\\nAna", "It\\'s me.\nAna"),
        # a path ends at its file's extension: the escapes after it are read
        ("See C:\\Users\\nina\\new\\report.docx\\nThanks", "See C:\\Users\\nina\\new\\report.docx\nThanks"),
        ("D:\\Shared\\2024\\nTicket from\\nAna", "D:\\Shared\\2024\\nTicket from\nAna"),
    ],
)
def test_the_view_reads_escapes_as_whitespace(text: str, view: str) -> None:
    assert readable(text).text == view


def test_every_character_of_the_view_maps_back_onto_the_original() -> None:
    text = "Hi\\r\\nI'm Ana\\tRuiz\\n"
    view = readable(text)
    for start in range(len(view.text)):
        for end in range(start + 1, len(view.text) + 1):
            first, last = view.original(start, end)
            assert (
                text[first:last].replace("\\r\\n", "\n").replace("\\n", "\n").replace("\\t", "\t")
                == (view.text[start:end])
            )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kind regards,\\nSiobhan Gallagher\\nTel: 555-201-3344",
            [("person", "Siobhan Gallagher"), ("phone", "555-201-3344")],
        ),
        ("Call me\\t+44 7911 123456\\tafter six", [("phone", "+44 7911 123456")]),
        (
            "Attached C:\\Users\\nina\\new\\report.docx\\nThanks,\\nDaniel Kowalski\\n07700 900123",
            [("person", "Daniel Kowalski"), ("phone", "07700 900123")],
        ),
        (
            "Please send it to:\\r\\n Dašická 688\\r\\n Pardubice\\r\\n 53003",
            [("address", "Dašická 688\\r\\n Pardubice\\r\\n 53003")],
        ),
    ],
)
def test_spans_after_an_escape_are_found_and_land_on_the_original(text: str, expected: list[tuple[str, str]]) -> None:
    assert withheld(text) == expected


def test_withholding_keeps_the_escapes_and_drops_the_data() -> None:
    result = GROUPS.withhold("Thanks,\\nSiobhan Gallagher\\n555-201-3344", PII_GROUPS, "[UNK]")
    assert result.text == "Thanks,\\n[UNK]\\n[UNK]"


@pytest.mark.parametrize(
    "text",
    [
        "Ship to\n  Nybyvägen 65\n  590 31 ANKARSRUM",
        "Ship to\nNybyvägen 65 \n\tANKARSRUM\n\t590 31",
        "Ship to\nNybyvägen 65\nApt. 392\nANKARSRUM",
        "My address:\n 12 Main St\n Unit 4B\n Springfield, IL 62704",
        "742 Evergreen Terrace\nApt B\nSpringfield, IL 62704",
        "12 Main St\n#4B\nSpringfield, IL 62704",
        "Flat 0/2\n48 Kelvinhaugh Street\nGlasgow\nG3 8NX",
    ],
)
def test_an_address_block_may_be_indented_and_hold_a_unit_line(text: str) -> None:
    start = text.index("Nyby") if "Nyby" in text else text.index("12") if "12 Main" in text else 0
    assert withheld(text) == [("address", text[start:])]


@pytest.mark.parametrize(
    "text",
    [
        "Works in Python 3\n    Django\n    Flask",
        "Released on 3 Abbey Road\n    1969\n    Remastered",
        "Favourite Beatles songs:\n  1 Penny Lane\n  Yesterday\n  Help",
    ],
)
def test_indented_lines_without_a_number_are_no_part_of_an_address(text: str) -> None:
    addresses = [text[s.start : s.end] for s in GROUPS.find(text, ["address"])]
    assert addresses and all("\n" not in address for address in addresses)


def test_a_line_that_opens_with_a_unit_word_but_no_number_is_no_unit() -> None:
    assert ("address", "12 Main St\nUnit") not in withheld("Deliver to 12 Main St\nUnit price was wrong")


def test_an_ocr_d_form_is_read_as_typed() -> None:
    """Labels in capitals with a wide gap after them: a gap of two spaces is one, a wider gap between fields a line
    break, letters and digits spaced out one by one a word; every span lands on the form as scanned."""
    form = "SURNAME:  O K A F O R    FIRST NAME:  CHIDINMA\nD.O.B:  1 2 / 0 6 / 1 9 9 2\nCITY:  LONDON  SE15  4JR"
    view = readable(form)
    assert view.text == "SURNAME: OKAFOR\nFIRST NAME: CHIDINMA\nD.O.B: 12/06/1992\nCITY: LONDON SE15 4JR"
    assert ("person", "O K A F O R") in withheld(form) and ("date", "1 2 / 0 6 / 1 9 9 2") in withheld(form)
    for start in range(len(view.text)):
        first, _ = view.original(start, start + 1)
        assert view.text[start] == form[first] or (view.text[start] == "\n" and form[first] == " ")


@pytest.mark.parametrize(
    "text",
    [
        "Results:  A B C  are the options.  Note:  see below",  # one label at a line's start: no form
        "Two spaces after a full stop.  Then a table:\nA  B  C\n1  2  3",
        "TOTAL:  1 2 3 items",  # one label
    ],
)
def test_text_that_is_no_ocr_d_form_is_read_as_written(text: str) -> None:
    assert readable(text).text == text
