"""Cells that a header names as personal data: rows under a CSV, semicolon, tab or pipe header ("id,first_name,
last_name,email,city,dob", "| Name | Age | Town |") and config-style pairs ("name=priya sharma; pin=411001").

A header says what its column holds, so a cell that the NER and the patterns miss ("1043,Chidi,Okafor,...,Enugu",
"| Ruth Abernethy | 71 | Stonehaven |") is withheld as its column's group. A column that no header word names is
left to the other recognisers, and each cell must look like its column's kind of value (an age a number up to 120,
a postcode a short code with a digit), so that "state" holding "Open" or "age" holding "n/a" stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from core.path.addresses import US_STATES

# Header words, lower-cased with everything but letters removed ("First Name", "first_name" -> "firstname"), by group.
_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "person": (
        "name", "fullname", "firstname", "lastname", "surname", "surnames", "givenname", "givennames", "forename",
        "forenames", "familyname", "middlename", "customername", "clientname", "patientname", "employeename",
        "contactname", "passengername", "guestname", "tenantname", "ownername", "cardholder", "cardholdername",
        "accountholder", "accountname", "nextofkin", "emergencycontact", "nombre", "nombres", "apellido", "apellidos",
        "nombrecompleto", "vorname", "nachname", "nom", "prenom", "prénom", "nomdefamille", "nome", "cognome",
        "sobrenome", "nomecompleto", "voornaam", "achternaam", "naam", "imie", "imię", "nazwisko", "fornavn",
        "efternavn", "etternavn", "förnamn", "efternamn", "soyad", "adsoyad", "nama", "namalengkap",
    ),
    "location": (
        "city", "town", "village", "suburb", "municipality", "county", "district", "province", "country",
        "countryofbirth", "placeofbirth", "birthplace", "hometown", "ciudad", "localidad", "provincia", "pais",
        "país", "stadt", "ort", "wohnort", "ville", "pays", "città", "citta", "comune", "cidade", "plaats",
        "woonplaats", "stad", "miasto", "miejscowość", "sehir", "şehir", "kota", "kabupaten", "ort", "kommune",
    ),
    "region": ("state", "region", "estado", "staat", "bundesland", "région", "regione", "land"),
    "age": (
        "age", "ageyears", "edad", "alter", "âge", "età", "eta", "leeftijd", "wiek", "idade", "ålder", "alder",
        "yas", "yaş", "umur", "usia",
    ),
    "date": (
        "dob", "dateofbirth", "birthdate", "birthday", "born", "bday", "geburtsdatum", "geburtstag",
        "fechadenacimiento", "fechanacimiento", "datedenaissance", "datadinascita", "datadenascimento",
        "datadenascimiento", "geboortedatum", "dataurodzenia", "födelsedatum", "fødselsdato",
        "dogumtarihi", "doğumtarihi", "tanggallahir",
    ),
    "address": (
        "address", "addr", "street", "streetaddress", "addressline", "homeaddress", "mailingaddress",
        "shippingaddress", "billingaddress", "deliveryaddress",
        "residentialaddress", "postaladdress", "direccion", "dirección", "domicilio", "adresse", "anschrift",
        "strasse", "straße", "indirizzo", "endereco", "endereço", "morada", "adres", "ulica", "adress", "alamat",
    ),
    "postcode": (
        "postcode", "postalcode", "zip", "zipcode", "pin", "pincode", "plz", "postleitzahl", "cp", "codigopostal",
        "códigopostal", "codepostal", "postnummer", "postnr", "kodpocztowy", "postakodu", "kodepos",
        "eircode", "postcodezip",
    ),
    "phone": (
        "phone", "tel", "telephone", "mobile", "cell", "phonenumber", "mobilenumber", "mobilephone", "telefono",
        "teléfono", "telefon", "téléphone", "telefoon", "telefone", "celular", "handy", "móvil", "movil",
    ),
}  # fmt: skip
# "Name" alone heads product and file tables too: it names a person only beside another column of personal data.
_WEAK_WORDS = frozenset({"name", "nom", "nome", "naam", "nombre", "nama", "fullname"})
_EVIDENCE_WORDS = frozenset({"email", "emailaddress", "mail", "correo", "courriel", "dni", "ssn", "nationality"})
# The group each kind of column is withheld as (a state or region is a place; a postcode is part of an address).
_GROUP_OF_KIND = {"region": "location", "postcode": "address"}
_KIND_OF_WORD = {word: kind for kind, words in _HEADER_WORDS.items() for word in words}
TABLE_GROUPS = frozenset(_GROUP_OF_KIND.get(kind, kind) for kind in _HEADER_WORDS)

_NOT_A_VALUE = re.compile(r"(?i)(?:n/?a|none|null|nil|unknown|tbc|tbd|-+|—|yes|no|true|false|\?+|x)")
_WORDS = r"[^\W\d_][^\W\d_.'’-]*(?:[.'’-][^\W\d_]*)*"
_NAME = re.compile(rf"{_WORDS}(?:,? {_WORDS}){{0,4}}")
_PLACE = re.compile(rf"{_WORDS}(?:[ -]{_WORDS}){{0,4}}")
_REGION = re.compile(rf"(?:{US_STATES})|[A-Z][^\W\d_]+(?:[ -][A-Z][^\W\d_]+){{0,3}}")
# What a "state" or "region" column holds in a ticket or order table: a status, no place.
_STATUS = re.compile(
    r"(?i)open|closed|pending|active|inactive|new|resolved|done|in progress|cancell?ed|approved|rejected|shipped|"
    r"delivered|failed|paid|unpaid|on hold|draft|sent|complete|completed|escalated|waiting"
)
_AGE = re.compile(r"(?i)(?P<n>\d{1,3})(?: ?(?:y|yo|yrs?|years?|jahre|ans|años|anos|lat|jaar|år|yaş|tahun))?")
_POSTCODE = re.compile(r"(?=[A-Za-z0-9 -]*\d)[A-Za-z0-9][A-Za-z0-9 -]{1,9}")
_PHONE = re.compile(r"(?=(?:\D*\d){6})[\d +().\-/x]{6,24}")
_HAS_DIGIT = re.compile(r"\d")


def _is_age(value: str) -> bool:
    match = _AGE.fullmatch(value)
    return match is not None and int(match.group("n")) <= 120


# Whether a cell's value is its column's kind of value.
_VALUE_CHECKS: dict[str, Callable[[str], bool]] = {
    "person": lambda v: _NAME.fullmatch(v) is not None,
    "location": lambda v: _PLACE.fullmatch(v) is not None,
    "region": lambda v: _REGION.fullmatch(v) is not None and _STATUS.fullmatch(v) is None,
    "age": _is_age,
    "date": lambda v: len(v) <= 30 and _HAS_DIGIT.search(v) is not None,
    "address": lambda v: len(v) >= 3,
    "postcode": lambda v: _POSTCODE.fullmatch(v) is not None,
    "phone": lambda v: _PHONE.fullmatch(v) is not None,
}

_DELIMITERS = (",", ";", "\t", "|")
_HEADER_CELL = re.compile(r"[^\W\d_][\w .#/()'-]{0,39}")  # a column's name: starts with a letter, no longer than 40
_MARKDOWN_RULE = re.compile(r"\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*")
_PAIR = re.compile(r"(?<![\w=])(?P<key>[^\W\d][\w -]{0,30}?)[ \t]*=[ \t]*(?P<value>[^;,&|\n=]+)")


def table_cells(text: str) -> list[tuple[str, int, int]]:
    """(group, start, end) of every cell that a header or a key names as personal data, in text order."""
    cells = list(_table_cells(text)) if "\n" in text else []
    if "=" in text:
        cells.extend(_pair_cells(text))
    return sorted(cells, key=lambda cell: cell[1])


def _normalised(header: str) -> str:
    """A header word lower-cased, with everything but its letters removed ("First Name" -> "firstname")."""
    return re.sub(r"[^\w]|[\d_]", "", header.lower())


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
    """The delimiter and each column's kind, where `line` is a header that names at least one kind."""
    for delimiter in _DELIMITERS:
        if delimiter not in line:
            continue
        names = [line[s:e].strip().strip('"') for s, e in _split(line, delimiter)]
        if len(names) < 2 or not all(_HEADER_CELL.fullmatch(name) for name in names):
            continue
        words = [_normalised(name) for name in names]
        if _names_people(words):
            return delimiter, [_KIND_OF_WORD.get(word) for word in words]
    return None


