"""Cells of a table about people: rows under a CSV, semicolon, tab or pipe header that names a column of people's
names ("id,first_name,last_name,email,city,dob", "| Full name | Age | Town |"), and key=value pairs that do the same
("first_name=priya; last_name=sharma; pincode=411001", in JSON and XML too: "full_name": "Angelica Torres", "city":
"Pasig").

A header says what its column holds, so a cell that the NER and the patterns miss ("1043,Chidi,Okafor,...,Enugu") is
withheld as its column's group (`core.path.groups` lets the column name a cell before the NER does). Only a column of
given names, surnames, full names or "customer name" and the like makes a table one about people: a bare "name" heads
tables of products, plans, offices and pets as often (two hostile reviews, 316 texts), and counts only beside a
surname, a date of birth or a national ID (`_about_people`; four more reviews, 489 texts). Each cell must look like its
column's kind of value (an age a number from 1 to 120; a name capitalised words, not all of them ordinary English
words unless a census name is one of them: "Will" is a name, "Test User" none); a row of ordinary words only
("String,String,Integer") is skipped, and the first row whose name is no name at all ("Total", "CharField", a line of
prose) ends the table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from core.path.name_list import is_name_that_is_a_word
from core.path.ner import is_ordinary_word, is_organisation_word


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Header words, lower-cased with everything but letters removed ("First Name", "first_name" -> "firstname").
# A column of people's names, that makes a table one about people on its own.
_NAME_COLUMNS = _words(
    """
    fullname firstname lastname surname surnames givenname givennames forename forenames familyname middlename
    fname lname customername clientname patientname employeename contactname passengername guestname tenantname
    ownername cardholdername accountholder accountholdername recipientname studentname membername applicantname
    nombrecompleto nombres apellido apellidos vorname nachname prenom prénom nomdefamille cognome sobrenome
    nomecompleto voornaam achternaam imie imię nazwisko fornavn efternavn etternavn förnamn efternamn soyad adsoyad
    namalengkap cardholder prezime priimek
"""
)
# The other columns withheld in a table about people, by group.
_OTHER_COLUMNS: dict[str, frozenset[str]] = {
    "location": _words(
        """
        city town village suburb municipality county district country placeofbirth birthplace hometown homecountry
        ciudad localidad pais país stadt ort wohnort ville pays città citta comune cidade plaats woonplaats stad miasto
        miejscowość şehir sehir kota
    """
    ),
    "age": _words("age ageyears edad alter âge età leeftijd wiek idade ålder alder yaş umur usia"),
    "date": _words(
        """
        dob dateofbirth birthdate birthday born geburtsdatum geburtstag fechadenacimiento fechanacimiento
        datedenaissance datadinascita datadenascimento geboortedatum dataurodzenia födelsedatum fødselsdato
        doğumtarihi dogumtarihi tanggallahir
    """
    ),
    "ssn": _words(
        """
        ssn socialsecuritynumber socialsecurity nationalid nationalidnumber nino ninumber nationalinsurancenumber ppsn
        ppsnumber dni nie nik cpf pesel nric aadhaar aadhar aadhaarnumber personnummer taxid tfn sin bsn cnp curp nif
        oib
    """
    ),
    "address": _words(
        """
        address addr street streetaddress addressline homeaddress mailingaddress shippingaddress billingaddress
        deliveryaddress residentialaddress postaladdress direccion dirección domicilio adresse anschrift strasse
        straße indirizzo endereco endereço morada adres ulica adress alamat
        postcode postalcode zip zipcode pincode plz postleitzahl codigopostal códigopostal codepostal postnummer
        postnr kodpocztowy postakodu kodepos eircode billingzip shippingzip billingpostcode
    """
    ),
    # a number that only a person's record holds: a customer's, a patient's, a member's (`core.path.account_numbers`)
    "id_number": _words(
        """
        customerid customernumber customerno memberid membernumber membershipid membershipnumber
        patientid patientnumber staffid staffnumber staffno employeeid employeenumber empid studentid studentnumber
        userid passportnumber passportno policynumber policyno mrn nhsnumber
    """
    ),
}
_GROUP_OF_WORD = {word: group for group, words in _OTHER_COLUMNS.items() for word in words} | {
    word: "person" for word in _NAME_COLUMNS
}
TABLE_GROUPS = frozenset(_GROUP_OF_WORD.values())
_FULL_NAME = "full name"  # a bare "name" column's cells: persons of two words or more
# "Name" in a few languages: a given name beside a column of surnames; else a person's full name only beside a date of
# birth or a national ID that only people have (`_PERSONAL_COLUMNS`: not "sin", "dni", "nie", "taxid", which are also
# a sine, Polish "days" and companies' numbers), and only of two words or more: pets, horses and cattle have a date of
# birth too ("Thunder", "Daisy"; their rows are skipped).
_BARE_NAME_COLUMNS = _words("name names nombre nom naam nome navn namn nimi ad nama ime")
_PERSONAL_COLUMNS = _OTHER_COLUMNS["date"] - {"born", "birthday", "geburtstag"} | _words(
    """
    ssn socialsecuritynumber nino ninumber nationalinsurancenumber ppsn ppsnumber pesel nric aadhaar aadhar
    aadhaarnumber personnummer curp cpf bsn cnp nationalid nationalidnumber
