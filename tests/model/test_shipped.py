"""Shipped models by name: resolution, loading, the catalog, and each shipped artifact's size and labels."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from core.errors import ModelLoadError
from core.model import BUNDLED_HEADS_DIR, LoadedModel, load_model
from core.model.shipped import CONFIGURED_ENV, SHIPPED, catalog, resolve_model

MAX_ARTIFACT_BYTES = 5 * 1024 * 1024


def test_names_resolve_to_the_bundled_encoder_and_their_artifact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PATHLENS_MODEL", raising=False)
    assert resolve_model(None).name == "sst2"  # the default
    choice = resolve_model("banking77")
    assert (choice.model_dir, choice.heads_dir.name) == (None, "minilm-banking77")
    monkeypatch.setenv("PATHLENS_MODEL", "fintweets")
    assert resolve_model(None).heads_dir == SHIPPED["fintweets"].heads_dir


def test_unknown_names_and_missing_folders_are_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match=r"unknown model 'banking78': give a shipped model \(sst2, banking77"):
        resolve_model("banking78")
    with pytest.raises(ModelLoadError, match="does not exist"):
        resolve_model(str(tmp_path / "nope"))


def test_a_folder_is_named_by_its_own_name(tiny_checkpoint: Callable[[str], Path]) -> None:
    folder = tiny_checkpoint("bert")
    assert resolve_model(str(folder)).name == folder.name
    model = load_model(str(folder))
    assert model.source == str(folder)


def test_the_default_is_sst2_by_name(bundled_model: LoadedModel) -> None:
    assert (bundled_model.name, bundled_model.source) == ("sst2", "sst2")
    assert load_model("sst2").fingerprint == bundled_model.fingerprint


def test_a_shipped_name_with_other_heads_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ModelLoadError, match="the shipped model sst2 has its own exit heads"):
        load_model("sst2", heads_dir=BUNDLED_HEADS_DIR)
    monkeypatch.delenv("PATHLENS_MODEL", raising=False)  # heads without a model: the bundled encoder, as before
    assert load_model(None, heads_dir=BUNDLED_HEADS_DIR).labels == ("negative", "positive")


def test_catalog_lists_shipped_models_with_labels_and_configured_folders(
    tiny_checkpoint: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PATHLENS_MODEL", raising=False)
    folder = tiny_checkpoint("roberta")
    monkeypatch.setenv(CONFIGURED_ENV, str(folder))
    models = {info.name: info for info in catalog()}
    assert list(models)[:3] == ["sst2", "banking77", "fintweets"]
    assert models["sst2"].labels == ("negative", "positive")
    assert len(models["banking77"].labels) == 77 and "card_arrival" in models["banking77"].labels
    assert models["fintweets"].labels == ("bearish", "bullish", "neutral")
    assert models[str(folder)].labels == ("LABEL_0", "LABEL_1", "LABEL_2") and not models[str(folder)].shipped
    monkeypatch.setenv(CONFIGURED_ENV, str(tmp_path / "gone"))
    with pytest.raises(ModelLoadError, match="which is not a folder"):
        catalog()


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_shipped_artifact_is_small_and_calibrated(name: str) -> None:
    artifact = SHIPPED[name].heads_dir
    size = sum(f.stat().st_size for f in artifact.iterdir())
    assert size <= MAX_ARTIFACT_BYTES, f"{name}: artifact is {size} bytes"
    assert {f.name for f in artifact.iterdir()} >= {"adapter.safetensors", "heads.json", "heads.safetensors"}
