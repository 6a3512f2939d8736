"""The executor against independent references: plain HF forwards and a hand-written gated attention."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode
from transformers import AutoModel, AutoModelForSequenceClassification

from core.model import BUNDLED_HEADS_DIR, LoadedModel, apply_adapter, load_model, mean_pool, path_flops
from core.run import Batch, PathEngine, path_logits, run_layers

TEXTS = ["a gripping, beautifully acted film", "dull and far too long; I left early"]


def encode(model: LoadedModel, texts: list[str]) -> Batch:
    encoded = model.tokenizer(texts, padding=True, return_tensors="pt")
    return Batch(encoded["input_ids"], encoded["attention_mask"])


@pytest.fixture(scope="module")
def reference_encoder(bundled_model: LoadedModel) -> torch.nn.Module:
    """The bundled encoder as plain Hugging Face loads it (default sdpa attention), its LoRA adapter merged."""
    encoder = AutoModel.from_pretrained(bundled_model.model_dir).eval()
    apply_adapter(encoder, BUNDLED_HEADS_DIR, bundled_model.heads_meta)
    return encoder


@pytest.mark.parametrize("kind", ["bert", "roberta", "distilbert"])
def test_full_path_equals_plain_hf_forward_on_tiny_models(kind: str, tiny_checkpoint: Callable[[str], Path]) -> None:
    directory = tiny_checkpoint(kind)
    model = load_model(directory)
    reference = AutoModelForSequenceClassification.from_pretrained(directory).eval()
    batch = encode(model, TEXTS)
    spec = PathEngine(model).parse("full")
    with torch.no_grad():
        expected = reference(input_ids=batch.input_ids, attention_mask=batch.attention_mask).logits
        actual = path_logits(model.base, batch, spec)
    torch.testing.assert_close(actual, expected, atol=1e-5, rtol=1e-5)


def test_full_path_equals_plain_hf_forward_on_bundled_model(
    bundled_model: LoadedModel, reference_encoder: torch.nn.Module
) -> None:
    batch = encode(bundled_model, TEXTS)
    spec = PathEngine(bundled_model).parse("full")
    heads = bundled_model.base.exit_heads
    assert heads is not None
    with torch.no_grad():
        hidden = reference_encoder(input_ids=batch.input_ids, attention_mask=batch.attention_mask).last_hidden_state
        expected = heads(5, hidden, batch.attention_mask)
        actual = path_logits(bundled_model.base, batch, spec)
    torch.testing.assert_close(actual, expected, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("depth", [1, 3, 5])
def test_depth_equals_the_first_layers_of_a_plain_forward(
    depth: int, bundled_model: LoadedModel, reference_encoder: torch.nn.Module
) -> None:
    batch = encode(bundled_model, TEXTS)
    heads = bundled_model.base.exit_heads
    assert heads is not None
    with torch.no_grad():
        states = reference_encoder(
            input_ids=batch.input_ids, attention_mask=batch.attention_mask, output_hidden_states=True
        ).hidden_states
        expected = heads(depth - 1, states[depth], batch.attention_mask)
        actual = path_logits(bundled_model.base, batch, PathEngine(bundled_model).parse(f"depth={depth}"))
    torch.testing.assert_close(actual, expected, atol=1e-5, rtol=1e-5)


def test_all_depths_come_from_one_pass(bundled_model: LoadedModel) -> None:
    batch = encode(bundled_model, TEXTS)
    engine = PathEngine(bundled_model)
    with torch.no_grad():
        all_depths = run_layers(bundled_model.base, batch, engine.parse("full"), exits=range(6))
        for depth in range(1, 7):
            single = path_logits(bundled_model.base, batch, engine.parse(f"depth={depth}"))
            torch.testing.assert_close(all_depths[depth - 1], single)


def test_layers_0_to_5_equals_full(bundled_engine: PathEngine) -> None:
    full = bundled_engine.decide(TEXTS[0], bundled_engine.parse("full"))
    listed = bundled_engine.decide(TEXTS[0], bundled_engine.parse("layers=0-5"))
    assert listed.path == "full"
    assert listed.logits == pytest.approx(full.logits, abs=1e-6)


def test_skipped_layers_are_never_entered_and_order_is_kept(bundled_model: LoadedModel) -> None:
    calls: list[int] = []
    handles = [
        layer.register_forward_pre_hook(lambda module, args, i=i: calls.append(i))
        for i, layer in enumerate(bundled_model.base.layers)
    ]
    try:
        with torch.no_grad():
            path_logits(
                bundled_model.base, encode(bundled_model, TEXTS), PathEngine(bundled_model).parse("layers=4,0,2")
            )
    finally:
        for handle in handles:
            handle.remove()
    assert calls == [4, 0, 2]


def _hand_gated_layer(layer: torch.nn.Module, hidden: torch.Tensor, mask: torch.Tensor, off: set[int]) -> torch.Tensor:
    """A BERT layer written out by hand: per-head softmax attention, off heads' context zeroed before the output."""
    attn = layer.attention.self
    heads, size = attn.num_attention_heads, attn.attention_head_size
    batch, length, _ = hidden.shape

    def split(x: torch.Tensor) -> torch.Tensor:
        return x.view(batch, length, heads, size).transpose(1, 2)

    q, k, v = split(attn.query(hidden)), split(attn.key(hidden)), split(attn.value(hidden))
    scores = q @ k.transpose(-1, -2) / math.sqrt(size) + (1.0 - mask[:, None, None, :].float()) * -1e9
    context = torch.softmax(scores, dim=-1) @ v  # (B, H, T, d)
    for head in off:
        context[:, head] = 0.0
    context = context.transpose(1, 2).reshape(batch, length, heads * size)
    attention_out = layer.attention.output(context, hidden)
    return layer.output(layer.intermediate(attention_out), attention_out)