"""
)

# A column of customers', patients' or users' numbers makes the record a person's ("user_id=u_772901 email=…"); a
# member's, a policy's or a membership's number is also a company's or a country's.
_ID_COLUMNS = _words("customerid customernumber customerno userid patientid patientnumber employeeid employeenumber")
_SHORT_NAME_COLUMNS = _words("fname lname")
_ANIMAL_COLUMNS = _words("breed species sire dam microchip microchipnumber coat colour color pedigree eartag herd")
_NOT_A_VALUE = re.compile(r"(?i)(?:n/?a|none|null|nil|unknown|tbc|tbd|-+|—|yes|no|true|false|\?+|x)")
# A summary row's first cell, no one's name.
_SUMMARY = re.compile(r"(?i)(?:total|totals|subtotal|average|avg|mean|median|sum|overall|all|count|min|max)")
_CAPITALISED = r"[^\W\d_a-zß-ÿ][^\W\d_]*(?:[.'’-][^\W\d_]*)*"
_PARTICLE = r"(?:van|von|der|den|de|du|da|di|del|della|dos|das|le|la|bin|binti|al|el|y|e)"
_NAME = re.compile(rf"(?:{_PARTICLE} )*{_CAPITALISED}(?:,? (?:{_CAPITALISED}|{_PARTICLE})){{0,4}}")  # "de Vries"
_LETTERS = re.compile(r"[^\W\d_]+")
# A type as a schema writes it ("CharField"): a capital after three lower-case letters ("McDonald" is a name).
_SCHEMA_CASE = re.compile(r"[a-z]{3,}[A-Z]")
_LOWER_NAME = re.compile(r"[^\W\d_]{2,}(?: [^\W\d_]{2,}){0,3}")  # "priya sharma", a pair's value only
_PLACE = re.compile(rf"{_CAPITALISED}(?:[ -](?:{_CAPITALISED}|{_PARTICLE})){{0,4}}")
_AGE = re.compile(r"(?i)(?P<n>\d{1,3})(?: ?(?:y|yo|yrs?|years?|jahre|ans|años|anos|lat|jaar|år|yaş|tahun))?")
_HAS_DIGIT = re.compile(r"\d")
# A person's number: one token with a digit ("cus_Q8fK2mLx"), not all zeros (a sample's "000000"); a system's or a
# service's account ("svc-backup-01", "ci-runner-07", "system-0001", "bot-7731") makes its record no person's.
_RECORD_NUMBER = re.compile(r"(?=\S*\d)(?!0+$)[\w./#-]{3,40}")
_SYSTEM_ACCOUNT = re.compile(
    r"(?i:(?:.*[-_.])?(?:svc|bot|system|service|runner|healthcheck|test|demo|sample|example)(?:[-_.\d]|$))"
)
_NATIONAL_NUMBER = re.compile(r"(?=(?:\D*\d){6})[A-Z0-9][A-Z0-9 .\-/]{5,29}")
# A street with its number ("4 Awolowo Rd", "ul. Długa 5") or a postcode ("81-310", "SW1A 1AA"; not a register's "0x04")
_ADDRESS = re.compile(r"(?=.*[^\W\d_])(?=.*\d)(?=.* ).{5,80}|(?!0x)(?=(?:[^\d]*\d){2})[A-Za-z0-9][A-Za-z0-9 -]{2,9}")


# A cell withheld as nothing: a blank, a column of no group, a value of another kind; or a name column's ordinary
# English words, so that a row of those only can be skipped ("String,String,Integer,String").
_BLANK = ("", 0, 0)
_ORDINARY = ("", -1, -1)


def _is_age(value: str) -> bool:
    match = _AGE.fullmatch(value)
    return match is not None and 1 <= int(match.group("n")) <= 120


def _is_name(value: str, lower_case: bool = False) -> bool | None:
    """True for capitalised words (any case in a pair's value) that may be a name; None for no name at all, so that
    the row is no record (prose, a summary, a type or a column name: "Total", "CharField", "Nachname"); False for
    ordinary English words only ("Test User", "Required"), though a census name that is a word counts ("Will")."""
    if not (_NAME.fullmatch(value) or (lower_case and _LOWER_NAME.fullmatch(value))):
        return None
    if _SUMMARY.fullmatch(value) or _SCHEMA_CASE.search(value) or _normalised(value) in _GROUP_OF_WORD:
        return None
    if any(map(is_organisation_word, _LETTERS.findall(value))):
        return None  # a company's record under a customer's name key ("Contoso Ltd", "Stark Industries")
    return not _is_word(value) or any(map(is_name_that_is_a_word, _LETTERS.findall(value)))


def _is_word(value: str) -> bool:
    """Ordinary English words only ("Notes", "Optional"): no place a column of towns would hold."""
    return all(map(is_ordinary_word, _LETTERS.findall(value)))


# Whether a cell's value is its column's kind of value.
_VALUE_CHECKS: dict[str, Callable[[str], bool]] = {
    "location": lambda v: _PLACE.fullmatch(v) is not None and _SUMMARY.fullmatch(v) is None and not _is_word(v),
    "age": _is_age,
    "date": lambda v: len(v) <= 30 and _HAS_DIGIT.search(v) is not None,
    "address": lambda v: _ADDRESS.fullmatch(v) is not None,
    "ssn": lambda v: _NATIONAL_NUMBER.fullmatch(v) is not None,
    "id_number": lambda v: _RECORD_NUMBER.fullmatch(v) is not None,
}

_DELIMITERS = (",", ";", "\t", "|")
_HEADER_CELL = re.compile(r"[^\W\d_][\w .#/()'-]{0,39}|#|No\.?|Nr\.?")  # a column's name, or a row number's "#"
_MARKDOWN_RULE = re.compile(r"\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*")
# A pair's value runs to the next pair or the line's end: "address=Room 1203, 88 Nanjing Rd; city=Shanghai", "name=Ana
# Ruiz dob=1990-01-02" (a log's pairs, space-separated).
_PAIR = re.compile(
    r"(?<![\w=])(?P<key>[^\W\d][\w -]{0,30}?)[ \t]*=[ \t]*(?P<value>[^;&|\n=]+?)"
    r"(?=[;&|\n]|,[ \t]*[\w -]{1,30}=|[ \t]+[^\W\d][\w-]{0,30}=|$)"
)


# The same pairs in a JSON object ("name": "Wei Zhang", "age": 29) and in XML elements (<city>Belfast</city>).
_JSON_PAIR = re.compile(
    r'"(?P<key>[^\W\d][\w -]{0,30})"[ \t]*:[ \t]*(?:"(?P<value>[^"\n]{1,200})"|(?P<number>\d{1,10})(?=[ \t]*[,}\]]))'
)
_XML_PAIR = re.compile(r"<(?P<key>[^\W\d][\w-]{0,30})(?:[ \t][^<>\n]{0,100})?>(?P<value>[^<>\n]{1,200})</(?P=key)>")


def table_cells(text: str) -> list[tuple[str, int, int]]:
    """(group, start, end) of every cell of a table or of pairs about people, in text order."""
    cells = list(_table_cells(text)) if "\n" in text else []
    for mark, pattern in (("=", _PAIR), ('"', _JSON_PAIR), ("</", _XML_PAIR)):
        if mark in text:
            cells.extend(_pair_cells(text, pattern, lower_names=pattern is _PAIR))
    return sorted(cells, key=lambda cell: cell[1])


def _key(key: str) -> str:
    """A pair's key as a column's name; where a log's words run into it ("failed login user_id=…") and the whole is
    no column's, its last word."""
    whole = _normalised(key)
    if whole in _GROUP_OF_WORD or whole in _BARE_NAME_COLUMNS or " " not in key.strip():
        return whole
    return _normalised(key.split()[-1])


def _normalised(header: str) -> str:
    """A header word lower-cased, with everything but its letters removed ("First Name" -> "firstname")."""
    return re.sub(r"[^\w]|[\d_]", "", header.lower())


def _about_people(words: list[str]) -> bool:
    """Whether columns or keys are a person's record: one of them is a column of people's names, or a bare "name"
    stands beside a date of birth or a national ID ("id,name,dob,city"; no product has those, and a pet's one-word
    name is skipped by `_value`); never beside an animal's columns (a racehorse's "name", "dob", "sire"). "fname" and
    "lname" count only together."""
    if not _ANIMAL_COLUMNS.isdisjoint(words):
        return False
    names = _NAME_COLUMNS.intersection(words)
    if names <= _SHORT_NAME_COLUMNS and names != _SHORT_NAME_COLUMNS:
        names = set()  # "fname" alone names a function, a file, a font or a wine as often; with "lname" a person
    personal = not _PERSONAL_COLUMNS.isdisjoint(words)
    return bool(names) or (not _BARE_NAME_COLUMNS.isdisjoint(words) and personal) or not _ID_COLUMNS.isdisjoint(words)


def _groups(words: list[str]) -> list[str | None]:
    """Each column's or key's group in a record about people: a bare "name" is a given name beside a column of
    surnames ("name,surname,dob"), else a full name."""
    bare = "person" if not _NAME_COLUMNS.isdisjoint(words) else _FULL_NAME
    return [_GROUP_OF_WORD.get(word) or (bare if word in _BARE_NAME_COLUMNS else None) for word in words]


def _lines(text: str) -> list[tuple[int, str]]:
    offsets, start = [], 0
    for line in text.split("\n"):
        offsets.append((start, line))
        start += len(line) + 1
    return offsets


def _split(line: str, delimiter: str) -> list[tuple[int, int]]:
    """Each cell's (start, end) in `line`; a comma-separated cell may be quoted ("Hernández, Carla")."""
    cells, start, quoted = [], 0, False
    for i, ch in enumerate(line):
        if ch == '"' and delimiter == ",":
            quoted = not quoted
        elif ch == delimiter and not quoted:
            cells.append((start, i))
            start = i + 1
    cells.append((start, len(line)))
    if delimiter == "|" and line.strip().startswith("|") and line.strip().endswith("|") and len(cells) >= 3:
        cells = cells[1:-1]  # a Markdown row: "| Ruth | 71 |" has nothing before its first and after its last pipe
    return cells


def _header(line: str) -> tuple[str, list[str | None]] | None:
    """The delimiter and each column's group, where `line` is the header of a table about people."""
    for delimiter in _DELIMITERS:
        if delimiter not in line:
            continue
        names = [line[s:e].strip().strip('"') for s, e in _split(line, delimiter)]
        if len(names) < 2 or not all(_HEADER_CELL.fullmatch(name) for name in names):
            continue
        words = [_normalised(name) for name in names]
        if _about_people(words):
            return delimiter, _groups(words)
    return None


def _table_cells(text: str) -> Iterator[tuple[str, int, int]]:
    lines = _lines(text)
    i = 0
    while i < len(lines):
        header = _header(lines[i][1])
        i += 1
        if header is None or (i > 1 and _same_shape(lines[i - 2][1], lines[i - 1][1], header[0])):
            continue  # no header, or a row of a table whose header is above ("First name,Vorname,Prénom")
        delimiter, groups = header
        while i < len(lines):
            offset, line = lines[i]
            if delimiter == "|" and _MARKDOWN_RULE.fullmatch(line):
                i += 1
                continue
            cells = _split(line, delimiter)
            if len(cells) != len(groups) or not line.strip():
                break
            row = [
                _value(text, group, offset + start, offset + end)
                for group, (start, end) in zip(groups, cells, strict=True)
            ]
            if any(value is None for value in row):
                break  # a row whose name is none is no record: prose, a summary, the table has ended
            named = [value for group, value in zip(groups, row, strict=True) if group in ("person", _FULL_NAME)]
            if any(value[0] for value in named) or _ORDINARY not in named:  # not a row of ordinary words only
                yield from (value for value in row if value and value[0])
            i += 1


def _same_shape(previous: str, line: str, delimiter: str) -> bool:
    return delimiter in previous and len(_split(previous, delimiter)) == len(_split(line, delimiter))


def _value(
    text: str, group: str | None, start: int, end: int, lower_names: bool = False
) -> tuple[str, int, int] | None:
    """A cell as (group, start, end) without blanks and quotes around it, `_BLANK` or `_ORDINARY` (above); None
    where a name column holds no name or a number column a system's account (the row is no record). A pair's value
    may be a name in lower case ("first_name=priya")."""
    while start < end and (text[start].isspace() or text[start] == '"'):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == '"'):
        end -= 1
    value = text[start:end]
    if group is None or not value or _NOT_A_VALUE.fullmatch(value):
        return _BLANK
    if group == _FULL_NAME:
        if len(_LETTERS.findall(value)) < 2 or (lower_names and not _NAME.fullmatch(value)):
            return _ORDINARY  # "Thunder", "Rex", "web frontend": a pet's, a horse's or a service's name; no record
        group = "person"
        lower_names = False
    if group == "id_number" and " " in value:  # a log's pair runs on into its prose: "user_id=41898282 on ubuntu"
        end = start + value.index(" ")
        value = text[start:end]
    if group == "id_number" and _SYSTEM_ACCOUNT.match(value):
        return None
    if group != "person":
        return (group, start, end) if _VALUE_CHECKS[group](value) else _BLANK
    name = _is_name(value, lower_names)
    if name is None or (lower_names and not name):  # a pair's "first_name=Test": no record at all
        return None
    return (group, start, end) if name else _ORDINARY


def _pair_cells(text: str, pattern: re.Pattern[str], lower_names: bool) -> Iterator[tuple[str, int, int]]:
    """Values of pairs about people; none where a name key's value is no name (a translation file's
    "first_name=First name", a fixture's "Test"). A URL's or a log's pairs write names in lower case
    ("first_name=priya"); JSON and XML write them as names are written (`lower_names` False: a profiler's
    "fname": "memcpy" is no name)."""
    pairs = [
        (_key(match.group("key")), match.span("value" if match.group("value") is not None else "number"))
        for match in pattern.finditer(text)
    ]
    if not _about_people([word for word, _ in pairs]):
        return
    groups = _groups([word for word, _ in pairs])
    values = [
        _value(text, group, start, end, lower_names=lower_names)
        for group, (_, (start, end)) in zip(groups, pairs, strict=True)
    ]
    if any(value == _ORDINARY for group, value in zip(groups, values, strict=True) if group == _FULL_NAME):
        return  # "name=Rex breed=labrador dob=…": no person's record
    if all(value is not None for value in values):
        yield from (value for value in values if value and value[0])
