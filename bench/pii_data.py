"""Seeded, labelled personal-data messages made with Faker (MIT): text plus the character span of every value.

Two disjoint template sets: `TUNE_TEMPLATES` (what the recognisers were developed against) and
`HELD_OUT_TEMPLATES` (written separately, only ever used for the figures in bench/RESULTS.md), generated with
different seeds and locale mixes (English-speaking locales; 30 % of names from other European and Indian ones).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from faker import Faker

# Slot -> (group it is labelled as, how Faker makes a value)
Slot = tuple[str, Callable[[Faker, random.Random], str]]

_DATE_FORMATS = ("%B %d, %Y", "%d/%m/%Y", "%Y-%m-%d", "%d %B %Y", "%m-%d-%Y", "%b %d")
_BIRTH_DATES = (date(1911, 1, 1), date(2025, 12, 31))
_TIMESTAMPS = (datetime(1990, 1, 1), datetime(2025, 12, 31))


def _date(fake: Faker, rng: random.Random) -> str:
    """A date of birth or a timestamp, between fixed bounds: Faker's own defaults end today, so the set would change
    from one day (or second) to the next."""
    if rng.random() < 0.2:
        return fake.date_time_between_dates(*_TIMESTAMPS).strftime("%Y-%m-%d %H:%M:%S")
    return fake.date_between_dates(*_BIRTH_DATES).strftime(rng.choice(_DATE_FORMATS))


def _address(fake: Faker, rng: random.Random) -> str:
    address = fake.address()
    return address.replace("\n", ", ") if rng.random() < 0.5 else address


def _licence(fake: Faker, rng: random.Random) -> str:
    return fake.bothify(rng.choice(("?#######", "??######", "?########"))).upper()


def _iban(fake: Faker, rng: random.Random) -> str:
    iban = fake.iban()
    if rng.random() < 0.3:
        iban = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return iban.lower() if rng.random() < 0.2 else iban


def _card(fake: Faker, rng: random.Random) -> str:
    number = fake.credit_card_number(rng.choice(("visa16", "mastercard", "amex", "maestro", "discover")))
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4)) if rng.random() < 0.3 else number


SLOTS: dict[str, Slot] = {
    "name": ("person", lambda f, r: f.name()),
    "first": ("person", lambda f, r: f.first_name()),
    "last": ("person", lambda f, r: f.last_name()),
    "city": ("location", lambda f, r: f.city()),
    "country": ("location", lambda f, r: f.country()),
    "company": ("organization", lambda f, r: f.company()),
    "address": ("address", _address),
    "street": ("address", lambda f, r: f.street_address()),
    "date": ("date", _date),
    "email": ("email", lambda f, r: f.email()),
    "phone": ("phone", lambda f, r: f.phone_number()),
    "url": ("url", lambda f, r: f.url() + r.choice(("", "profile", "u/" + f.user_name()))),
    "ip": ("ip", lambda f, r: f.ipv4() if r.random() < 0.7 else f.ipv6()),
    "iban": ("iban", _iban),
    "card": ("card", _card),
    "ssn": ("ssn", lambda f, r: f.ssn()),
    "passport": ("id_number", lambda f, r: f.passport_number()),
    "licence": ("id_number", _licence),
}

TUNE_TEMPLATES = (
    "Hi, this is {name}. My new address is {address} and my phone is {phone}.",
    "Please refund card {card}; the order was placed on {date} by {first} {last}.",
    "{name} from {company} asked us to wire the money to IBAN {iban}.",
    "Login from {ip} for user {email} at {date} was blocked.",
    "Dear {first}, your SSN {ssn} was used to open an account in {city}.",
    "My passport number is {passport} and my driver's license is {licence}.",
    "Ship to {street}, {city}. Contact: {phone}, {email}.",
    "We met {name} in {country} last year; she now works for {company}.",
    "Profile {url} belongs to {name}, born {date}.",
    "Call me on {phone} or write to {email}. Thanks, {first}",
)

HELD_OUT_TEMPLATES = (
    "Good morning! {name} here - I moved to {address}, please update my file. You can reach me at {phone}.",
    "I was charged twice on {card} on {date}. Can someone from {company} explain? {first}",
    "Transfer from {iban} failed, says my bank. Regards, {first} {last}",
    "Suspicious sign-in: {ip} ({city}, {country}) using {email} on {date}.",
    "Attached are copies of my passport {passport} and SSN {ssn}. {name}",
    "Driving licence no. {licence}, issued {date} - {name}, {street}",
    "Our new colleague {name} starts on {date}; her desk phone is {phone}.",
    "Hey {first}, it was great seeing you and {name} in {city}! Pics at {url}",
    "Please send the contract to {name} at {company}, {address}.",
    "{first} {last} ({email}) reported that {company} never shipped order to {city}.",
    "My mum {name} lives at {street} in {city}; her number is {phone}.",
    "Reminder: dentist appointment for {first} on {date} at the {city} clinic.",
)

TUNE_LOCALES = ("en_US", "en_US", "en_GB", "en_CA", "en_AU")
HELD_OUT_LOCALES = ("en_US", "en_US", "en_US", "en_GB", "en_GB", "en_IE", "en_CA", "en_AU")
NAME_LOCALES = ("de_DE", "fr_FR", "es_ES", "it_IT", "en_IN", "pt_BR", "nl_NL", "pl_PL")


@dataclass(frozen=True)
class LabelledText:
    text: str
    spans: tuple[tuple[str, int, int], ...]  # (group, start, end)
    name_locale: str = ""  # the Faker locale that made the message's names


def fill(template: str, fake: Faker, name_fake: Faker, rng: random.Random, name_locale: str = "") -> LabelledText:
    pieces, spans, cursor, length = [], [], 0, 0
    for match in re.finditer(r"\{(\w+)\}", template):
        literal = template[cursor : match.start()]
        pieces.append(literal)
        length += len(literal)
        group, make = SLOTS[match.group(1)]
        value = make(name_fake if group == "person" else fake, rng)
        pieces.append(value)
        spans.append((group, length, length + len(value)))
        length += len(value)
        cursor = match.end()
    pieces.append(template[cursor:])
    return LabelledText("".join(pieces), tuple(spans), name_locale)


def generate(count: int, held_out: bool, seed: int | None = None) -> list[LabelledText]:
    """`count` messages; the held-out set uses its own templates, seed and locale mix."""
    seed = (20261 if held_out else 7) if seed is None else seed
    rng = random.Random(seed)
    locales = HELD_OUT_LOCALES if held_out else TUNE_LOCALES
    fakes = {locale: Faker(locale) for locale in (*locales, *NAME_LOCALES)}
    for index, fake in enumerate(fakes.values()):
        fake.seed_instance(seed * 100 + index)
    templates = HELD_OUT_TEMPLATES if held_out else TUNE_TEMPLATES
    messages = []
    for _ in range(count):
        locale = rng.choice(locales)
        name_locale = rng.choice(NAME_LOCALES) if rng.random() < 0.3 else locale
        messages.append(fill(rng.choice(templates), fakes[locale], fakes[name_locale], rng, name_locale))
    return messages


HANDWRITTEN = Path(__file__).resolve().parent / "pii_handwritten"


def load_handwritten(part: str) -> list[LabelledText]:
    """The hand-written messages of `part` ("dev" or "test"): bench/pii_handwritten/README.md."""
    with (HANDWRITTEN / f"{part}.jsonl").open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    return [LabelledText(row["text"], tuple((group, start, end) for group, start, end in row["spans"])) for row in rows]
