"""How texts go through spaCy and Presidio (`core.path.ner`): fewer components and other batches, the same spans."""

import warnings

import pytest
import spacy

from core.path import PII_GROUPS, GroupSet, ner

TEXTS = [
    "Dear Maria Gonzalez, your parcel for 42 Baker Street, London left Frankfurt on Monday.",
    "Virpi Mäkinen (Finnish) met Ogasawara Kenji at Morgan Stanley Bank in Kyoto last March.",
    "THIS IS GERALDINE MCBRIDE CALLING FROM CORK ABOUT MY SON",
    "a gorgeous , witty , seductive movie with steven soderbergh and julia roberts .",
    "Call me on +44 20 7946 0958 or write to jo@example.org",
]


def test_only_the_ner_runs_and_finds_what_the_whole_pipeline_finds() -> None:
    nlp = ner._analyzer().analyzer_engine.nlp_engine.nlp["en"]
    assert nlp.pipe_names == ["ner"]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        whole = spacy.load(ner.SPACY_PIPELINE)
    assert "tok2vec" in whole.pipe_names
    found = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(TEXTS)]
    assert found == [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in whole.pipe(TEXTS)]
    assert all(found[:4])


def test_spans_found_in_one_batch_equal_those_found_one_text_at_a_time() -> None:
    groups = GroupSet()
    batched = groups.find_many(TEXTS, PII_GROUPS)
    assert batched == [groups.find(text, PII_GROUPS) for text in TEXTS]
    assert all(batched[:3])


def test_a_repeated_text_is_read_once_and_gets_the_spans_it_gets_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    find_entities = ner.find_entities

    def counting(texts: list[str], labels: set[str]) -> list[list[ner.Entity]]:
        read.extend(texts)
        return find_entities(texts, labels)

    monkeypatch.setattr("core.path.groups.find_entities", counting)
    texts = [TEXTS[0], TEXTS[1], TEXTS[0], TEXTS[0]]
    found = GroupSet().find_many(texts, PII_GROUPS)
    assert read == TEXTS[:2]
    assert found == [GroupSet().find(text, PII_GROUPS) for text in texts]
    assert found[0] == found[2] and found[0] is not found[2]
