"""Stratified, seeded dev splits (core/training/splits.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from core.errors import InputError
from core.training.splits import stratified_split, write_split


def _table() -> pd.DataFrame:
    labels = ["a"] * 50 + ["b"] * 30 + ["c"] * 3
    return pd.DataFrame({"text": [f"text {i}" for i in range(len(labels))], "label": labels})


def test_every_label_gives_its_share_and_the_parts_cover_the_table() -> None:
    train, dev = stratified_split(_table(), "label", 0.1, seed=0)
    assert dev["label"].value_counts().to_dict() == {"a": 5, "b": 3, "c": 1}  # at least one row of a rare label
    assert sorted(train["text"].tolist() + dev["text"].tolist()) == sorted(_table()["text"].tolist())
    assert set(train["text"]).isdisjoint(dev["text"])


def test_the_split_depends_only_on_the_seed(tmp_path: Path) -> None:
    first = write_split(_table(), "label", 0.1, 3, tmp_path / "one")
    write_split(_table(), "label", 0.1, 3, tmp_path / "two")
    assert first == {"train_rows": 74, "dev_rows": 9}
    assert (tmp_path / "one" / "dev.csv").read_bytes() == (tmp_path / "two" / "dev.csv").read_bytes()
    other = stratified_split(_table(), "label", 0.1, seed=4)[1]
    assert other["text"].tolist() != pd.read_csv(tmp_path / "one" / "dev.csv")["text"].tolist()


def test_impossible_splits_are_refused() -> None:
    with pytest.raises(InputError, match="between 0 and 1"):
        stratified_split(_table(), "label", 1.5, seed=0)
    with pytest.raises(InputError, match="needs at least 2 rows"):
        stratified_split(pd.DataFrame({"text": ["x", "y"], "label": ["a", "b"]}), "label", 0.5, seed=0)
