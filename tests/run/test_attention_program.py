"""Programmed attention (`block=`, `emphasize=`) against a hand-written eager BERT layer: −inf masks and PASTA."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import torch

from core.errors import InvalidPathError
from core.model import LoadedModel, load_model, mean_pool
from core.path import ModelTemplate, PathSpec, custom_group
from core.run import BLOCK_MARK, EMPHASIS_MARK, Batch, run_layers

TEMPLATE = ModelTemplate(6, 12, ("email", "phone", "quote"))
TEXTS = ["the plot is not bad at all, but the acting is dull", "not bad, really not bad"]
QUOTE = custom_group("quote", words=["not bad"])
Capture = dict[int, torch.Tensor]


# -- grammar -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("block=quote", "block=quote"),
        ("block=quote@0-5", "block=quote"),
        ("block=quote@4,0,1", "block=quote@0,1,4"),
        ("depth=3; block=quote@0-2", "depth=3; block=quote"),
        ("emphasize=quote", "emphasize=quote"),
        ("emphasize=quote:0.01", "emphasize=quote"),
        ("emphasize=quote@2.3,1.*:0.05", "emphasize=quote@1.*,2.3:0.05"),
        ("heads_off=1.2; emphasize=quote@1.*", "heads_off=1.2; emphasize=quote@1.*"),
        ("emphasize=quote@0.*,1.*,2.*,3.*,4.*,5.*:1", "emphasize=quote:1.0"),
        ("emphasize=quote:1e-5; block=email@3; withhold=phone", "withhold=phone; block=email@3; emphasize=quote:1e-05"),
    ],
)
def test_program_canonical_form_and_round_trip(text: str, canonical: str) -> None:
    spec = PathSpec.parse(text, TEMPLATE)
    assert spec.canonical == canonical
    assert PathSpec.parse(spec.canonical, TEMPLATE) == spec
    assert PathSpec.from_json(spec.to_json(), TEMPLATE) == spec


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("block=nobody", "unknown input group nobody: known groups are email, phone, quote"),
        ("block=nobody@9", "block= names unknown input group nobody: known groups are email, phone, quote"),
        ("emphasize=nosuch@0", "emphasize= names unknown input group nosuch: known groups are email, phone, quote"),
        ("depth=2; block=quote@3", "layer 3 does not run on this path"),
        ("emphasize=quote@1.2; heads_off=1.2", "head 1.2 does not run on this path"),
        ("depth=2; emphasize=quote@4.0", "head 4.0 does not run on this path"),
        ("emphasize=quote:0", "outside (0, 1]"),
        ("emphasize=quote:1.5", "outside (0, 1]"),
        ("emphasize=quote:many", "must be a number in (0, 1]"),
        ("withhold=quote; block=quote", "names a withheld group"),
        ("emphasize=quote@", "names no head"),
        ("block=@1", "block= needs a group"),
    ],
)
def test_program_refusals_name_what_is_possible(text: str, message: str) -> None:
    with pytest.raises(InvalidPathError, match=re.escape(message)):
        PathSpec.parse(text, TEMPLATE)


def test_replace_keeps_the_program_within_the_new_path() -> None:
    spec = PathSpec.parse("block=quote@3-5; emphasize=quote@4.1,5.2", TEMPLATE)
    assert spec.replace(layers=(0, 1, 2, 3, 4)).canonical == "depth=5; block=quote@3,4; emphasize=quote@4.1"
    assert spec.replace(layers=(0, 1)).canonical == "depth=2"


# -- a hand-written eager BERT layer -------------------------------------------------------------------------------
def hand_layer(
    layer: torch.nn.Module,
    hidden: torch.Tensor,  # (B, T, D)
    additive: torch.Tensor,  # (B, 1, 1, T): 0 or −inf per key
    active: tuple[int, ...],
    num_heads: int,
    emphasis: tuple[tuple[int, ...], torch.Tensor, float] | None = None,  # heads, in-group (B, T), alpha
) -> tuple[torch.Tensor, torch.Tensor]:
    """One BERT layer written out: returns (B, T, D) and the weights (B, H, T, T) after PASTA, off heads zero."""
    attention = layer.attention
    batch, length, width = hidden.shape
    head_dim = width // num_heads

    def heads(linear: torch.nn.Module) -> torch.Tensor:
        return linear(hidden).view(batch, length, num_heads, head_dim).transpose(1, 2)

    query, key, value = heads(attention.self.query), heads(attention.self.key), heads(attention.self.value)
    scores = query @ key.transpose(2, 3) / math.sqrt(head_dim) + additive  # pre-softmax (B, H, T, T)
    weights = torch.softmax(scores, dim=-1)
    if emphasis is not None:  # PASTA: scale attention to keys outside the group by alpha, renormalise
        chosen, in_group, alpha = emphasis
        factor = torch.where(in_group, 1.0, alpha)[:, None, :]  # (B, 1, T)
        for head in chosen:
            scaled = weights[:, head] * factor
            weights[:, head] = scaled / scaled.sum(-1, keepdim=True)
    gate = torch.zeros(num_heads)
    gate[list(active)] = 1.0
    weights = weights * gate[None, :, None, None]
    context = (weights @ value).transpose(1, 2).reshape(batch, length, width)
    attended = attention.output.LayerNorm(attention.output.dense(context) + hidden)
    return layer.output(layer.intermediate(attended), attended), weights


def additive_mask(keep: torch.Tensor) -> torch.Tensor:
    """(B, T) 1 = may be attended -> (B, 1, 1, T) additive mask with −inf elsewhere, written by hand."""
    return torch.zeros(keep.shape).masked_fill(keep == 0, float("-inf"))[:, None, None, :]


def marks_for(model: LoadedModel, texts: list[str], bit: int) -> tuple[Batch, torch.Tensor]:
    encoded = model.tokenizer(texts, padding=True, return_tensors="pt", return_offsets_mapping=True)
    marks = torch.zeros_like(encoded["input_ids"])
    for row, text in enumerate(texts):
        spans = QUOTE.find(text)
        for index, (start, end) in enumerate(encoded["offset_mapping"][row].tolist()):
            if end > start and any(start < e and end > s for s, e in spans):
                marks[row, index] = bit
    assert marks.any(), "the test texts must contain the group"
    return Batch(encoded["input_ids"], encoded["attention_mask"], token_marks=marks), marks.bool()


@pytest.fixture(scope="module")
def tiny(tiny_checkpoint: Callable[[str], Path]) -> LoadedModel:
    return load_model(tiny_checkpoint("bert"), custom_groups=(QUOTE,))


@pytest.fixture(scope="module")
def bundled(bundled_model: LoadedModel) -> LoadedModel:
    return load_model(custom_groups=(QUOTE,))


def capture(model: LoadedModel, batch: Batch, spec: PathSpec, kernel: str) -> tuple[torch.Tensor, Capture]:
    maps: Capture = {}
    num_heads = spec.template.num_heads

    def sink(layer: int, weights: torch.Tensor, heads: torch.Tensor) -> None:
        full = weights.new_zeros(weights.shape[0], num_heads, *weights.shape[2:])
        maps[layer] = full.index_copy(1, heads, weights)

    with torch.no_grad():
        logits = run_layers(model.base, batch, spec, attention_sink=sink, kernel=kernel)[len(spec.layers) - 1]
    return logits, maps


def hand_path(
    model: LoadedModel, batch: Batch, spec: PathSpec, marks: torch.Tensor, pool: bool
) -> tuple[torch.Tensor, Capture]:
    """The path by hand: blocked keys −inf in the block's layers, PASTA in the emphasised heads."""
    variant = model.base
    padding = additive_mask(batch.attention_mask)
    blocked = additive_mask(batch.attention_mask * (~marks).long())
    maps: Capture = {}
    with torch.no_grad():
        hidden = variant.encoder.embeddings(input_ids=batch.input_ids)
        for layer in spec.layers:
            in_block = spec.block is not None and (spec.block.layers is None or layer in spec.block.layers)
            emphasis = None
            if spec.emphasize is not None:
                chosen = tuple(
                    h
                    for h in spec.active_heads(layer)
                    if spec.emphasize.heads is None or (layer, h) in spec.emphasize.heads
                )
                emphasis = (chosen, marks, spec.emphasize.alpha)
            hidden, maps[layer] = hand_layer(
                variant.layers[layer],
                hidden,
                blocked if in_block else padding,
                spec.active_heads(layer),
                spec.template.num_heads,
                emphasis,
            )
        if not pool:
            return variant.native_head(hidden), maps
        fully = spec.block is not None and (spec.block.layers is None or set(spec.layers) <= spec.block.layers)
        keep = batch.attention_mask * (~marks).long() if fully else batch.attention_mask
        assert variant.exit_heads is not None
        pooled = mean_pool(hidden, keep)
        weight, bias = variant.exit_heads.weight[spec.exit_layer], variant.exit_heads.bias[spec.exit_layer]
        return (pooled @ weight.T + bias) / variant.exit_heads.temperature[spec.exit_layer], maps  # calibrated exit


