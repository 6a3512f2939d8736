"""ModernBERT and decoder-only classifiers (Qwen2, Llama) against independent references: plain Hugging Face
forwards with eager attention, a hand-gated head (its slice zeroed before the output projection), hooks, and
`torch.utils.flop_counter`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from captum.attr import LayerIntegratedGradients
from conftest import TINY_FAMILIES
from torch import nn
from torch.utils.flop_counter import FlopCounterMode
from transformers import AutoModel, AutoModelForSequenceClassification

from core.errors import InputError, InvalidPathError
from core.explain import IGOptions, explain
from core.explain.attention_maps import capture_attention
from core.model import LoadedModel, load_model
from core.model.families.deberta import programmed_attention
from core.run import BLOCK_MARK, Batch, PathEngine, path_logits

TEXTS = ["a gripping, beautifully acted film", "dull and far too long; I left early in the evening"]
DECODERS = ("qwen2", "llama", "gpt2")


def encode(model: LoadedModel, texts: list[str], side: str = "right") -> Batch:
    tokenizer = model.tokenizer
    saved, tokenizer.padding_side = tokenizer.padding_side, side
    try:
        encoded = tokenizer(texts, padding=True, return_tensors="pt")
    finally:
        tokenizer.padding_side = saved
    return Batch(encoded["input_ids"], encoded["attention_mask"])


def eager_reference(directory: Path) -> nn.Module:
    return AutoModelForSequenceClassification.from_pretrained(directory, attn_implementation="eager").eval()


def hf_layers(base: nn.Module) -> nn.ModuleList:
    if hasattr(base, "h"):  # GPT-2
        return base.h
    return base.encoder.layer if hasattr(base, "encoder") else base.layers  # DeBERTa, others


def output_projection(reference: nn.Module, layer: int) -> nn.Linear:
    """The linear that receives the concatenated heads' attention outputs of `layer`."""
    block = hf_layers(reference.base_model)[layer]
    if hasattr(block, "attention"):  # DeBERTa
        return block.attention.output.dense
    if hasattr(block, "ln_1"):  # GPT-2
        return block.attn.c_proj
    return block.attn.Wo if hasattr(block, "attn") else block.self_attn.o_proj


