"""Write core/path/given_names.txt: given names of many languages that are no English word (issue 27).

Run from the project root: `HF_HUB_OFFLINE=1 .venv/bin/python -m bench.pii_name_list`. Sources: the first names of
every person provider of Faker 40.63.0 (MIT; 86 locales) and the US Census 1990 first names of the `names` package
(public domain). Kept: names in Latin script of three letters or more, less spaCy's English stop words, less the
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

from core.path.name_list import GIVEN_NAMES_FILE, first_names
from core.path.ner import SPACY_PIPELINE

_LATIN_NAME = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+(?:-[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+)?")


def _values(field: object) -> Iterable[str]:
    return field.keys() if isinstance(field, dict) else field if isinstance(field, list | tuple | set) else ()


def faker_first_names() -> set[str]:
    names: set[str] = set()
    for module in pkgutil.iter_modules(faker.providers.person.__path__):
        provider = getattr(importlib.import_module(f"faker.providers.person.{module.name}"), "Provider", None)
        for field in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            names.update(_values(getattr(provider, field, ())))
    return names


def main() -> None:
    from spacy.lang.en.stop_words import STOP_WORDS

    nlp = spacy.load(SPACY_PIPELINE, exclude=["tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"])
    candidates = {name for name in faker_first_names() if _LATIN_NAME.fullmatch(name) and len(name) > 2}
    candidates |= {name.capitalize() for name in first_names()}
    kept = sorted(
        name
        for name in candidates
        if all(ord(ch) < 0x250 for ch in name)
        and name.lower() not in STOP_WORDS
        and not nlp.vocab.has_vector(name.lower())
    )
    Path(GIVEN_NAMES_FILE).write_text("\n".join(kept) + "\n", encoding="utf-8")
    print(f"{len(kept)} names written to {GIVEN_NAMES_FILE}")


if __name__ == "__main__":
    main()