# -- block ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kernel", ["sdpa", "eager"])
@pytest.mark.parametrize("path", ["block=quote", "block=quote@0,2", "layers=0,2; heads_off=0.1,2.3; block=quote@2"])
def test_block_equals_a_hand_written_minus_inf_mask(kernel: str, path: str, tiny: LoadedModel) -> None:
    spec = PathSpec.parse(path, tiny.template)
    batch, marks = marks_for(tiny, TEXTS, BLOCK_MARK)
    expected, _ = hand_path(tiny, batch, spec, marks, pool=False)
    with torch.no_grad():
        actual = run_layers(tiny.base, batch, spec, kernel=kernel)[len(spec.layers) - 1]
    torch.testing.assert_close(actual, expected, atol=1e-5, rtol=1e-5)
    with torch.no_grad():
        hidden = [
            run_layers(tiny.base, batch, s, readout=lambda v, layer, h, m: h)[len(spec.layers) - 1]
            for s in (spec, spec.replace(block=None))
        ]
    assert (hidden[0] - hidden[1]).abs().max() > 1e-3, "blocking must change what the path computes"


def test_a_blocked_token_receives_exactly_zero_attention(tiny: LoadedModel) -> None:
    spec = PathSpec.parse("heads_off=1.0,1.3; block=quote@1,2", tiny.template)
    batch, marks = marks_for(tiny, TEXTS, BLOCK_MARK)
    _, maps = capture(tiny, batch, spec, "eager")
    for layer in (1, 2):
        columns = maps[layer].permute(0, 3, 1, 2)[marks]  # (blocked tokens, H, T)
        assert columns.numel() and torch.count_nonzero(columns) == 0
        rows = maps[layer].sum(-1)[:, list(spec.active_heads(layer))]  # every row still sums to one
        torch.testing.assert_close(rows, torch.ones_like(rows))
    assert maps[0].permute(0, 3, 1, 2)[marks].gt(0).all(), "layer 0 is not blocked"