@pytest.mark.parametrize("kernel", ["sdpa", "eager"])
def test_heads_off_equals_hand_gated_reference(kernel: str, bundled_model: LoadedModel) -> None:
    batch = encode(bundled_model, TEXTS)
    spec = PathEngine(bundled_model).parse("depth=2; heads_off=0.1,0.7,1.*")
    off = {0: {1, 7}, 1: set(range(12))}
    base = bundled_model.base
    heads = base.exit_heads
    assert heads is not None
    with torch.no_grad():
        hidden = base.encoder.embeddings(input_ids=batch.input_ids)
        for layer in (0, 1):
            hidden = _hand_gated_layer(base.layers[layer], hidden, batch.attention_mask, off[layer])
        expected = heads(1, hidden, batch.attention_mask)
        actual = path_logits(base, batch, spec, kernel=kernel)
    torch.testing.assert_close(actual, expected, atol=1e-5, rtol=1e-5)


def test_an_off_head_contributes_nothing(tiny_checkpoint: Callable[[str], Path]) -> None:
    """Scrambling the off head's query/key/value weights leaves the output unchanged; for an on head it does not."""
    model = load_model(tiny_checkpoint("bert"))
    batch = encode(model, TEXTS)
    spec = PathEngine(model).parse("heads_off=1.2")
    attn = model.base.layers[1].attention.self
    rows = slice(2 * attn.attention_head_size, 3 * attn.attention_head_size)
    with torch.no_grad():
        before = path_logits(model.base, batch, spec)
        full_before = path_logits(model.base, batch, PathEngine(model).parse("full"))
        saved = [lin.weight[rows].clone() for lin in (attn.query, attn.key, attn.value)]
        for lin in (attn.query, attn.key, attn.value):
            lin.weight[rows] = torch.randn_like(lin.weight[rows])
        try:
            after = path_logits(model.base, batch, spec)
            full_after = path_logits(model.base, batch, PathEngine(model).parse("full"))
        finally:
            for lin, weight in zip((attn.query, attn.key, attn.value), saved, strict=True):
                lin.weight[rows] = weight
    torch.testing.assert_close(after, before)
    assert not torch.allclose(full_after, full_before)


