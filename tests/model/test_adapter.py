"""The LoRA adapter: the shipped artifact, merged-weights equivalence with peft, training, fingerprints."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch
from conftest import save_tiny_bert_encoder
from peft import LoraConfig, get_peft_model
from safetensors.torch import load_file, save_file
from transformers import AutoModel, AutoTokenizer

from core.errors import ModelLoadError
from core.model import (
    ADAPTER_FILE,
    BUNDLED_HEADS_DIR,
    META_FILE,
    LoadedModel,
    load_model,
    mean_pool,
    round_to_stored_precision,
    save_adapter,
)
from core.run import PathEngine, pad_ids, path_logits
from core.training import AdaptConfig, LabelledTexts, train_adapted

POSITIVE = ["good great fine", "great good", "fine good lovely", "lovely great"]
NEGATIVE = ["bad awful poor", "awful bad", "poor terrible bad", "terrible awful"]
TEXTS = [*POSITIVE, *NEGATIVE]
LABELS = [1, 1, 1, 1, 0, 0, 0, 0]


@pytest.fixture(scope="module")
def tiny_encoder_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bare 2-layer random BERT encoder with the bundled tokenizer (no classifier: exits decide everywhere)."""
    return save_tiny_bert_encoder(tmp_path_factory.mktemp("tiny-encoder"), num_layers=2)


@pytest.fixture(scope="module")
def tiny_artifact(tiny_encoder_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[float, ...]]:
    out = tmp_path_factory.mktemp("tiny-adapted")
    config = AdaptConfig(epochs=4, rank=4, lr=2e-2, batch_size=4, max_rows=None, max_tokens=16)
    data = LabelledTexts(TEXTS, LABELS, ["negative", "positive"], (TEXTS, LABELS))
    result = train_adapted(data, out, tiny_encoder_dir, config)
    return out, result.loss_by_epoch


def _peft_reference(model_dir: Path, artifact: Path, texts: list[str]) -> torch.Tensor:
    """(B, C) logits of a plain HF forward with the adapter applied by peft (unmerged), mean-pooled, last exit,
    divided by the last exit's temperature when the artifact is calibrated."""
    meta = json.loads((artifact / META_FILE).read_text())
    adapter = meta["adapter"]
    encoder = AutoModel.from_pretrained(model_dir, local_files_only=True).eval()
    lora = LoraConfig(r=adapter["rank"], lora_alpha=adapter["alpha"], target_modules=adapter["target_modules"])
    model = get_peft_model(encoder, lora).eval()
    factors = load_file(str(artifact / ADAPTER_FILE))
    modules = dict(encoder.named_modules())
    with torch.no_grad():
        for name in adapter["target_modules"]:
            modules[name].lora_A["default"].weight.copy_(factors[f"{name}.lora_A"])
            modules[name].lora_B["default"].weight.copy_(factors[f"{name}.lora_B"])
    heads = load_file(str(artifact / "heads.safetensors"))
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    inputs = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**inputs).last_hidden_state  # (B, T, D)
    pooled = mean_pool(hidden, inputs["attention_mask"])
    temperature = meta.get("calibration", {}).get("temperatures", [1.0])[-1]
    return (pooled @ heads["weight"][-1].T + heads["bias"][-1]) / temperature


def _full_path_logits(model: LoadedModel, texts: list[str]) -> torch.Tensor:
    engine = PathEngine(model)
    spec = engine.parse("full")
    batch = pad_ids([engine.prepare(text, spec).token_ids for text in texts], model.pad_id, torch.device("cpu"))
    with torch.no_grad():
        return path_logits(model.base, batch, spec)


def test_shipped_artifact_is_adapted_small_and_loads_offline(bundled_model: LoadedModel) -> None:
    assert "adapter" in bundled_model.heads_meta, "the bundled artifact should carry a LoRA adapter"
    size = sum(f.stat().st_size for f in BUNDLED_HEADS_DIR.iterdir())
    assert size <= 5 * 1024 * 1024, f"artifact is {size} bytes"
    report = bundled_model.heads_meta["report"]
    assert len(report["dev_accuracy_by_depth"]) == bundled_model.num_layers


