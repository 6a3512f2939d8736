"""Write core/path/given_names.txt and surnames.txt: names of many languages that are no English word (issue 27).

Run from the project root: `HF_HUB_OFFLINE=1 .venv/bin/python -m bench.pii_name_list`. Sources: the first names of
every person provider of Faker 40.63.0 (MIT; 86 locales) and the US Census 1990 first names of the `names` package
(public domain); for surnames, the last names (and romanised ones) of the same Faker locales. Kept: names in Latin
script (up to Latin Extended-B: "Łukasz", "Dvořák") of three letters or more, less spaCy's English stop words, less the
listed ordinary words of `core.path.name_list`, and less every name whose lower-case form has a word vector in the
spaCy pipeline's English vocabulary (`en_core_web_md`: "hope", "grace", "frank", "young", but also "maria"; those
common names are the NER's and the census list's to find). What is left is a name wherever it stands, in any case.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable
from pathlib import Path

import faker.providers.person
import spacy

from core.path.name_list import GIVEN_NAMES_FILE, SURNAMES_FILE, first_names
from core.path.ner import SPACY_PIPELINE

_LATIN_NAME = re.compile(r"[^\W\d_](?:[^\W\d_]|['’])+(?:-[^\W\d_]+)?")
_FIRST_NAME_FIELDS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
_SURNAME_FIELDS = ("last_names", "last_names_male", "last_names_female", "last_names_nonbinary", "last_romanized_names")


def _values(field: object) -> Iterable[str]:
    return field.keys() if isinstance(field, dict) else field if isinstance(field, list | tuple | set) else ()


def faker_names(fields: Iterable[str]) -> set[str]:
    names: set[str] = set()
    for module in pkgutil.iter_modules(faker.providers.person.__path__):
        provider = getattr(importlib.import_module(f"faker.providers.person.{module.name}"), "Provider", None)
        for field in fields:
            names.update(_values(getattr(provider, field, ())))
    return names


def _no_english_word(names: Iterable[str], vocab: object) -> list[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return sorted(
        name
        for name in names
        if _LATIN_NAME.fullmatch(name)
        and name[0].isupper()
        and len(name) > 2
        and all(ord(ch) < 0x250 for ch in name)
        and name.lower() not in STOP_WORDS
        and not vocab.has_vector(name.lower())  # type: ignore[attr-defined]
    )


def main() -> None:
    nlp = spacy.load(SPACY_PIPELINE, exclude=["tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"])
    given = _no_english_word(faker_names(_FIRST_NAME_FIELDS) | {n.capitalize() for n in first_names()}, nlp.vocab)
    surnames = sorted(set(_no_english_word(faker_names(_SURNAME_FIELDS), nlp.vocab)) - set(given))
    for path, names in ((GIVEN_NAMES_FILE, given), (SURNAMES_FILE, surnames)):
        Path(path).write_text("\n".join(names) + "\n", encoding="utf-8")
        print(f"{len(names)} names written to {path}")


if __name__ == "__main__":
    main()
