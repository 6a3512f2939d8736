"""Holding complete sentences out of training with all their phrases (`core.training.holdout`)."""

from __future__ import annotations

import pytest

from core.training.holdout import complete_sentence_rows, hold_out_sentences, sub_phrase_rows

TREEBANK = [
    "a good film",  # 0: sentence
    "good film",  # 1: phrase of 0
    "film",  # 2: phrase of 0, 1 and 5
    "a dull , long film",  # 3: sentence
    "dull , long",  # 4: phrase of 3
    "a filmmaker",  # 5: sentence ("film" is not a word of it)
    "long film",  # 6: phrase of 3
    "good",  # 7: phrase of 0 and 1
]


def test_sub_phrases_are_word_aligned_and_proper() -> None:
    assert sub_phrase_rows(TREEBANK, [0]) == {1, 2, 7}
    assert sub_phrase_rows(TREEBANK, [5]) == set()  # "film" inside "filmmaker" is no phrase of it
    assert sub_phrase_rows(TREEBANK, [3]) == {2, 4, 6}


def test_complete_sentences_are_contained_in_no_other_row() -> None:
    assert complete_sentence_rows(TREEBANK) == [0, 3, 5]


def test_a_held_out_sentence_takes_all_its_phrases_out_of_training() -> None:
    for seed in range(6):
        split = hold_out_sentences(TREEBANK, 1, seed)
        (sentence,) = split.sentence_rows
        assert sentence in (0, 3, 5)
        kept = set(split.train_rows)
        assert sentence not in kept
        assert not kept & sub_phrase_rows(TREEBANK, [sentence])
        assert kept | {sentence} | sub_phrase_rows(TREEBANK, [sentence]) == set(range(len(TREEBANK)))
    assert hold_out_sentences(TREEBANK, 2, seed=3) == hold_out_sentences(TREEBANK, 2, seed=3)


def test_holding_out_every_sentence_is_refused() -> None:
    with pytest.raises(ValueError, match="3 complete sentences"):
        hold_out_sentences(TREEBANK, 3, seed=0)
