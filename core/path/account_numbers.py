"""Numbers that tie a person to an organisation, after the name of their kind: an account, policy, customer, member,
employee, student or patient number, a passport, a health card, a vehicle's plate ("policy HOM2284910", "Kundennummer
CH-3381027", "Passport No.: N4821937", "Employee #00471", "(member 44102)", "HKID W481273(6)", "Polizza n. 884512",
"kötvényszám KGFB-20418832"), in English and a dozen other languages.

Their shapes are each organisation's own, so no checksum can tell them; the name of the kind before them can. The
value holds three digits or more (a group after a space too: "40-22-18 71935264") in capitals, digits, dashes,
slashes and dots, its first group a digit, and is none of the numbers that follow the same words in other text
(a hostile review, 373 texts): a year or a span of years ("policy 2024-25"), a version or a section ("Policy 4.2.1",
"Passport 0.7.0"), an amount or a rate ("policy 4.50 percent", "account 1000 €"), "401(k)"; a plate holds a letter
("Targa 992" is a car). After a bare word the number needs five digits, or four with a letter ("account 4010
Revenue" is a ledger's, "Employee 101 orientation" a course; "NHI ZAC5361" counts). A policy is no one's after words
that make it a state's, a firm's or a machine's ("monetary policy", "firewall policy"); a bare "ID" counts in capitals
only where it opens a line or a clause or follows a person's word ("my ID", "(ID S2318847)", "Member ID"), never after
a thing's name ("Vendor ID 8086", "Order ID 5512"). Order, invoice, ticket and tracking numbers are left: they name
a purchase, not the person. A booking's reference is withheld (with the traveller's surname it opens their trip, "PNR
QX4T7Z"), and so are a claim's and an application's (not a patent's or a planning application's, on a public
register); a UK plate after its word ("my reg is AB12 CDE").
"""

from __future__ import annotations

import re

