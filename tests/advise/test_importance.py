"""Attribution patching (core/advise/importance.py) against true ablation, on tiny random checkpoints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import torch

from core.advise.importance import ablation, gate_points, head_importance, spearman, text_batch
from core.model import ExitHeads, LoadedModel, encoder_fingerprint, load_encoder, load_model, save_heads
from core.run import PathEngine, path_logits
from core.run.executor import Gates, run_layers
from tests.conftest import TINY_ARCHITECTURES, TINY_FAMILIES

TEXT = "the film is a charming and often affecting journey"


def gated_logits(
    engine: PathEngine, spec_text: str, head_gates: torch.Tensor, layer_gates: torch.Tensor
) -> torch.Tensor:
    """(R, C) logits of the text with the given (R, L, H) head gates and (R, L) layer gates."""
    spec = engine.parse(spec_text)
    batch, _ = text_batch(engine, TEXT, spec, head_gates.shape[0])
    variant = engine.model.variant(spec.device, spec.precision)
    with torch.no_grad():
        return run_layers(variant, batch, spec, gates=Gates(head_gates, layer_gates))[len(spec.layers) - 1]


@pytest.mark.parametrize("kind", TINY_ARCHITECTURES + TINY_FAMILIES)
def test_a_head_gate_at_zero_is_the_head_switched_off(kind: str, tiny_checkpoint: Callable[[str], Path]) -> None:
    engine = PathEngine(load_model(tiny_checkpoint(kind)))
    layers, heads = engine.model.template.num_layers, engine.model.template.num_heads
    head_gates = torch.ones(1, layers, heads)
    head_gates[0, 1, 2] = 0.0
    gated = gated_logits(engine, "full", head_gates, torch.ones(1, layers))
    spec = engine.parse("heads_off=1.2")
    batch, _ = text_batch(engine, TEXT, spec, 1)
    with torch.no_grad():
        off = path_logits(engine.model.variant("auto", "fp32"), batch, spec)
    torch.testing.assert_close(gated, off, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("kind", TINY_ARCHITECTURES + TINY_FAMILIES)
def test_one_step_is_the_gradient_of_the_decided_logit(kind: str, with_heads: Callable[[str], LoadedModel]) -> None:
    """Attribution patching's estimate of head 1.2 is the derivative of the logit at gate 1 (central finite
    differences: a one-sided step of 1e-3 in float32 was off by a fifth for ModernBERT on one CPU, its logits' rounding
    as large as the step's change)."""
    engine = PathEngine(with_heads(kind))
    importance = head_importance(engine, TEXT, engine.parse("full"), steps=1)
    label = engine.model.labels.index(importance.label)
    layers, heads = engine.model.template.num_layers, engine.model.template.num_heads
    epsilon = 1e-2
    head_gates = torch.ones(3, layers, heads)
    head_gates[1, 1, 2], head_gates[2, 1, 2] = 1.0 + epsilon, 1.0 - epsilon
    logits = gated_logits(engine, "full", head_gates, torch.ones(3, layers))
    finite = float(logits[1, label] - logits[2, label]) / (2 * epsilon)
    assert importance.heads[1][2] == pytest.approx(finite, rel=0.05, abs=1e-4)
    assert importance.logit == pytest.approx(float(logits[0, label]), abs=1e-5)


@pytest.mark.parametrize("kind", TINY_ARCHITECTURES)
def test_first_order_is_exact_where_the_gate_acts_linearly(kind: str, with_heads: Callable[[str], LoadedModel]) -> None:
    """The last layer's update reaches a linear exit head linearly: one step equals skipping it (true ablation)."""
    engine = PathEngine(with_heads(kind))
    spec = engine.parse("full")
    importance = head_importance(engine, TEXT, spec, steps=1)
    truth = ablation(engine, TEXT, spec)
    last = spec.layers[-1]
    assert importance.layers[last] == pytest.approx(truth.layers[last], rel=1e-4, abs=1e-5)


