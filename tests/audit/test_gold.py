"""The one rule that reads gold labels (core/audit/gold.py): names, positions only when every number is one and the
model's labels are not numbers, and a warning naming the model's labels when a file's labels do not fit them."""

from __future__ import annotations

from core.audit import gold_indices, read_gold

INTENTS = [f"intent_{n}" for n in range(77)]


def test_another_tasks_zero_one_labels_on_a_many_label_model_are_read_with_a_warning_naming_its_labels() -> None:
    reading = read_gold(["0", "1", "1", "0"], INTENTS)
    assert reading.indices(["0", "1"]) == [0, 1]
    assert reading.warning is not None
    assert "0 = intent_0, 1 = intent_1" in reading.warning and "name only 2 of them" in reading.warning


def test_positions_that_cover_the_models_labels_and_names_are_read_silently() -> None:
    assert read_gold(["0", "1", "1"], ["negative", "positive"]).warning is None
    assert gold_indices(["1", "0"], ["negative", "positive"]) == [1, 0]
    assert gold_indices(["positive", "negative"], ["negative", "positive"]) == [1, 0]
    assert read_gold(["positive"], ["negative", "positive"]).warning is None


def test_numbers_are_positions_only_when_every_number_is_one() -> None:
    stars = ["1", "2", "3", "4", "5"]  # 1-5 stars against five labels 0-4: off by one if read as positions
    reading = read_gold(stars, ["very bad", "bad", "fine", "good", "very good"])
    assert reading.indices(stars) == [None] * 5
    assert reading.warning is not None and "every number is one, and 5 is not" in reading.warning
    assert "none of the gold labels (1, 2, 3, 4, 5) is one of the model's labels" in reading.warning
    assert "very bad, bad, fine, good, very good" in reading.warning


def test_a_model_whose_labels_are_numbers_reads_numbers_as_names_only() -> None:
    reading = read_gold(["1", "2", "3", "0"], ["1", "2", "3"])
    assert reading.indices(["1", "3", "0"]) == [0, 2, None]
    assert reading.warning is not None and "labels are themselves numbers" in reading.warning


def test_labels_the_model_does_not_know_at_all_are_named_with_the_models_labels() -> None:
    reading = read_gold(["maybe", "MAYBE"], INTENTS)
    assert reading.indices(["maybe"]) == [None]
    assert reading.warning is not None and reading.warning.startswith("none of the gold labels (maybe, MAYBE)")
    assert "intent_0, intent_1, intent_2, intent_3, intent_4, ... (77 in all)" in reading.warning
