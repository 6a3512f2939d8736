"""Numbers that tie a person to an organisation, after the name of their kind: an account, policy, customer, member,
employee, student or patient number, a passport, a health card, a vehicle's registration ("policy HOM2284910",
"Kundennummer CH-3381027", "Passport No.: N4821937", "Employee #00471", "(member 44102)", "HKID W481273(6)", "rego
BXR41K", "kötvényszám KGFB-20418832"), in English and a dozen other languages.

Their shapes are each organisation's own, so no checksum can tell them; the name of the kind before them can. The value
holds three digits or more, in capitals, digits, dashes, slashes and dots (a group after a space too: "40-22-18
71935264"), and is no year alone ("policy 2024") nor an amount ("account 1000 €" has a currency after it). A bare
"ID" counts in capitals and not after the name of a thing's number ("Order ID 5512", "Transaction ID", "Build ID").
Order, booking, invoice, ticket and tracking numbers are left: they name a purchase, not the person.
"""

from __future__ import annotations

import re

_NUMBER_WORD = r"(?:number|no\.?|nr\.?|n[°º]\.?|#|num\.?|id|ref(?:erence)?)"
_ENGLISH = (
    rf"account(?: {_NUMBER_WORD})?|acct\.?(?: {_NUMBER_WORD})?|a/c(?: {_NUMBER_WORD})?|"
    rf"(?:insurance |motor |home |car |travel |health )?policy(?: {_NUMBER_WORD})?|"
    rf"(?:customer|client|member|membership|employee|staff|student|patient|pupil|tenant|subscriber|"
    rf"loyalty card|library card|health card|insurance|medicare|medicaid|national health|user|login)"
    rf"(?: {_NUMBER_WORD}| card(?: {_NUMBER_WORD})?)|"
    rf"member|employee|passport(?: {_NUMBER_WORD})?|medicare|nhi(?: {_NUMBER_WORD})?|mrn|"
    rf"(?:driving |driver's |drivers )licen[cs]e(?: {_NUMBER_WORD})?|licen[cs]e {_NUMBER_WORD}|"
    rf"(?:vehicle )?registration {_NUMBER_WORD}|reg\. no\.?|rego|(?:licen[cs]e |number )plate|plate {_NUMBER_WORD}"
)
_OTHER_LANGUAGES = (
    # German, French, Spanish and Portuguese, Italian, Dutch
    r"kundennummer|kunden-?nr\.?|kundenkonto|vertragsnummer|versicherungsnummer|versichertennummer|"
    r"mitgliedsnummer|mitglieds-?nr\.?|personalnummer|policennummer|polizzennummer|kontonummer|reisepassnummer|"
    r"passnummer|führerscheinnummer|kennzeichen|matrikelnummer|patientennummer|"
    r"num[ée]ro (?:de )?client|n[°º] (?:de )?client|num[ée]ro d'adh[ée]rent|num[ée]ro de (?:contrat|police|passeport|"
    r"compte|dossier patient)|immatriculation|matricule|"
    r"n[úu]mero de (?:cliente|p[óo]liza|socio|pasaporte|passaporte|cuenta|conta|afiliado|ap[óo]lice)|"
    r"n[°º] de (?:cliente|p[óo]liza|socio)|p[óo]liza|ap[óo]lice|matr[íi]cula|"
    r"numero (?:cliente|di polizza|tessera|di passaporto|di conto)|codice cliente|polizza|passaporto|targa|"
    r"klantnummer|polisnummer|lidnummer|rekeningnummer|paspoortnummer|kenteken|personeelsnummer|studentnummer|"
    # Scandinavian, Finnish, Polish, Czech and Slovak, Hungarian, Turkish, Indonesian
    r"kundnummer|kundenummer|kundenr\.?|medlemsnummer|försäkringsnummer|forsikringsnummer|passnummer|"
    r"registreringsnummer|regnr\.?|asiakasnumero|jäsennumero|vakuutusnumero|passin numero|rekisterinumero|"
    r"numer (?:klienta|polisy|paszportu|rejestracyjny|konta|legitymacji)|nr (?:klienta|polisy|paszportu|konta)|"
    r"číslo (?:zákazníka|smlouvy|pojistky|pojištěnce|pasu|účtu|průkazu)|zákaznické číslo|"
    r"ügyfélszám|kötvényszám|szerződésszám|útlevélszám|rendszám|"
    r"müşteri numarası|poliçe numarası|pasaport numarası|plaka|"
    r"nomor (?:polis|pelanggan|paspor|rekening|anggota)"
)
# A bare "ID" (or "CIN", Morocco's identity card, "HKID") in capitals, not after the name of a thing's number (each
# look-behind has a fixed width, as `re` needs).
_THINGS = (
    "order|transaction|txn|booking|tracking|request|session|ticket|product|item|invoice|job|case|claim|batch|build|"
    "process|device|app|message|event|trace|commit|asset|shipment|parcel|payment|video|post|thread|sku|part|serial|"
    "model|merchant|store|error|task|issue|bug|report|file|record|reference|ref|note|group|chat|meeting|room"
)
_BARE_ID = "(?:ID|CIN|HKID)" + "".join(f"(?<!(?i:{thing})[ \\t]ID)" for thing in _THINGS.split("|"))
_AFTER_LABEL = (
    r"(?:[ \t]*(?i:no\.?|number|nr\.?|#|num\.?))?(?:[ \t]*(?::|=|(?i:is|es|est|ist|é|je|jest|lautet|är|er)\b))?[ \t]*#?"
)
_PART = r"[A-Z0-9](?:[A-Z0-9]|[-/.](?=[A-Z0-9]))*"
# Three digits or more in the value, no year alone, no amount or measure after it.
_VALUE = (
    rf"(?=(?:[A-Z \t/.-]*\d){{3}})(?!(?:19|20)\d\d(?![\w/.-]))"
    rf"{_PART}(?:\(\d\))?(?:[ \t](?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{{2,}})*"
    r"(?![\w%€$£¥-]|[ \t]?(?:%|€|\$|£|(?i:eur|euros?|usd|gbp|dollars?|pounds?|kr|zł|kč|ft)\b))"
)
ACCOUNT_NUMBER = re.compile(
    rf"(?<![\w-])(?:(?i:{_ENGLISH}|{_OTHER_LANGUAGES})|{_BARE_ID}){_AFTER_LABEL}(?P<value>{_VALUE})"
)
