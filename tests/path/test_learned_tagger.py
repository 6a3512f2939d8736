"""The learned tagger (core/path/learned.py) and its trainer (bench/pii_tagger.py)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pycrfsuite
import pytest

import core.path.learned as learned
from bench.pii_data import LabelledText
from bench.pii_tagger import bio_tags, train
from core.path import PII_GROUPS, GroupSet
from core.path.ner import _written_as_a_name

# Streets of other countries' forms that the rules leave (no cue, no street word they know); the tagger takes them.
STREETS = (
    ("Đuro Babić\nHarmica 766, 10000 Zagreb", "Harmica 766"),
    ("Jana Nováková\nDlouhá 12, 301 00 Plzeň", "Dlouhá 12"),
    ("Please update: Strandvejen 128, 2900 Hellerup", "Strandvejen 128"),
)


def _withheld(text: str, part: str) -> bool:
    start = text.index(part)
    return any(s.start <= start and start + len(part) <= s.end for s in GroupSet().find(text, PII_GROUPS))


@pytest.mark.parametrize(("text", "street"), STREETS)
def test_the_tagger_withholds_a_street_the_rules_leave(text: str, street: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _withheld(text, street)
    monkeypatch.setattr(learned, "tagged", lambda _text: ())
    assert not _withheld(text, street)


@pytest.mark.parametrize(
    "text",
    (
        "Report 2019 Third Fiscal Quarter Financial Results",
        "Windows 10 update broke my printer after Chapter 11 news",
        "Build 3 is out, and Congress meets in May.",
        "a bloated gasbag thesis grotesquely impressed by its own gargantuan aura",
    ),
)
def test_ordinary_text_keeps_its_words(text: str) -> None:
    assert GroupSet().find(text, PII_GROUPS) == []


@pytest.mark.parametrize(
    "text",
    (
        "Ostoslista:\nMaito 2\nKananmunat 12\nVoi 1",  # a shopping list, one item a line
        "Tabell 2024\nHammarby 34\nDjurgården 31\nHäcken 29",  # a league table
        "Kurssit tänään: Ericsson 62,40, Volvo 251,10, Sandvik 198,55",  # prices between commas
        "Artikel Menge Preis\nSchrauben 200 4,99\nDübel 50 2,49",  # prices
        "The enum Katu { Paakatu = 1, Sivukatu = 2 } is unused",  # code
        "Cjenik: Ćevapi 9 €, Burek 4 €, Štrukli 7 €",  # prices with their currency
    ),
)
def test_lists_prices_and_code_are_no_streets(text: str) -> None:
    assert [label for label, *_ in learned.tagged(text)].count("ST") >= 1  # the tagger alone reads a street there
    assert not any(span.group == "address" for span in GroupSet().find(text, PII_GROUPS))


def test_an_address_block_of_three_lines_is_no_list() -> None:
    text = "Lars Holm\nBergrøa 63\nApt. 4\n0669 Ruthnes\nNorway 0669"
    assert _withheld(text, "Bergrøa 63")


def test_spans_carry_a_probability_and_lie_inside_the_text() -> None:
    text = "Return to sender: Jindra Malá, Pražská 33, 429 51 Mníšek pod Brdy"
    spans = learned.tagged(text)
    assert {label for label, *_ in spans} >= {"ST"}
    for label, start, end, confidence in spans:
        assert label in set(learned.LABELS.values())
        assert 0 <= start < end <= len(text) and text[start:end].strip() == text[start:end]
        assert 0.0 < confidence <= 1.0


def test_threads_tag_as_one_thread_does() -> None:
    texts = [f"Parcel {n} for Harmica {n}, 10000 Zagreb" for n in range(1, 41)]
    alone = [learned.tagged.__wrapped__(text) for text in texts]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(learned.tagged.__wrapped__, texts)) == alone


@pytest.mark.parametrize(
    ("span", "name"),
    (("Burträsk", True), ("BURTRÄSK", True), ("San Lorenzo", True), ("Congress", False), ("IPO", False)),
)
def test_a_learned_place_is_written_as_a_name(span: str, name: bool) -> None:
    assert _written_as_a_name(span) is name


def test_bio_tags_mark_a_span_word_by_word_and_never_a_line_break() -> None:
    text = "Ship to Kungsgatan 12\nStockholm"
    spans = (("street_address", 8, 21), ("place", 22, 31), ("organization", 0, 4))
    assert bio_tags(text, spans) == ["O", "O", "B-ST", "I-ST", "O", "B-PL"]


def test_a_model_trained_by_the_trainer_tags_what_it_learned(tmp_path: Path) -> None:
    street = LabelledText("I live at Dosentinkuja 76 now", (("street_address", 10, 25),))
    town = LabelledText("We met in Kuusamo again", (("place", 10, 17),))
    out = tmp_path / "tiny.crfsuite"
    used = train([street, town] * 20, ["nothing personal here at all"] * 20, out, {"max_iterations": 50})
    assert used == 60
    tagger = pycrfsuite.Tagger()
    tagger.open(str(out))
    for message in (street, town):
        words = [word for _, _, word in learned.tokens(message.text)]
        assert tagger.tag(learned.sequence_features(words)) == bio_tags(message.text, message.spans)


def test_a_text_without_a_capital_is_not_tagged(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every street and place the groups keep starts with a capital: a lower-case review costs no tagging."""
    asked: list[str] = []
    monkeypatch.setattr(learned, "tagged", lambda text: asked.append(text) or ())
    GroupSet().find("a gripping film about 2 sisters in a small town", PII_GROUPS)
    assert asked == []
    GroupSet().find("Hi, please deliver to Harmica 766, 10000 Zagreb", PII_GROUPS)
    assert asked