def _table_cells(text: str) -> Iterator[tuple[str, int, int]]:
    lines = _lines(text)
    i = 0
    while i < len(lines):
        header = _header(lines[i][1])
        i += 1
        if header is None:
            continue
        delimiter, kinds = header
        while i < len(lines):
            offset, line = lines[i]
            if _MARKDOWN_RULE.fullmatch(line) and delimiter == "|":
                i += 1
                continue
            cells = _split(line, delimiter)
            if len(cells) != len(kinds) or not line.strip():
                break
            for kind, (start, end) in zip(kinds, cells, strict=True):
                if kind is not None:
                    yield from _checked(kind, text, offset + start, offset + end)
            i += 1


def _pair_cells(text: str) -> Iterator[tuple[str, int, int]]:
    pairs = [(_normalised(match.group("key")), match.span("value")) for match in _PAIR.finditer(text)]
    if _names_people([word for word, _ in pairs]):
        for word, (start, end) in pairs:
            if word in _KIND_OF_WORD:
                yield from _checked(_KIND_OF_WORD[word], text, start, end)


def _names_people(words: list[str]) -> bool:
    """Whether column or key words name personal data: one that no product table has, or a name beside an e-mail."""
    named = [word for word in words if word in _KIND_OF_WORD]
    return any(word not in _WEAK_WORDS for word in named) or bool(named and _EVIDENCE_WORDS.intersection(words))


def _checked(kind: str, text: str, start: int, end: int) -> Iterator[tuple[str, int, int]]:
    """The cell's value without blanks and quotes around it, if it is its column's kind of value."""
    while start < end and (text[start].isspace() or text[start] == '"'):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == '"'):
        end -= 1
    value = text[start:end]
    if value and not _NOT_A_VALUE.fullmatch(value) and _VALUE_CHECKS[kind](value):
        yield _GROUP_OF_KIND.get(kind, kind), start, end