_NUMBER_WORD = r"(?:number|no\.?|nr\.?|n[°º]\.?|n\.º|#|num\.?|id|ref(?:erence)?)"
_ENGLISH = (
    rf"account(?: {_NUMBER_WORD})?|acct\.?(?: {_NUMBER_WORD})?|a/c(?: {_NUMBER_WORD})?|"
    rf"(?:insurance |motor |home |car |travel |health |life )?policy(?: {_NUMBER_WORD})?|"
    rf"(?:customer|client|member|membership|employee|staff|student|patient|pupil|tenant|subscriber|"
    rf"loyalty card|library card|health card|insurance|medicare|medicaid|national health)"
    rf"(?: {_NUMBER_WORD}| card(?: {_NUMBER_WORD})?)|"
    rf"member|employee|passport(?: {_NUMBER_WORD})?|medicare|nhi(?: {_NUMBER_WORD})?|"
    rf"(?P<mrn>mrn)|(?:driving |driver's |drivers )licen[cs]e(?: {_NUMBER_WORD})?|licen[cs]e {_NUMBER_WORD}|"
    rf"(?P<plate>vehicle registration(?: {_NUMBER_WORD})?|rego|(?:licen[cs]e |number )plate|plate {_NUMBER_WORD}|"
    rf"(?:car|vehicle|my|your|his|her) reg(?: {_NUMBER_WORD})?)|"
    # a person's claim, application or booking (a PNR gives its traveller's trip away with their surname)
    rf"(?:insurance )?claim(?: {_NUMBER_WORD})?|(?P<application>application (?:ref(?:erence)?|no\.?|number))|"
    rf"booking {_NUMBER_WORD}|reservation {_NUMBER_WORD}|pnr|emp\.? {_NUMBER_WORD}|uhid|"
    rf"(?-i:DL)(?=:? [A-Z0-9])"
)
_OTHER_LANGUAGES = (
    # German, French, Spanish and Portuguese, Italian, Dutch
    r"kundennummer|kunden-?nr\.?|kd\.-?nr\.?|kundenkonto|vertragsnummer|vertragsnr\.?|versicherungsnummer|"
    r"versichertennummer|versichertennr\.?|vers\.-?nr\.?|mitgliedsnummer|mitglieds-?nr\.?|personalnummer|policennummer|"
    r"polizzennummer|kontonummer|reisepassnummer|passnummer|führerscheinnummer|matrikelnummer|patientennummer|"
    r"num[ée]ro (?:de )?client|n[°º] (?:de )?client|r[ée]f\.? client|num[ée]ro d'adh[ée]rent|n[°º] d'?adh[ée]rent|"
    r"num[ée]ro de (?:contrat|police|passeport|compte|dossier patient)|n[°º] de (?:contrat|police|dossier)|"
    r"passeport|matricule|afiliaci[óo]n|"
    r"n[úu]mero de (?:cliente|p[óo]liza|socio|pasaporte|passaporte|cuenta|conta|afiliado|ap[óo]lice)|"
    r"n[°º] de (?:cliente|p[óo]liza|socio|pasaporte)|p[óo]liza|ap[óo]lice|"
    r"numero (?:cliente|di polizza|tessera|di passaporto|di conto)|n\. cliente|codice cliente|polizza|passaporto|"
    r"klantnummer|klantnr\.?|polisnummer|lidnummer|rekeningnummer|paspoortnummer|personeelsnummer|studentnummer|"
    # Scandinavian, Finnish, Polish, Czech and Slovak, Hungarian, Turkish, Indonesian
    r"kundnummer|kundnr\.?|kundenummer|kundenr\.?|medlemsnummer|medlemsnr\.?|försäkringsnummer|forsikringsnummer|"
    r"passnummer|asiakasnumero|asiakasnro|jäsennumero|vakuutusnumero|passin numero|"
    r"numer (?:klienta|polisy|paszportu|konta|legitymacji)|nr (?:klienta|polisy|paszportu|konta)|"
    r"číslo (?:zákazníka|smlouvy|pojistky|pojištěnce|pasu|účtu|průkazu)|zákaznické číslo|"
    r"ügyfélszám|kötvényszám|szerződésszám|útlevélszám|"
    r"müşteri (?:numarası|no\.?)|poliçe numarası|pasaport numarası|"
    r"nomor (?:polis|pelanggan|paspor|rekening|anggota)|"
    r"(?P<plate_abroad>kennzeichen|immatriculation|matr[íi]cula|targa|kenteken|registreringsnummer|regnr\.?|"
    r"rekisterinumero|numer rejestracyjny|spz|rendszám|plaka)"
)
# A bare "ID" (or "CIN", Morocco's identity card, "HKID") in capitals.
_BARE_ID = r"(?P<bare_id>ID|HKID|(?P<cin>CIN))"
_AFTER_LABEL = (
    r"(?:[ \t]*(?i:no\.?|number|nr\.?|n[°º]\.?|n\.º?|#|num\.?))?"
    r"(?:[ \t]*(?::|=|[—–-](?= )|(?i:is|was|es|est|ist|é|è|je|jest|lautet|är|er|era)\b))?[ \t]*#?"
)
_PART = r"[A-Z0-9](?:[A-Z0-9]|[-/.](?=[A-Z0-9]))*"
_VALUE = (
    rf"(?=[A-Z0-9/.-]*\d)(?=(?:[A-Z \t/.-]*\d){{3}}){_PART}(?:\(\d\))?(?:[ \t](?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{{2,}})*"
)
LABELLED_NUMBER = re.compile(
    rf"(?<![\w-])(?:(?i:{_ENGLISH}|{_OTHER_LANGUAGES})|{_BARE_ID}){_AFTER_LABEL}(?P<value>{_VALUE})"
)
# Codes too short for `LABELLED_NUMBER` after their word: a UK plate of two digits ("my reg is AB12 CDE", also in
# lower case; "Reg LK68 XRT" in a form) and a booking's six-character record locator ("PNR QX4T7Z", "booking ref:
# 4HJ7KQ").
_SHORT_CODE = re.compile(
    r"(?<![\w-])(?i:(?P<plate_cue>(?:number |licen[cs]e )plate(?: is)?|plate (?:number|no\.?)|"
    r"(?:car|vehicle|my|your|his|her) reg(?:istration)?(?: number| no\.?)?|vehicle registration(?: number)?|rego"
    r"|(?P<reg>(?-i:Reg|REG|reg)))"  # "Reg LK68 XRT", "noted reg YT19 ZPB": alone, before a plate in capitals
    r"|(?P<pnr_cue>pnr|booking (?:ref(?:erence)?|number|no\.?)|reservation (?:code|number)|record locator))"
    rf"{_AFTER_LABEL}"
    r"(?:(?<=[ \t:#])(?P<plate>(?(reg)[A-Z]{2}\d{2} ?[A-Z]{3}|(?i:[a-z]{2}\d{2} ?[a-z]{3})))"
    r"|(?P<pnr>(?=[A-Z]*\d)(?=\d*[A-Z])[A-Z0-9]{6}))(?![\w-])"
)
# What a value is not: a year or a span of years, a version or a section, a rate or an amount, "401(k)".
_NOT_A_VALUE = re.compile(
    r"(?:19|20)\d\d(?:[-/](?:\d\d|(?:19|20)\d\d|Q\d|\d))?|\d+(?:\.\d+)+|0+"
    r"|[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}"  # a GUID: a directory's or an app's
)
_AFTER_VALUE = re.compile(
    r"[\w%€$£¥(-]|[ \t]?(?:%|€|\$|£|(?i:eur|euros?|usd|gbp|dollars?|pounds?|kr|zł|kč|ft|percent|per cent|"
    r"million|billion|bn|mn|bps|basis points)\b)"
)
# Words before "policy" that make it a state's, a firm's or a machine's.
_NOT_A_PERSONS_POLICY_TEXT = """
    monetary fiscal foreign public trade energy climate interest rate tax exchange economic government immigration
    firewall security iam privacy retention password access hr company group corporate cookie return refund content
    usage acceptable data bucket network routing cache cors csp group's company's bank's
"""
_NOT_A_PERSONS_POLICY = frozenset(_NOT_A_PERSONS_POLICY_TEXT.split())
# Words that may stand just before a bare "ID": a person's or their document's ("my ID", "Member ID", "Emirates ID").
_PERSONS_ID_TEXT = """
    my your his her their our member customer client patient employee staff student national passport voter citizen
    emirates identity photo government personal applicant user's member's customer's patient's
"""
_PERSONS_ID = frozenset(_PERSONS_ID_TEXT.split())
# Applications on a public register, and a program's (no person's).
_PUBLIC_APPLICATIONS = frozenset(["patent", "planning", "trademark", "trade", "mark", "design", "steam", "discord"])
_LETTER = re.compile(r"[A-Z]")
# What makes a label more than a bare word: a number word, a mark, or a language's word for a number.
_NUMBER_IN_LABEL = re.compile(
    r"number|\bno\b|\bnr\b|n[°º]|#|\bid\b|\bnum\b|\bref\b|reference|[:=]|nummer|numero|número|szám|nro"
)
_MOROCCAN_CIN = re.compile(r"[A-Z]{1,2}\d{5,8}")
_WORD_BEFORE = re.compile(r"([\w']+)[ \t]*$")