@pytest.mark.parametrize("kind", ["bert", "roberta", "distilbert", "qwen2", "deberta"])
def test_integrated_estimates_are_complete(kind: str, with_heads: Callable[[str], LoadedModel]) -> None:
    """Integrated over the gates from 1 to 0, the heads' estimates sum to the logit's change with every head off,
    and the layers' to its change with every layer skipped (Integrated Gradients' completeness)."""
    engine = PathEngine(with_heads(kind))
    importance = head_importance(engine, TEXT, engine.parse("full"), steps=64)
    label = engine.model.labels.index(importance.label)
    layers, heads = engine.model.template.num_layers, engine.model.template.num_heads
    head_gates = torch.ones(3, layers, heads)
    head_gates[1] = 0.0
    layer_gates = torch.ones(3, layers)
    layer_gates[2] = 0.0
    logits = gated_logits(engine, "full", head_gates, layer_gates)[:, label]
    head_total = sum(value for row in importance.heads for value in row if value is not None)
    layer_total = sum(value for value in importance.layers if value is not None)
    assert head_total == pytest.approx(float(logits[0] - logits[1]), rel=0.01, abs=1e-3)
    assert layer_total == pytest.approx(float(logits[0] - logits[2]), rel=0.01, abs=1e-3)


def test_with_one_head_the_integrated_estimate_is_its_ablation(tmp_path: Path) -> None:
    """A one-layer, one-head BERT: the integral over its gate equals switching it off (gate 0, which is the head
    off, as the first test shows; a path cannot switch off its only head)."""
    from transformers import AutoTokenizer, BertConfig, BertModel

    from core.model import bundled_model_dir

    torch.manual_seed(3)
    config = BertConfig(
        vocab_size=30522,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=1,
        intermediate_size=32,
        max_position_embeddings=64,
    )
    BertModel(config).eval().save_pretrained(tmp_path / "enc")
    AutoTokenizer.from_pretrained(bundled_model_dir()).save_pretrained(tmp_path / "enc")
    heads = ExitHeads(1, 16, 2)
    with torch.no_grad():
        heads.weight.normal_(std=1.0)
    _, encoder, _, _ = load_encoder(tmp_path / "enc")
    save_heads(heads, tmp_path / "heads", {"labels": ["a", "b"], "encoder_fingerprint": encoder_fingerprint(encoder)})
    engine = PathEngine(load_model(tmp_path / "enc", tmp_path / "heads"))
    importance = head_importance(engine, TEXT, engine.parse("full"), steps=64)
    label = engine.model.labels.index(importance.label)
    logits = gated_logits(engine, "full", torch.tensor([1.0, 0.0])[:, None, None], torch.ones(2, 1))[:, label]
    assert importance.heads[0][0] == pytest.approx(float(logits[0] - logits[1]), rel=0.01, abs=1e-4)


def test_ablation_switches_each_head_off_through_the_executor(with_heads: Callable[[str], LoadedModel]) -> None:
    engine = PathEngine(with_heads("bert"))
    spec = engine.parse("depth=2; heads_off=0.1")
    truth = ablation(engine, TEXT, spec)
    assert set(truth.heads) == {(0, 0), (0, 2), (0, 3), (1, 0), (1, 1), (1, 2), (1, 3)}
    prepared = engine.prepare(TEXT, spec)
    base = engine.run([spec], [prepared.token_ids]).outputs[0][0, truth.label]
    off = engine.run([spec.replace(heads_off=spec.heads_off | {(1, 3)})], [prepared.token_ids]).outputs[0]
    assert truth.heads[(1, 3)] == pytest.approx(float(base - off[0, truth.label]), abs=1e-6)
    importance = head_importance(engine, TEXT, spec)
    assert importance.heads[0][1] is None and importance.heads[2] == (None, None, None, None)
    assert importance.layers[2] is None


def test_an_exit_policy_is_weighed_where_it_stopped_and_int8_at_fp32(with_heads: Callable[[str], LoadedModel]) -> None:
    engine = PathEngine(with_heads("bert"))
    importance = head_importance(engine, TEXT, engine.parse("precision=int8; exit=confidence>=0.01"))
    assert importance.path == "depth=1"
    assert any("stopped after layer 0" in note for note in importance.notes)
    assert any("int8" in note for note in importance.notes)


def test_gate_points_and_spearman() -> None:
    assert gate_points(1) == [1.0]
    assert gate_points(4) == [0.875, 0.625, 0.375, 0.125]
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert spearman([1, 1, 2], [1, 1, 2]) == pytest.approx(1.0)
    with pytest.raises(Exception, match="at least 1"):
        gate_points(0)