def test_full_path_equals_peft_forward_of_shipped_model(bundled_model: LoadedModel) -> None:
    texts = ["a gripping, beautifully acted film", "dull and far too long , with no wit at all"]
    expected = _peft_reference(bundled_model.model_dir, BUNDLED_HEADS_DIR, texts)
    torch.testing.assert_close(_full_path_logits(bundled_model, texts), expected, atol=1e-5, rtol=1e-5)


def test_tiny_training_lowers_loss_and_merged_model_matches_peft(
    tiny_encoder_dir: Path, tiny_artifact: tuple[Path, tuple[float, ...]]
) -> None:
    artifact, losses = tiny_artifact
    assert losses[-1] < losses[0], f"loss did not fall: {losses}"
    meta = json.loads((artifact / META_FILE).read_text())
    assert meta["adapter"]["rank"] == 4
    assert meta["report"]["steps"] == 8
    model = load_model(tiny_encoder_dir, artifact)
    expected = _peft_reference(tiny_encoder_dir, artifact, TEXTS[:3])
    torch.testing.assert_close(_full_path_logits(model, TEXTS[:3]), expected, atol=1e-5, rtol=1e-5)


def test_adapter_is_stored_in_fp16_exactly_as_training_rounded_it(
    tiny_artifact: tuple[Path, tuple[float, ...]], tmp_path: Path
) -> None:
    stored = load_file(str(tiny_artifact[0] / ADAPTER_FILE))
    assert {tensor.dtype for tensor in stored.values()} == {torch.float16}
    generator = torch.Generator().manual_seed(0)
    down, up = torch.randn(4, 8, generator=generator) * 1e-2, torch.randn(8, 4, generator=generator) * 3.0
    factors = {"x.lora_A": down, "x.lora_B": up}
    before = {name: tensor.clone() for name, tensor in factors.items()}
    round_to_stored_precision(factors)
    assert any(not torch.equal(before[name], factors[name]) for name in factors), "fp32 values need rounding"
    save_adapter(factors, tmp_path)
    for name, tensor in load_file(str(tmp_path / ADAPTER_FILE)).items():
        assert tensor.dtype == torch.float16
        assert torch.equal(tensor.float(), factors[name]), "what was measured is what is stored"


def test_fingerprint_covers_the_adapter(
    tiny_encoder_dir: Path, tiny_artifact: tuple[Path, tuple[float, ...]], tmp_path: Path
) -> None:
    artifact, _ = tiny_artifact
    changed = tmp_path / "changed"
    shutil.copytree(artifact, changed)
    factors = load_file(str(changed / ADAPTER_FILE))
    first_b = next(name for name in sorted(factors) if name.endswith("lora_B"))
    factors[first_b] = factors[first_b] + 0.01
    save_file(factors, str(changed / ADAPTER_FILE))
    original, altered = load_model(tiny_encoder_dir, artifact), load_model(tiny_encoder_dir, changed)
    assert original.fingerprint != altered.fingerprint
    assert not torch.equal(_full_path_logits(original, TEXTS[:2]), _full_path_logits(altered, TEXTS[:2]))


def test_adapter_for_another_encoder_is_refused(
    tiny_encoder_dir: Path, tiny_artifact: tuple[Path, tuple[float, ...]], tmp_path: Path
) -> None:
    artifact, _ = tiny_artifact
    broken = tmp_path / "broken"
    shutil.copytree(artifact, broken)
    meta = json.loads((broken / META_FILE).read_text())
    meta["adapter"]["target_modules"].append("encoder.layer.7.output.dense")
    (broken / META_FILE).write_text(json.dumps(meta))
    with pytest.raises(ModelLoadError, match=r"encoder\.layer\.7\.output\.dense"):
        load_model(tiny_encoder_dir, broken)