def test_withheld_text_never_reaches_the_tokenizer(bundled_model: LoadedModel, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = PathEngine(bundled_model)
    seen: list[str] = []
    tokenizer = bundled_model.tokenizer
    original = type(tokenizer).__call__

    def spy(self: object, text: str, *args: object, **kwargs: object) -> object:
        seen.append(text)
        return original(self, text, *args, **kwargs)

    monkeypatch.setattr(type(tokenizer), "__call__", spy)
    text = "Refund to jane.roe@example.com, card 4111 1111 1111 1111, call 020 7946 0958."
    decision = engine.decide(text, engine.parse("withhold=email,card,phone"))
    assert decision.withheld == {"email": 1, "card": 1, "phone": 1}
    assert seen and all("jane.roe" not in s and "4111" not in s and "7946" not in s for s in seen)
    email_ids = tokenizer("jane.roe@example.com", add_special_tokens=False)["input_ids"]
    prepared = engine.prepare(text, engine.parse("withhold=email"))
    ids = list(prepared.token_ids)
    assert not any(ids[i : i + len(email_ids)] == email_ids for i in range(len(ids)))
    assert tokenizer.unk_token_id in ids


def _snapshot(model: torch.nn.Module) -> tuple[dict[str, torch.Tensor], int, str]:
    hooks = sum(len(m._forward_hooks) + len(m._forward_pre_hooks) for m in model.modules())
    state = {k: v.clone() for k, v in model.state_dict().items()}
    return state, hooks, model.config._attn_implementation


def test_a_path_leaves_the_shared_model_unchanged_also_when_it_raised(bundled_model: LoadedModel) -> None:
    encoder = bundled_model.base.encoder
    state, hooks, attn = _snapshot(encoder)
    batch = encode(bundled_model, TEXTS)
    spec = PathEngine(bundled_model).parse("layers=0,3; heads_off=3.*,0.4")

    def failing_sink(layer: int, weights: torch.Tensor, heads: torch.Tensor) -> None:
        raise RuntimeError("sink failed")

    with torch.no_grad():
        path_logits(bundled_model.base, batch, spec)
        with pytest.raises(RuntimeError, match="sink failed"):
            path_logits(bundled_model.base, batch, spec, attention_sink=failing_sink)
    after_state, after_hooks, after_attn = _snapshot(encoder)
    assert after_hooks == hooks and after_attn == attn
    for name, tensor in state.items():
        torch.testing.assert_close(after_state[name], tensor, atol=0, rtol=0)
    full = PathEngine(bundled_model).decide(TEXTS[0], PathEngine(bundled_model).parse("full"))
    with torch.no_grad():
        again = path_logits(
            bundled_model.base, encode(bundled_model, TEXTS[:1]), PathEngine(bundled_model).parse("full")
        )
    assert again[0].tolist() == pytest.approx(list(full.logits), abs=1e-5)


@pytest.mark.parametrize("precision", ["bf16", "int8"])
def test_lower_precisions_run_on_copies_and_agree(precision: str, bundled_engine: PathEngine) -> None:
    text = "an utterly delightful and warm-hearted comedy"
    full = bundled_engine.decide(text, bundled_engine.parse("full"))
    low = bundled_engine.decide(text, bundled_engine.parse(f"precision={precision}"))
    assert low.cost.precision == precision and low.label == full.label
    assert low.probs[low.label] == pytest.approx(full.probs[full.label], abs=0.1)
    assert bundled_engine.model.base.encoder.embeddings.word_embeddings.weight.dtype == torch.float32


@pytest.mark.parametrize("path", ["full", "depth=2; heads_off=0.*,1.3"])
def test_flops_match_torch_flop_counter(path: str, bundled_model: LoadedModel) -> None:
    batch = encode(bundled_model, TEXTS)
    spec = PathEngine(bundled_model).parse(path)
    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:
        path_logits(bundled_model.base, batch, spec)
    config = bundled_model.config
    ours = path_flops(spec, 2, batch.input_ids.shape[1], config.hidden_size, config.intermediate_size, 2)
    assert ours == pytest.approx(counter.get_total_flops(), rel=0.01)


def test_mean_pool_ignores_padding() -> None:
    hidden = torch.tensor([[[1.0], [3.0], [100.0]]])
    assert mean_pool(hidden, torch.tensor([[1, 1, 0]])).item() == pytest.approx(2.0)
