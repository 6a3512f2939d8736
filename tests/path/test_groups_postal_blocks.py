"""Postal addresses as letterheads, labels and signatures write them (issue 27, twentieth round): a building's number
before a street that carries its own, a unit's line with the town's and country's lines under it, towns joined by a
little word or followed by their province, the country's line under the postcode's in its own language; weekdays of
any language before a date, a class's year, a plate in a form's field."""

import pytest

from core.path import GroupSet

GROUPS = GroupSet()


def spans(text: str, group: str) -> list[str]:
    return [text[s.start : s.end] for s in GROUPS.find(text, [group])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7532 Algade 60\n Apt. 021\n Hammel\n Denmark", ["7532 Algade 60\n Apt. 021\n Hammel\n Denmark"]),
        ("Ravil had given me his address: 01543 Letališka 75", ["01543 Letališka 75"]),
        (
            "Please send it to 299 Tala 1153 Apt. 594, HAYBOROUGH, Australia 61736",
            ["299 Tala 1153 Apt. 594, HAYBOROUGH, Australia 61736"],
        ),
        (
            "6757 Vila Miguel Tavares 1160\n Apt. 748\n Fortaleza\n Brazil 61603",
            ["6757 Vila Miguel Tavares 1160\n Apt. 748\n Fortaleza\n Brazil 61603"],
        ),
        (
            "Alpenblick Tourismus GmbH\nHauptplatz 3\n5700 Zell am See\nÖsterreich\nT +43 6542 72 19 0",
            ["Hauptplatz 3\n5700 Zell am See\nÖsterreich"],
        ),
        (
            "Arredamenti Bellandi S.r.l.\nVia Pisana 112\n50018 Scandicci (FI)\nItalia\nTel. 055 752 3391",
            ["Via Pisana 112\n50018 Scandicci (FI)\nItalia"],
        ),
        (
            "Recipient: Carmen Ruiz Ortega\nC/ Mayor 11, 1º izq.\n44500 Andorra (Teruel)\nSpain",
            ["C/ Mayor 11, 1º izq.\n44500 Andorra (Teruel)\nSpain"],
        ),
        ("Lakcím: 6720 Szeged, Kárász u. 9.", ["6720 Szeged, Kárász u. 9"]),
        ("Adres: Atatürk Cad. No:45 D:7, Karşıyaka/İzmir.", ["Atatürk Cad. No:45 D:7, Karşıyaka/İzmir"]),
        ("Cheers,\nMarloes\nOudegracht 231-bis\n3511 NR Utrecht", ["Oudegracht 231-bis\n3511 NR Utrecht"]),
        ("8765 94 boulevard Amiral Courbet\nParis", ["8765 94 boulevard Amiral Courbet\nParis"]),
        ("The bus drops you off at 37689 7 rue des Lacs every day.", ["37689 7 rue des Lacs"]),
        ("Send it to Suite 134, Ólafsfjörður, Iceland 61484. Thanks", ["Suite 134, Ólafsfjörður, Iceland 61484"]),
        # a quoted mail's or a template's marks open each line of the block
        (
            "> 2409 Lundsbjergvej 10\n> Suite 627\n> Jyderup\n> Denmark 03731",
            ["2409 Lundsbjergvej 10\n> Suite 627\n> Jyderup\n> Denmark 03731"],
        ),
    ],
)
def test_postal_blocks_of_many_countries(text: str, expected: list[str]) -> None:
    assert spans(text, "address") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in 2019 Hauptstraße 5 was rebuilt", ["Hauptstraße 5"]),  # a year is no building's number
        ("see Table u. 5 and Tabelle 3 u. 5", []),  # "u." is a street's word only after a Hungarian town
        ("Suite 400, Microsoft said", ["Suite 400"]),  # a unit takes a town only on the lines under it
        ("I paid 300 Via Roma", []),
        ("Invoice 22 Via Roma 5", ["Via Roma 5"]),  # a number after another word is none of the address
        ("Arrive at 0800 Hangar 7. It airs at 1800 Channel 5. Bake at 180 Gas Mark 4.", []),  # times, no buildings
        ("Price Cad. 15 per unit; Az. 4711 Schmidt, Meier u. 2 weitere Beteiligte", []),
        ("Suite 12\nOpening Remarks\nCoffee Break", ["Suite 12"]),  # no postcode under a programme's room
        ("ship to 12 Main St, Leeds on Monday.", ["12 Main St"]),
        ("12 Main St\n- Leeds\n- York", ["12 Main St"]),  # a list's bullets are no quoted block
    ],
)
def test_numbers_and_words_beside_an_address_that_are_no_part_of_it(text: str, expected: list[str]) -> None:
    assert spans(text, "address") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "SHIP TO:\nHENRIK NIELSEN\nSOLVÆNGET 7, 2. TV\n8600 SILKEBORG\nDENMARK\nPH +45 22 61 83 40",
            ["8600 SILKEBORG", "DENMARK"],
        ),
        ("Kodemat s.r.o.\nNa Příkopě 22\n110 00 Praha 1\nCzech Republic", ["110 00 Praha", "Czech Republic"]),
        ("Invoice 22345\nThanks", []),
        ("SKU 55012\nMilan\nKundennummer 482913\nDeutschland", []),  # a label's number is no postcode
    ],
)
def test_a_country_alone_under_the_postcodes_line(text: str, expected: list[str]) -> None:
    assert spans(text, "location") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Termin: Lena Fischer, Donnerstag, 10.04.2025, 14:15 Uhr", ["Donnerstag, 10.04.2025, 14:15"]),
        ("Zustellung voraussichtlich Mittwoch, 22.05.", ["Mittwoch, 22.05."]),
        ("Thursday 10/04/2025 at 3pm", ["Thursday 10/04/2025", "3pm"]),
        ("Mon 12.08.2024; Friday 21.06. works", ["Mon 12.08.2024", "Friday 21.06."]),
        ("am 12.03.2025 um 14:30 Uhr", ["12.03.2025", "14:30"]),
        ("Alumni dinner, St Andrew's College Class of 1995", ["1995"]),
        ("Chloé Martin (class of 2011) was promoted", ["2011"]),
        ("a class of 30 pupils", []),
        ("The Invincible class of 1907 introduced battlecruisers; Class of 1999 is a film.", []),
        ("Plácido Domingo, 12.3. Gala; Sabato, 10.11. release candidate", []),
    ],
)
def test_weekdays_before_a_date_and_a_class_year(text: str, expected: list[str]) -> None:
    assert spans(text, "date") == expected


def test_a_plate_in_a_forms_reg_field() -> None:
    assert spans("Vehicle details: Reg LK68 XRT | Make: Ford Focus", "id_number") == ["LK68 XRT"]
    assert spans("The police noted reg YT19 ZPB near the school.", "id_number") == ["YT19 ZPB"]
    assert spans("Reg went to the shop; Reg 1234 of the act; Reg DB01 add to the accumulator", "id_number") == []
