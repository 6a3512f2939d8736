"""National identity numbers after the name of their kind: "SSN 123-45-6789", "PPS No: 7654321TA", "mi DNI es
48291736K", "NIK 3174055407880003", "TC kimlik no 12345678901", "Rodné číslo 895612/4421", "CURP HEOJ850312HDFRRS09".

Presidio's recognizers check the shapes of four countries' numbers and refuse some real-looking ones ("123-45-6789",
the famous "078-05-1120"); a person who writes "my SSN is 123-45-6789" means it all the same. Where the text names the
kind of number, the number after it is withheld whatever its checksum: six digits or more, with the letters, spaces,
dots, dashes and slashes that countries write inside them, and no year and month ("CPF 2024-11" is a batch). Short
labels that are English words or tickers ("SIN", "TIN") count only in capitals; "PAN" only before India's tax number
of a person (else it is a card's number), and "RFC" (a standard's number) is none.
"""

from __future__ import annotations

import re

_LONG_LABELS = (
    r"ssn|social security(?: number| no\.?| #)?|national insurance(?: number| no\.?)?|ni (?:number|no\.?)|nino|"
    r"ppsn?(?: number| no\.?)?|ird(?: number| no\.?)?|nhs(?: number| no\.?)|aadhaa?r(?: number| no\.?| card)?|"
    r"personnummer|fødselsnummer|fodselsnummer|henkilötunnus|hetu|tc kimlik(?: no\.?)?|kimlik no\.?|"
    r"rijksregisternummer|codice fiscale|steuer-?id|steueridentifikationsnummer|sozialversicherungsnummer|"
    r"ahv-?(?:nr\.?|nummer)|national id(?:entity)?(?: number| no\.?| card)?|id card(?: number| no\.?)|"
    r"identity card(?: number| no\.?)?|citizen id|pesel|curp|cnic|nric|rodné číslo|rodne cislo|rodné čislo|"
    r"kra pin|ghana card(?: number| no\.?)?"
)
_SHORT_LABELS = r"SIN|TFN|NIK|KTP|DNI|NIE|NIF|CPF|BSN|CNP|EGN|OIB|JMBG|NIN|BVN|TIN|NIDA|RUT|CUIL|CUIT"
_AFTER_LABEL = r"(?:[ \t]*(?i:no\.?|number|nr\.?|#|num\.?))?(?:[ \t]*(?i::|=|is|es|é|ist|est|是)?)[ \t]*"
_NO_YEAR_AND_MONTH = r"(?!(?:19|20)\d\d[-/.]\d\d?(?![\d.\-/]))"
_VALUE = r"(?=(?:[A-Z \t.\-/]{0,3}\d){6})(?:[A-Z]{1,3}[ \t]?)?\d[\d \t.\-/]{3,22}\d(?:[ \t]?[A-Z]{1,2})?"
# India's PAN of a person: five letters, the fourth "P", four digits and a letter ("PAN: AKVPP4417K"; a card's PAN is
# digits, a company's PAN has "C" there).
_PERSONS_PAN = r"(?!XXX|[A-Z]{5}0000)[A-Z]{3}P[A-Z]\d{4}[A-Z]"  # not a mask or a form's sample ("XXXPX0000X")
# Numbers whose letters a country puts first or last: Mexico's CURP ("HEOJ850312HDFRRS09": four letters, a date of
# birth, sex, state and consonants), Kenya's KRA PIN of a person ("A004512378Z"; a company's starts with "P"), the Ghana
# Card ("GHA-712345678-9"), Italy's codice fiscale ("RSSMRA85T10A562S": consonants of the names, the date of
# birth with the month as a letter, the town's code and a check letter).
_LETTERED_VALUE = (
    r"[A-Z]{4}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d|A\d{9}[A-Z]|GHA-\d{9}-\d|[A-Z]{6}\d\d[A-EHLMPR-T]\d\d[A-Z]\d{3}[A-Z]|"
    + _PERSONS_PAN
)
NATIONAL_ID = re.compile(
    rf"(?<![\w-])(?:(?:(?i:{_LONG_LABELS})|{_SHORT_LABELS}){_AFTER_LABEL}"
    rf"|PAN(?: [Cc]ard)?{_AFTER_LABEL}(?={_PERSONS_PAN}(?![\w-])))"
    rf"(?P<value>{_LETTERED_VALUE}|{_NO_YEAR_AND_MONTH}{_VALUE})(?![\w-])"
)


def find_national_ids(text: str) -> list[tuple[int, int]]:
    """The spans of national identity numbers after the name of their kind (`NATIONAL_ID`)."""
    return [match.span("value") for match in NATIONAL_ID.finditer(text)]
