"""Cells of tables and key=value pairs whose header names personal data (`core.path.tables`): withheld as their
column's group even where the NER and the patterns miss them; other tables and prose left alone."""

import pytest

from core.path import PII_GROUPS, GroupSet
from core.path.tables import table_cells

GROUPS = GroupSet()


def cells(text: str) -> list[tuple[str, str]]:
    return [(group, text[start:end]) for group, start, end in table_cells(text)]


def withheld(text: str) -> list[str]:
    return [text[s.start : s.end] for s in GROUPS.find(text, PII_GROUPS)]


def test_csv_cells_under_personal_columns() -> None:
    text = "id,first_name,last_name,email,city,dob\n1043,Chidi,Okafor,chidi@example.com,Enugu,1988-02-01"
    assert cells(text) == [
        ("person", "Chidi"),
        ("person", "Okafor"),
        ("location", "Enugu"),
        ("date", "1988-02-01"),
    ]
    assert {"Chidi", "Okafor", "Enugu", "chidi@example.com", "1988-02-01"} <= set(withheld(text))
    assert "1043" not in withheld(text)


def test_semicolon_rows_keep_a_comma_inside_a_cell_and_quoted_commas_stay_in_their_cell() -> None:
    text = "customer_id;name;phone;postcode\n88172;Hernández, Carla;+34 612 44 98 21;46001"
    assert cells(text) == [("person", "Hernández, Carla"), ("address", "46001")]  # the phone is the pattern's
    quoted = 'name,city,age,email\n"Okafor, Chidi",Enugu,41,chidi@example.com'
    assert cells(quoted) == [("person", "Okafor, Chidi"), ("location", "Enugu"), ("age", "41")]


def test_markdown_table_with_its_rule_line() -> None:
    text = (
        "| # | Full name | Age | Town |\n|---|---|---|---|\n| 1 | Ruth Abernethy | 71 | Stonehaven |\n"
        "| 2 | Callum Abernethy | 74 | Oban |"
    )
    assert cells(text) == [
        ("person", "Ruth Abernethy"),
        ("age", "71"),
        ("location", "Stonehaven"),
        ("person", "Callum Abernethy"),
        ("age", "74"),
        ("location", "Oban"),
    ]
    assert {"71", "74", "Stonehaven", "Oban"} <= set(withheld(text))


def test_a_table_ends_where_rows_stop_matching_its_header() -> None:
    text = "full name\tage\tcity\nAsha Verma\t34\tPune\n\nThanks, the team will call them on Monday."
    assert cells(text) == [("person", "Asha Verma"), ("age", "34"), ("location", "Pune")]
    prose = "first_name,city\nAnna,Oslo\nCall me tomorrow, okay"  # a row whose name is no name ends the table
    assert cells(prose) == [("person", "Anna"), ("location", "Oslo")]
    summary = "name,email,age\nAna Ruiz,ana@example.com,34\nAverage,,37"
    assert cells(summary) == [("person", "Ana Ruiz"), ("age", "34")]


def test_key_value_pairs() -> None:
    text = "first_name=priya; last_name=sharma; age=29; city=Pune; pincode=411001"
    assert cells(text) == [
        ("person", "priya"),
        ("person", "sharma"),
        ("age", "29"),
        ("location", "Pune"),
        ("address", "411001"),
    ]
    address = "name=Li Wei, email=li@example.com, address=Room 1203, 88 Nanjing Rd"
    assert cells(address) == [("person", "Li Wei"), ("address", "Room 1203, 88 Nanjing Rd")]


@pytest.mark.parametrize(
    "text",
    [
        "product,price,qty\nWidget,4.99,3\nGadget,12.50,1",  # no column of personal data
        "name,price,stock\nWidget Pro,4.99,3",  # "name" alone heads product tables: no other personal column
        "name=build-42; version=3.1",  # the same for pairs
        'def greet(name="World", age=0):',
        "Name,Country,Price\nGouda,Netherlands,4.99\nManchego,Spain,6.50",  # a name and a place: no person's record
        "| Name | Age | Town |\n| Lagavulin | 16 | Islay |",
        "city,high,low\nOslo,4,-2\nLagos,31,24",  # weather by city: no name column
        "host=db1; state=Running; region=Frankfurt",
        "ticket,state,age\n4471,Open,n/a\n4472,Pending,3 days",  # a status, no region; no age in those cells
        "The film, however, is long.\nThe cast, however, is fine.",  # prose with commas is no table
        "x = 3; y = 4",
    ],
)
def test_tables_and_pairs_without_personal_columns_are_left_alone(text: str) -> None:
    assert cells(text) == []


def test_an_age_column_takes_ages_only_and_a_postcode_column_short_codes_with_a_digit() -> None:
    text = "name,age,zip,email\nAna Ruiz,unknown,none,ana@example.com\nBo Li,134,ABCDEFGHIJKLMN,bo@example.com"
    assert cells(text) == [("person", "Ana Ruiz"), ("person", "Bo Li")]


def test_only_wanted_groups_are_withheld() -> None:
    text = "first_name,age\nChidi,41"
    found = GROUPS.find(text, ["age"])
    assert [(s.group, text[s.start : s.end]) for s in found] == [("age", "41")]
