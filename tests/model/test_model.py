"""Loading models and heads: defaults, other checkpoints, and the errors a person gets."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import torch

from core.errors import ModelLoadError
from core.model import BUNDLED_HEADS_DIR, ExitHeads, LoadedModel, encoder_fingerprint, load_model, save_heads
from core.model.smoothing import SmoothedInt8Linear
from core.run import PathEngine


def test_bundled_model_template_and_labels(bundled_model: LoadedModel) -> None:
    assert (bundled_model.num_layers, bundled_model.template.num_heads) == (6, 12)
    assert bundled_model.labels == ("negative", "positive")
    assert bundled_model.window == 256
    assert "email" in bundled_model.template.groups and "card" in bundled_model.template.groups
    assert bundled_model.heads_meta["report"]["dev_accuracy_by_depth"]


def test_bundled_model_decides_sentiment(bundled_engine: PathEngine) -> None:
    full = bundled_engine.parse("full")
    assert bundled_engine.decide("a wonderful, moving and beautifully acted film", full).label == "positive"
    assert bundled_engine.decide("a dull, tedious and badly written mess", full).label == "negative"


def test_missing_and_corrupt_model_directories(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="does not exist"):
        load_model(tmp_path / "nope")
    (tmp_path / "config.json").write_text("{not json")
    with pytest.raises(ModelLoadError, match="could not load a model"):
        load_model(tmp_path)


def test_classification_checkpoint_uses_its_own_classifier_and_only_exits_at_the_end(
    tiny_checkpoint: Callable[[str], Path],
) -> None:
    model = load_model(tiny_checkpoint("bert"))
    assert model.template.exit_layers == (2,)
    assert model.labels == ("LABEL_0", "LABEL_1", "LABEL_2")
    with pytest.raises(Exception, match="no exit head"):
        PathEngine(model).parse("depth=2")


def test_heads_for_another_encoder_are_refused(tiny_checkpoint: Callable[[str], Path], tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="trained for 6 layers"):
        load_model(tiny_checkpoint("bert"), heads_dir=BUNDLED_HEADS_DIR)
    model = load_model(tiny_checkpoint("bert"))
    save_heads(ExitHeads(3, 32, 3), tmp_path, {"labels": ["a", "b", "c"], "encoder_fingerprint": "0123456789abcdef"})
    with pytest.raises(ModelLoadError, match="trained on another encoder"):
        load_model(model.model_dir, heads_dir=tmp_path)


def test_corrupt_heads_artifact(tmp_path: Path) -> None:
    shutil.copytree(BUNDLED_HEADS_DIR, tmp_path / "heads")
    (tmp_path / "heads" / "heads.safetensors").write_bytes(b"garbage")
    with pytest.raises(ModelLoadError, match="corrupt"):
        load_model(heads_dir=tmp_path / "heads")


def test_fingerprint_covers_heads(tiny_checkpoint: Callable[[str], Path], tmp_path: Path) -> None:
    directory = tiny_checkpoint("bert")
    plain = load_model(directory)
    fingerprint = encoder_fingerprint(plain.base.encoder)
    heads = ExitHeads(3, 32, 3)
    save_heads(heads, tmp_path / "a", {"labels": ["x", "y", "z"], "encoder_fingerprint": fingerprint})
    with torch.no_grad():
        heads.bias[0, 0] = 1.0
    save_heads(heads, tmp_path / "b", {"labels": ["x", "y", "z"], "encoder_fingerprint": fingerprint})
    a, b = load_model(directory, tmp_path / "a"), load_model(directory, tmp_path / "b")
    assert len({plain.fingerprint, a.fingerprint, b.fingerprint}) == 3
    assert a.template.exit_layers == (0, 1, 2)
    assert json.loads((tmp_path / "a" / "heads.json").read_text())["labels"] == ["x", "y", "z"]


def test_int8_is_smoothed_static_and_per_channel_in_every_linear(bundled_model: LoadedModel) -> None:
    """Every linear of every layer is SmoothQuant-smoothed int8 with one fixed activation scale and a weight scale per
    output channel (issue 29); the exit heads stay fp32."""
    variant = bundled_model.variant("cpu", "int8")
    layers = [m for layer in variant.layers for m in layer.modules()]
    smoothed = [m for m in layers if isinstance(m, SmoothedInt8Linear)]
    assert not any(type(m) is torch.nn.Linear for m in layers)
    assert len(smoothed) == 6 * len(variant.layers)
    assert all(m.activation is not None for m in smoothed)
    assert all(m.quantized.weight().qscheme() == torch.per_channel_affine for m in smoothed)
    assert variant.exit_heads is not None and next(variant.exit_heads.parameters()).dtype == torch.float32
