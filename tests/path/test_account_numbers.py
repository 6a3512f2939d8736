"""Numbers that tie a person to an organisation after the name of their kind (`core.path.account_numbers`):
withheld as `id_number` in the forms of many languages; a purchase's number, a year or an amount after the same words,
and a label without a number, left alone."""

import pytest

from core.path import GroupSet

GROUPS = GroupSet()


def id_numbers(text: str) -> list[str]:
    return [text[s.start : s.end] for s in GROUPS.find(text, ["id_number"])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Please renew policy QBE-5520193 before June.", ["QBE-5520193"]),
        ("My account number is 22-19-04 55817320.", ["22-19-04 55817320"]),
        ("Passport No.: K7719203, issued in Lagos", ["K7719203"]),
        ("Staff ID: 00917 will be deactivated", ["00917"]),
        ("Lena Vogt (member 88120) paid twice", ["88120"]),
        ("Ihre Kundennummer lautet 4410-2281.", ["4410-2281"]),
        ("numéro client : FR884120", ["FR884120"]),
        ("polisnummer NV-2231874 is verlopen", ["NV-2231874"]),
        ("Nr polisy: PZU/2024/55810", ["PZU/2024/55810"]),
        ("HKID Y664201(3) on the form", ["Y664201(3)"]),
        ("Student ID 2023118840 — Ola Nordmann", ["2023118840"]),
        ("Medicare number 4417 20931 was rejected", ["4417 20931"]),
        ("CIN BK118204, tél 06 11 22 33 44", ["BK118204"]),
        # a person's claim, application and booking; a plate, an employee's and a hospital's number, a licence
        ("claim ref is MTR/2026/004417 and Application no.: E001448203", ["MTR/2026/004417", "E001448203"]),
        ("two adults and a toddler. Booking ref HMXK4N2P8Q. PNR: QX4T7Z", ["HMXK4N2P8Q", "QX4T7Z"]),
        ("insured with GEICO, number plate 8KLM412. Injured worker (Emp #W0418)", ["8KLM412", "W0418"]),
        ("my reg is YK19 XHT; car reg: ab12 cde; Vehicle registration: WA66 HGF", ["YK19 XHT", "ab12 cde", "WA66 HGF"]),
        ("UHID: APL0048817263; Versichertennr. K482931774", ["APL0048817263", "K482931774"]),
        ("N° de contrat : MRH-4471029; PASSEPORT N° :  UZ4418207", ["MRH-4471029", "UZ4418207"]),
        ("her ex Ramon Delgado (DL D423-5517-8804) violated", ["D423-5517-8804"]),
    ],
)
def test_numbers_after_the_name_of_their_kind(text: str, expected: list[str]) -> None:
    assert id_numbers(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Order ID 55120 shipped; Transaction ID 991203 failed; Build ID 4471 passed.",  # a thing's number, no person
        "The central bank's monetary policy 2025 outlook",  # a year
        "Top up your account 1000 € today, or account 250 USD.",  # amounts
        "Please update my account number and policy details.",  # labels without numbers
        "policy 12 applies; account 7 is closed",  # fewer than three digits
        "the membership id is printed on the card",
        "steel plate 355 mm thick; the dl 12345 list; see plate 3 of the atlas; booking 12 rooms for 2024-25",
        # a hostile review's: a product's plate, a company's registration, public registers' and programs' applications,
        # a sandbox's zeros, a bare booking count
        "Hot plate 1500W; Steel plate S355J2; Company Reg: SC123456; Booking 25000 room nights; Emp # 000000",
        "US patent application No. 16/123,456; planning application ref 22/01234/FUL; Steam application ID 730",
    ],
)
def test_a_purchase_a_year_an_amount_or_a_bare_label_is_no_id_number(text: str) -> None:
    assert id_numbers(text) == []


def test_italys_codice_fiscale_is_a_national_number() -> None:
    text = "codice fiscale BNCLRA88E52H501Q, residente a Roma"
    assert [text[s.start : s.end] for s in GROUPS.find(text, ["ssn"])] == ["BNCLRA88E52H501Q"]
