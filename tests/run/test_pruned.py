"""Pruned layers (off heads sliced away) against the attention-gated layer, for every architecture."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import torch
from transformers.masking_utils import create_bidirectional_mask

from core.model import load_model
from core.run import PathEngine, can_prune, embed, run_pruned_layer


@pytest.mark.parametrize("kind", ["bert", "roberta", "distilbert"])
@pytest.mark.parametrize("active", [(0, 2), (1,), ()])
def test_pruned_layer_equals_gated_layer(
    kind: str, active: tuple[int, ...], tiny_checkpoint: Callable[[str], Path]
) -> None:
    model = load_model(tiny_checkpoint(kind))
    encoded = model.tokenizer(
        ["one short text", "and a somewhat longer second text"], padding=True, return_tensors="pt"
    )
    variant = model.base
    layer = variant.layers[1]
    assert can_prune(layer)
    with torch.no_grad():
        hidden = embed(variant, encoded["input_ids"])
        mask = create_bidirectional_mask(
            config=variant.encoder.config, inputs_embeds=hidden, attention_mask=encoded["attention_mask"]
        )
        gated = layer(hidden, mask, pathlens_active_heads=torch.tensor(active, dtype=torch.long))
        pruned = run_pruned_layer(layer, active, 4, hidden, mask, "sdpa", None)
    torch.testing.assert_close(pruned, gated, atol=1e-5, rtol=1e-5)


def test_quantized_layers_are_gated_not_pruned(bundled_engine: PathEngine) -> None:
    variant = bundled_engine.model.variant("cpu", "int8")
    assert not any(can_prune(layer) for layer in variant.layers)  # only layer 0's FFN input stays fp32
    text = "a sharp, funny and touching film"
    full = bundled_engine.decide(text, bundled_engine.parse("precision=int8"))
    off = bundled_engine.decide(text, bundled_engine.parse("precision=int8; heads_off=1.*,2.*,3.*"))
    assert off.logits != pytest.approx(full.logits, abs=1e-4)
    assert off.cost.heads_run == 36 and off.cost.flops < full.cost.flops