def find_labelled_numbers(text: str) -> list[tuple[int, int]]:
    """The spans of numbers after the name of their kind (module docstring)."""
    spans = []
    for match in LABELLED_NUMBER.finditer(text):
        value = match.group("value")
        start, end = match.span("value")
        if _NOT_A_VALUE.fullmatch(value) or _AFTER_VALUE.match(text, end):
            continue
        if (match.group("plate") or match.group("plate_abroad")) and not _LETTER.search(value):
            continue
        if match.group("mrn") and not value.replace("-", "").isdigit():
            continue  # a customs movement's "MRN 24DE…" is no medical record's number
        if _bare(match) and not _long_enough(value):
            continue
        if not _labelled_by_a_person(text, match):
            continue
        spans.append((start, end))
    for match in _SHORT_CODE.finditer(text):
        value = "plate" if match.group("plate_cue") else "pnr"
        if match.group(value) is not None:
            spans.append(match.span(value))
    return sorted(set(spans))


def _bare(match: re.Match[str]) -> bool:
    """Whether the label is a bare word ("account 4010", "member 44102"), with no "number", "no." or "#" after it."""
    label = match.group()[: match.start("value") - match.start()].lower()
    return _NUMBER_IN_LABEL.search(label) is None


def _long_enough(value: str) -> bool:
    """A number after a bare word: five digits or more, or four with letters ("NHI ZAC5361"); a ledger's "account
    4010", a rule's "policy 2211" and "Employee 101" are shorter."""
    digits = sum(c.isdigit() for c in value)
    return digits >= 5 or (digits >= 4 and _LETTER.search(value) is not None)


def _labelled_by_a_person(text: str, match: re.Match[str]) -> bool:
    """Whether the word before the label leaves the number a person's: no "monetary" before "policy"; a bare "ID"
    where a line or a clause opens or after a person's word; Morocco's CIN is one or two letters and digits."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    before = _WORD_BEFORE.search(text, line_start, match.start())
    previous = before.group(1).lower() if before else ""
    label = match.group().lower()
    if label.startswith(("policy", "insurance policy")) and previous in _NOT_A_PERSONS_POLICY:
        return False
    if match.group("application") and previous in _PUBLIC_APPLICATIONS:
        return False  # "US patent application No. 16/123,456", a council's "planning application ref 22/01234/FUL"
    if match.group("bare_id"):
        if match.group("cin") and not _MOROCCAN_CIN.fullmatch(match.group("value")):
            return False  # an Indian company's CIN ("L17110MH1973PLC019786")
        return not previous or previous in _PERSONS_ID
    return True
