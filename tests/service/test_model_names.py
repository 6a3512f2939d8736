"""The record names the model beside its fingerprint; reproducing on another model is refused, naming both."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from core.errors import InputError
from core.model import load_model
from core.run import PathEngine
from core.service import DecisionService
from core.store import open_store
from core.store.model_names import model_label, model_names, remember_model


def test_names_are_kept_per_fingerprint_and_the_latest_wins(tmp_path: Path) -> None:
    store = open_store(tmp_path / "names.sqlite")
    remember_model(store, "f1", "banking77")
    remember_model(store, "f2", "fintweets")
    remember_model(store, "f2", "fintweets-v2")
    names = model_names(store)
    assert names == {"f1": "banking77", "f2": "fintweets-v2"}
    assert (model_label(names, "f1"), model_label(names, "f9")) == ("banking77 (f1)", "f9")


def test_a_decision_names_its_model_and_another_model_refuses_to_reproduce_it(
    bundled_engine: PathEngine, tiny_checkpoint: Callable[[str], Path], tmp_path: Path
) -> None:
    store = open_store(tmp_path / "mixed.sqlite")
    service = DecisionService(bundled_engine, store)
    decided = service.decide("a warm and funny film", bundled_engine.parse("full"), keep_text=True)
    service.close(timeout_s=60)
    assert decided.decision.model == "sst2"
    fingerprint = bundled_engine.model.fingerprint
    assert service.model_names()[fingerprint] == "sst2"
    other = DecisionService(PathEngine(load_model(str(tiny_checkpoint("bert")))), store)
    expected = rf"made by model sst2 \({fingerprint}\), but tiny-bert\w* \(\w+\) is loaded: .*load --model sst2"
    with pytest.raises(InputError, match=expected):
        other.reproduce(decided.decision.decision_id)
    other.close(timeout_s=10)