@pytest.mark.parametrize("side", ["right", "left"])
@pytest.mark.parametrize("kind", TINY_FAMILIES)
def test_full_path_equals_plain_hf_forward(kind: str, side: str, tiny_checkpoint: Callable[[str], Path]) -> None:
    directory = tiny_checkpoint(kind)
    model = load_model(directory)
    batch = encode(model, TEXTS, side)
    assert bool((batch.attention_mask == 0).any()), "the batch must be padded"
    with torch.no_grad():
        expected = eager_reference(directory)(input_ids=batch.input_ids, attention_mask=batch.attention_mask).logits
        for kernel in ("sdpa", "eager"):
            actual = path_logits(model.base, batch, PathEngine(model).parse("full"), kernel=kernel)
            torch.testing.assert_close(actual, expected, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("kind", TINY_FAMILIES)
def test_early_exit_equals_a_truncated_hf_forward_read_by_the_exit_head(
    kind: str, tiny_checkpoint: Callable[[str], Path], with_heads: Callable[[str], LoadedModel]
) -> None:
    """depth=2: the first two layers of a plain HF forward, its final norm if any, then the family's pooling by
    hand (decoders: each row's last real token; encoders: the mean over real tokens) into layer 1's exit head."""
    model = with_heads(kind)
    base = AutoModel.from_pretrained(tiny_checkpoint(kind), attn_implementation="eager").eval()
    if hasattr(base, "h"):
        base.h = base.h[:2]
    elif hasattr(base, "encoder"):
        base.encoder.layer = base.encoder.layer[:2]
    else:
        base.layers = base.layers[:2]
    base.config.num_hidden_layers = 2
    batch = encode(model, TEXTS)
    heads = model.base.exit_heads
    assert heads is not None
    with torch.no_grad():
        hidden = base(input_ids=batch.input_ids, attention_mask=batch.attention_mask).last_hidden_state  # normed
        if kind in DECODERS:
            pooled = hidden[torch.arange(2), batch.attention_mask.sum(1) - 1]  # right padding: last real token
        else:
            weights = batch.attention_mask[..., None].float()
            pooled = (hidden * weights).sum(1) / weights.sum(1)
        expected = pooled @ heads.weight[1].T + heads.bias[1]
        actual = path_logits(model.base, batch, PathEngine(model).parse("depth=2"))
    torch.testing.assert_close(actual, expected, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("kernel", ["sdpa", "eager"])
@pytest.mark.parametrize("kind", TINY_FAMILIES)
def test_a_head_off_equals_eager_attention_with_its_slice_zeroed(
    kind: str, kernel: str, tiny_checkpoint: Callable[[str], Path]
) -> None:
    """Query head 2 of layer 1 off; for the decoders (2 K/V heads) head 3 shares its K/V head and stays on."""
    directory = tiny_checkpoint(kind)
    model = load_model(directory)
    reference = eager_reference(directory)
    head_dim = model.config.hidden_size // model.config.num_attention_heads
    batch = encode(model, TEXTS)

    def zero_head_2(_module: nn.Module, args: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, ...]:
        context = args[0].clone()  # (B, T, H·d)
        context[..., 2 * head_dim : 3 * head_dim] = 0.0
        return (context,)

    handle = output_projection(reference, 1).register_forward_pre_hook(zero_head_2)
    try:
        with torch.no_grad():
            expected = reference(input_ids=batch.input_ids, attention_mask=batch.attention_mask).logits
    finally:
        handle.remove()
    with torch.no_grad():
        actual = path_logits(model.base, batch, PathEngine(model).parse("heads_off=1.2"), kernel=kernel)
        full = path_logits(model.base, batch, PathEngine(model).parse("full"))
    torch.testing.assert_close(actual, expected, atol=1e-5, rtol=1e-5)
    assert not torch.allclose(actual, full, atol=1e-6), "the head must matter"


@pytest.mark.parametrize("kind", TINY_FAMILIES)
def test_a_skipped_layer_is_never_entered(kind: str, tiny_checkpoint: Callable[[str], Path]) -> None:
    """No module inside layer 1 runs (DeBERTa's layer is run through its submodules, so all are hooked)."""
    model = load_model(tiny_checkpoint(kind))
    entered: list[int] = []
    handles = [
        module.register_forward_pre_hook(lambda _m, _a, index=index: entered.append(index))
        for index, layer in enumerate(model.base.layers)
        for module in layer.modules()
    ]
    try:
        with torch.no_grad():
            path_logits(model.base, encode(model, TEXTS), PathEngine(model).parse("layers=0,2"))
    finally:
        for handle in handles:
            handle.remove()
    assert sorted(set(entered)) == [0, 2] and entered == sorted(entered)


@pytest.mark.parametrize("path", ["depth=2", "depth=2; heads_off=0.1,1.*", "heads_off=0.0,2.3"])
@pytest.mark.parametrize("kind", TINY_FAMILIES)
def test_flops_match_torch_flop_counter(kind: str, path: str, with_heads: Callable[[str], LoadedModel]) -> None:
    model = with_heads(kind)
    batch = encode(model, TEXTS)
    spec = PathEngine(model).parse(path)
    if spec.layers[-1] == model.num_layers - 1 and kind == "modernbert":
        pytest.skip("ModernBERT's own classifier adds a dense head that the exit-head cost does not count")
    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:  # the explicit kernel: the counter does not see CPU flash attention
        path_logits(model.base, batch, spec, kernel="eager")
    ours = model.path_flops(spec, batch.input_ids.shape[1], rows=2)
    assert ours == pytest.approx(counter.get_total_flops(), rel=0.01)


@pytest.mark.parametrize("kind", TINY_FAMILIES)
def test_exit_policy_stops_where_the_fixed_path_would(kind: str, with_heads: Callable[[str], LoadedModel]) -> None:
    engine = PathEngine(with_heads(kind))
    adaptive = engine.decide(TEXTS[0], engine.parse("exit=confidence>=0.01"))  # fires at the first exit
    fixed = engine.decide(TEXTS[0], engine.parse("depth=1"))
    assert adaptive.exit is not None and adaptive.exit.layer == 0
    np.testing.assert_allclose(adaptive.logits, fixed.logits, atol=1e-5)


@pytest.mark.parametrize("spec_text", ["depth=1", "depth=2; heads_off=1.2"])
@pytest.mark.parametrize("kind", TINY_FAMILIES)
def test_ig_equals_captum_and_is_complete(kind: str, spec_text: str, with_heads: Callable[[str], LoadedModel]) -> None:
    engine = PathEngine(with_heads(kind))
    spec = engine.parse(spec_text)
    text = TEXTS[1]
    result = explain(engine, text, spec, methods=("ig",), ig=IGOptions(32), score_faithfulness=False)
    ids = list(engine.prepare(text, spec).token_ids)
    variant = engine.model.base
    target = engine.model.labels.index(result.target)

    def forward(input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return torch.softmax(path_logits(variant, Batch(input_ids, attention_mask), spec), dim=-1)

    input_ids = torch.tensor([ids])
    baseline = torch.tensor([[ids[0]] + [engine.model.pad_id] * (len(ids) - 2) + [ids[-1]]])
    attributions = LayerIntegratedGradients(forward, variant.word_embeddings).attribute(
        input_ids, baselines=baseline, target=target, additional_forward_args=(torch.ones_like(input_ids),), n_steps=32
    )
    scores = np.array(result.methods["ig"].scores)
    np.testing.assert_allclose(scores, attributions.sum(-1)[0, 1:-1].detach().numpy(), atol=1e-5, rtol=0)
    with torch.no_grad():
        mask = torch.ones_like(input_ids)
        gap = float(forward(input_ids, mask)[0, target] - forward(baseline, mask)[0, target])
    assert abs(gap) > 1e-4
    assert abs(scores.sum() - gap) < 0.01 * abs(gap)


@pytest.mark.parametrize("kind", TINY_FAMILIES)
def test_attention_maps_have_the_right_shapes_and_masks(kind: str, tiny_checkpoint: Callable[[str], Path]) -> None:
    """Maps of the heads that ran: rows sum to 1; causal for decoders; ModernBERT's local layer 1 sees ±2 tokens;
    DeBERTa's maps are its own attention probabilities."""
    model = load_model(tiny_checkpoint(kind))
    spec = PathEngine(model).parse("heads_off=1.2")
    ids = encode(model, TEXTS[1:]).input_ids
    with torch.no_grad():
        maps, flow = capture_attention(model.base, spec, ids, torch.ones_like(ids))
    length = ids.shape[1]
    assert [m.layer for m in maps] == [0, 1, 2] and flow.shape == (length,)
    assert maps[1].heads == (0, 1, 3) and maps[1].heads_off == (2,)
    assert maps[1].weights.shape == (3, length, length) and maps[0].weights.shape == (4, length, length)
    for layer_maps in maps:
        np.testing.assert_allclose(layer_maps.weights.sum(-1), 1.0, atol=1e-5)
    distance = np.abs(np.arange(length)[:, None] - np.arange(length)[None, :])
    if kind in DECODERS:
        assert np.all(maps[2].weights[:, np.triu(np.ones((length, length)), 1) == 1] == 0)
    if kind == "modernbert":
        assert np.all(maps[1].weights[:, distance > 2] == 0) and np.any(maps[2].weights[:, distance > 2] > 0)


@pytest.mark.parametrize("kind", TINY_FAMILIES)
def test_lrp_is_refused_in_one_line(kind: str, tiny_checkpoint: Callable[[str], Path]) -> None:
    engine = PathEngine(load_model(tiny_checkpoint(kind)))
    with pytest.raises(InputError, match=r"lrp is not available for .* models: its rules"):
        explain(engine, TEXTS[0], engine.parse("full"), methods=("lrp",))


@pytest.mark.parametrize("precision", ["bf16", "int8"])
@pytest.mark.parametrize("kind", TINY_FAMILIES)
def test_lower_precisions_run_and_agree(kind: str, precision: str, tiny_checkpoint: Callable[[str], Path]) -> None:
    engine = PathEngine(load_model(tiny_checkpoint(kind)))
    full = engine.decide(TEXTS[0], engine.parse("heads_off=1.2"))
    if kind == "gpt2" and precision == "int8":
        with pytest.raises(InvalidPathError, match=r"^int8 is not available for GPT-2 models: int8 quantizes"):
            engine.decide(TEXTS[0], engine.parse(f"heads_off=1.2; precision={precision}"))
        return
    low = engine.decide(TEXTS[0], engine.parse(f"heads_off=1.2; precision={precision}"))
    assert low.cost.precision == precision
    for label, probability in full.probs.items():
        assert low.probs[label] == pytest.approx(probability, abs=0.05)


def test_deberta_v2_convolution_after_layer_0_equals_plain_hf_forward(
    tiny_checkpoint: Callable[[str], Path],
) -> None:
    directory = tiny_checkpoint("deberta-conv")
    model = load_model(directory)
    batch = encode(model, TEXTS)
    with torch.no_grad():
        expected = eager_reference(directory)(input_ids=batch.input_ids, attention_mask=batch.attention_mask).logits
        actual = path_logits(model.base, batch, PathEngine(model).parse("full"))
    torch.testing.assert_close(actual, expected, atol=1e-5, rtol=1e-5)


def test_deberta_programmed_attention_is_its_own_attention_with_the_bias(
    tiny_checkpoint: Callable[[str], Path],
) -> None:
    """Against the checkpoint's own DisentangledSelfAttention: no bias gives its output; blocked keys give its weights
    with those keys removed and renormalised; emphasis on head 1 gives PASTA applied by hand to its weights."""
    model = load_model(tiny_checkpoint("deberta"))
    encoder, family = model.base.encoder, model.family
    batch = encode(model, TEXTS)
    with torch.no_grad():
        hidden = family.embed(encoder, batch.input_ids, batch.attention_mask, None)
        inputs = family.layer_inputs(encoder, hidden, batch.attention_mask)
        attention = family.layers(encoder)[0].attention.self
        extra, mask = inputs.kwargs(0), inputs.mask(0)
        expected_context, expected = attention(
            hidden, mask, output_attentions=True, relative_pos=extra["relative_pos"],
            rel_embeddings=extra["rel_embeddings"],
        )  # fmt: skip

        def run(bias: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            return programmed_attention(attention, hidden, mask, extra["relative_pos"], extra["rel_embeddings"], bias)

        length, heads = hidden.shape[1], attention.num_attention_heads
        context, weights = run(torch.zeros(1, 1, 1, length))
        torch.testing.assert_close(context, expected_context, atol=1e-6, rtol=1e-5)
        torch.testing.assert_close(weights, expected, atol=1e-6, rtol=1e-5)

        blocked = torch.zeros(length, dtype=torch.bool)
        blocked[1:3] = True
        _, weights = run(torch.zeros(1, 1, 1, length).masked_fill(blocked, torch.finfo(hidden.dtype).min))
        kept = expected.masked_fill(blocked, 0.0)
        real = batch.attention_mask.bool()  # (B, T) query rows of real tokens

        def rows(probs: torch.Tensor) -> torch.Tensor:
            return probs.transpose(1, 2)[real]  # (N, H, T)

        torch.testing.assert_close(rows(weights), rows(kept / kept.sum(-1, keepdim=True)), atol=1e-6, rtol=1e-5)

        alpha, outside = 0.1, ~blocked  # emphasise keys 1-2 in head 1: every other key's weight times alpha
        bias = torch.zeros(1, heads, 1, length)
        bias[0, 1, 0, outside] = float(np.log(alpha))
        _, weights = run(bias)
        pasta = expected.clone()
        pasta[:, 1, :, outside] *= alpha
        pasta[:, 1] /= pasta[:, 1].sum(-1, keepdim=True)
        torch.testing.assert_close(rows(weights), rows(pasta), atol=1e-6, rtol=1e-5)


def test_deberta_decides_a_programmed_path_and_its_twin_differs(tiny_checkpoint: Callable[[str], Path]) -> None:
    engine = PathEngine(load_model(tiny_checkpoint("deberta")))
    text = "mail me at a.b@example.org about the film"
    plain = engine.decide(text, engine.parse("full"))
    blocked = engine.decide(text, engine.parse("block=email"))
    emphasised = engine.decide(text, engine.parse("emphasize=email:0.05"))
    assert blocked.logits != plain.logits and emphasised.logits != plain.logits
    assert all(np.isfinite(blocked.logits)) and all(np.isfinite(emphasised.logits))


@pytest.mark.parametrize("kind", ["qwen2", "modernbert", "deberta"])
def test_block_gives_blocked_keys_zero_attention(kind: str, tiny_checkpoint: Callable[[str], Path]) -> None:
    """Tokens 0-1 blocked in every layer: no head reads them; a causal row left with no key outputs zero, not NaN."""
    model = load_model(tiny_checkpoint(kind))
    engine = PathEngine(model)
    ids = encode(model, TEXTS[:1]).input_ids
    marks = torch.zeros_like(ids)
    marks[0, :2] = BLOCK_MARK
    spec = engine.parse("block=email")  # the group's name only labels the clause; the marks say what is blocked
    with torch.no_grad():
        maps, _ = capture_attention(model.base, spec, ids, torch.ones_like(ids), marks)
        logits = path_logits(model.base, Batch(ids, torch.ones_like(ids), token_marks=marks), spec)
    assert torch.isfinite(logits).all()
    for layer_maps in maps:
        assert np.all(layer_maps.weights[:, 2:, :2] == 0)


def test_a_tokenizer_without_an_unknown_token_withholds_with_a_neutral_placeholder(
    tiny_checkpoint: Callable[[str], Path],
) -> None:
    model = load_model(tiny_checkpoint("qwen2"))
    assert model.placeholder == "[UNK]"
    without = dataclasses.replace(model, tokenizer=SimpleNamespace(unk_token=None))
    assert without.placeholder == "…"


@pytest.mark.parametrize("kind", ["qwen3", "mistral"])
def test_qwen3_and_mistral_full_path_and_a_head_off_equal_eager_references(
    kind: str, tiny_checkpoint: Callable[[str], Path]
) -> None:
    """Qwen3 (q/k norms, head size 16 ≠ hidden / heads) and Mistral (sliding window) share the decoder family."""
    directory = tiny_checkpoint(kind)
    model = load_model(directory)
    reference = eager_reference(directory)
    head_dim = reference.config.head_dim or model.config.hidden_size // model.config.num_attention_heads
    batch = encode(model, TEXTS, "left")

    def zero_head_2(_module: nn.Module, args: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, ...]:
        context = args[0].clone()  # (B, T, H·d)
        context[..., 2 * head_dim : 3 * head_dim] = 0.0
        return (context,)

    with torch.no_grad():
        expected_full = reference(input_ids=batch.input_ids, attention_mask=batch.attention_mask).logits
        handle = output_projection(reference, 1).register_forward_pre_hook(zero_head_2)
        try:
            expected_off = reference(input_ids=batch.input_ids, attention_mask=batch.attention_mask).logits
        finally:
            handle.remove()
        full = path_logits(model.base, batch, PathEngine(model).parse("full"))
        off = path_logits(model.base, batch, PathEngine(model).parse("heads_off=1.2"))
    torch.testing.assert_close(full, expected_full, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(off, expected_off, atol=1e-5, rtol=1e-5)
    assert not torch.allclose(off, full, atol=1e-6)