@pytest.mark.parametrize("kernel", ["sdpa", "eager"])
@pytest.mark.parametrize("path", ["block=quote", "depth=3; heads_off=0.*,2.5; block=quote"])
def test_full_block_on_the_bundled_model_leaves_blocked_tokens_out_of_the_pooled_exit(
    kernel: str, path: str, bundled: LoadedModel
) -> None:
    spec = PathSpec.parse(path, bundled.template)
    batch, marks = marks_for(bundled, TEXTS, BLOCK_MARK)
    expected, _ = hand_path(bundled, batch, spec, marks, pool=True)
    with torch.no_grad():
        actual = run_layers(bundled.base, batch, spec, kernel=kernel)[len(spec.layers) - 1]
    torch.testing.assert_close(actual, expected, atol=1e-5, rtol=1e-5)


# -- emphasize -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path", ["emphasize=quote", "emphasize=quote@0.1,2.*:0.2", "layers=0,2; heads_off=2.1; emphasize=quote@2.*:0.05"]
)
def test_emphasize_equals_pasta_by_hand_on_the_pre_softmax_scores(path: str, tiny: LoadedModel) -> None:
    spec = PathSpec.parse(path, tiny.template)
    batch, marks = marks_for(tiny, TEXTS, EMPHASIS_MARK)
    expected_logits, expected_maps = hand_path(tiny, batch, spec, marks, pool=False)
    logits, maps = capture(tiny, batch, spec, "eager")
    for layer in spec.layers:
        torch.testing.assert_close(maps[layer], expected_maps[layer], atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(logits, expected_logits, atol=1e-5, rtol=1e-5)
    with torch.no_grad():
        sdpa = run_layers(tiny.base, batch, spec, kernel="sdpa")[len(spec.layers) - 1]
    torch.testing.assert_close(sdpa, expected_logits, atol=1e-5, rtol=1e-5)


def test_block_and_emphasize_together_match_the_hand_path(bundled: LoadedModel) -> None:
    spec = PathSpec.parse("depth=4; heads_off=1.*; block=quote@3; emphasize=quote@0.2,3.4:0.1", bundled.template)
    batch, marks = marks_for(bundled, TEXTS, BLOCK_MARK | EMPHASIS_MARK)
    expected, _ = hand_path(bundled, batch, spec, marks, pool=True)
    with torch.no_grad():
        actual = run_layers(bundled.base, batch, spec)[len(spec.layers) - 1]
    torch.testing.assert_close(actual, expected, atol=1e-5, rtol=1e-5)
