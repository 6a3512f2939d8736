"""AttnLRP: each rule's relevance balance, conservation on tiny models along paths, an independent reference."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import build_tiny_classifier
from torch import nn
from transformers import AutoTokenizer

from core.errors import InputError
from core.explain import explain
from core.explain.lrp import LRPRules, attention_rule, layer_norm_rule, lrp_relevance
from core.model import LoadedModel, bundled_model_dir, load_model
from core.run import Batch, PathEngine, path_logits

IDS = torch.tensor([[101, 2023, 3185, 2001, 2307, 1998, 4550, 102]])
PATHS = ("full", "layers=0,2; heads_off=0.1,2.*", "layers=1,2; heads_off=1.0,1.3,2.2")


def test_layer_norm_rule_keeps_the_output_and_balances_relevance_without_bias() -> None:
    torch.manual_seed(0)
    x = torch.randn(2, 5, 8, dtype=torch.float64, requires_grad=True)
    weight = torch.randn(8, dtype=torch.float64)
    out = layer_norm_rule(x, (8,), weight, None, 1e-5)
    torch.testing.assert_close(out, nn.functional.layer_norm(x, (8,), weight, None, 1e-5))
    upstream = torch.randn_like(out)
    (gradient,) = torch.autograd.grad(out, x, upstream)
    torch.testing.assert_close((x * gradient).sum(), (out * upstream).sum())


@pytest.mark.parametrize("activation", [nn.functional.gelu, torch.tanh, nn.functional.silu])
def test_activations_pass_relevance_unchanged(activation: Callable[[torch.Tensor], torch.Tensor]) -> None:
    torch.manual_seed(0)
    x = torch.randn(4, 7, dtype=torch.float64, requires_grad=True)
    with LRPRules():
        out = activation(x)
    torch.testing.assert_close(out, activation(x.detach()))
    upstream = torch.randn_like(out)
    (gradient,) = torch.autograd.grad(out, x, upstream)
    torch.testing.assert_close(x * gradient, out.detach() * upstream)  # identity rule, element by element


def test_attention_rule_keeps_the_output_and_loses_only_the_softmax_bias() -> None:
    torch.manual_seed(0)
    query, key, value = (torch.randn(2, 3, 5, 4, dtype=torch.float64, requires_grad=True) for _ in range(3))
    ledger: list[torch.Tensor] = []
    out = attention_rule(query, key, value, None, 0.5, ledger)
    plain = nn.functional.scaled_dot_product_attention(query, key, value, scale=0.5)
    torch.testing.assert_close(out, plain)
    upstream = torch.randn_like(out)
    gradients = torch.autograd.grad(out, (query, key, value), upstream)
    incoming = sum((t * g).sum() for t, g in zip((query, key, value), gradients, strict=True))
    # softmax linearised at its input: bias_i = s_i (1 - x_i + sum_j s_j x_j), by hand
    scores = (query @ key.transpose(-2, -1) * 0.5).detach()
    weights = torch.softmax(scores, -1)
    bias = weights * (1 - scores + (weights * scores).sum(-1, keepdim=True))
    weight_gradient = (upstream @ value.detach().transpose(-2, -1)) / 2  # the uniform rule's half
    torch.testing.assert_close(torch.stack(ledger).sum(), (bias * weight_gradient).sum())
    torch.testing.assert_close(incoming + torch.stack(ledger).sum(), (out * upstream).sum())


@pytest.mark.parametrize("masked", ["none", "bool", "additive"])
def test_the_fused_attention_rule_equals_the_rule_written_out(masked: str) -> None:
    """Without a ledger the fused kernel runs, its gradients scaled by 1/4, 1/4, 1/2: the same as written out."""
    torch.manual_seed(0)
    query, key, value = (torch.randn(2, 3, 6, 4, dtype=torch.float64, requires_grad=True) for _ in range(3))
    keep = torch.ones(2, 1, 6, 6, dtype=torch.bool)
    keep[1, ..., 4:] = False  # the second row's last two keys are padding
    mask = {"none": None, "bool": keep, "additive": torch.randn(2, 1, 6, 6, dtype=torch.float64)}[masked]
    upstream = torch.randn(2, 3, 6, 4, dtype=torch.float64)
    fused = attention_rule(query, key, value, mask, 0.4)
    written = attention_rule(query, key, value, mask, 0.4, ledger=[])
    torch.testing.assert_close(fused, written)
    for ours, theirs in zip(
        torch.autograd.grad(fused, (query, key, value), upstream),
        torch.autograd.grad(written, (query, key, value), upstream),
        strict=True,
    ):
        torch.testing.assert_close(ours, theirs)


def test_a_piecewise_linear_model_gets_exactly_gradient_times_input() -> None:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 3)).double()
    x = torch.randn(4, 2, 6, dtype=torch.float64)

    def forward(_ids: torch.Tensor, _mask: torch.Tensor, embeds: torch.Tensor) -> torch.Tensor:
        return model(embeds).sum(1)  # (B, C)

    relevance = lrp_relevance(forward, IDS[:, :2].expand(4, -1), torch.ones(4, 2), x, target=1)
    inputs = x.clone().requires_grad_(True)
    (gradient,) = torch.autograd.grad(model(inputs).sum(1)[:, 1].sum(), inputs)
    torch.testing.assert_close(relevance, (inputs * gradient).sum(-1))


def _bias_free(kind: str, directory: Path) -> LoadedModel:
    """A tiny classifier with every bias and the position/token-type embeddings zero, in float64."""
    model = build_tiny_classifier(kind)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith("bias") or "position_embeddings" in name or "token_type" in name:
                parameter.zero_()
    model.save_pretrained(directory)
    AutoTokenizer.from_pretrained(bundled_model_dir()).save_pretrained(directory)
    loaded = load_model(directory)
    loaded.base.encoder.double()
    assert loaded.base.native_head is not None
    loaded.base.native_head.double()
    return loaded


def _logit_forward(model: LoadedModel, path: str) -> Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]:
    spec = PathEngine(model).parse(path)
    return lambda ids, mask, embeds: path_logits(model.base, Batch(ids, mask, embeds), spec)


@pytest.mark.parametrize("kind", ["bert", "roberta", "distilbert"])
def test_relevance_is_conserved_along_paths_up_to_the_softmax_bias(kind: str, tmp_path: Path) -> None:
    """No biases, no position embeddings: word relevance + the softmaxes' bias share = the target logit."""
    model = _bias_free(kind, tmp_path)
    mask = torch.ones_like(IDS)
    embeds = model.base.word_embeddings(IDS).double()
    relevances = []
    for path in PATHS:
        forward = _logit_forward(model, path)
        ledger: list[torch.Tensor] = []
        relevance = lrp_relevance(forward, IDS, mask, embeds, target=1, ledger=ledger)  # (1, T)
        with torch.no_grad():
            logit = forward(IDS, mask, embeds)[0, 1]
            with LRPRules():
                ruled = forward(IDS, mask, embeds)[0, 1]
        torch.testing.assert_close(ruled, logit, rtol=1e-12, atol=0)  # the rules leave the forward unchanged
        lost = torch.stack(ledger).sum()
        assert abs(float(lost)) > 1e-7, "the softmax rule is not conservative: the check below needs its share"
        torch.testing.assert_close(relevance.sum() + lost, logit, rtol=1e-9, atol=1e-12)
        relevances.append(relevance)
    assert not torch.allclose(relevances[0], relevances[1]), "a different path gives different relevance"


def _reference_bert_lrp(model: nn.Module, ids: torch.Tensor, layers: tuple[int, ...], off: set[tuple[int, int]]):
    """AttnLRP of a BertForSequenceClassification written out by hand with detach tricks (no PathLens code).

    Returns (relevance of each word embedding (T,), logits (C,)), explaining logit 1.
    """

    def half(t: torch.Tensor) -> torch.Tensor:  # forward t, gradient halved
        return 0.5 * t + 0.5 * t.detach()

    def identity(z: torch.Tensor, activation: Callable[[torch.Tensor], torch.Tensor]) -> torch.Tensor:
        return z * (activation(z) / z).detach()

    def norm(t: torch.Tensor, ln: nn.LayerNorm) -> torch.Tensor:
        centred = t - t.mean(-1, keepdim=True)
        return centred / torch.sqrt(t.var(-1, keepdim=True, unbiased=False) + ln.eps).detach() * ln.weight + ln.bias

    bert, config = model.bert, model.config
    heads, width = config.num_attention_heads, config.hidden_size // config.num_attention_heads
    words = bert.embeddings.word_embeddings(ids).detach().requires_grad_(True)  # (1, T, D)
    positions = bert.embeddings.position_embeddings(torch.arange(ids.shape[1]))[None]
    hidden = norm(
        words + positions + bert.embeddings.token_type_embeddings(torch.zeros_like(ids)), bert.embeddings.LayerNorm
    )
    for index in layers:
        layer = bert.encoder.layer[index]
        attention = layer.attention.self

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(1, -1, heads, width).transpose(1, 2)  # (1, H, T, d)

        query, key, value = split(attention.query(hidden)), split(attention.key(hidden)), split(attention.value(hidden))
        weights = torch.softmax(half(query) @ half(key).transpose(-2, -1) / width**0.5, -1)
        context = half(weights) @ half(value)  # (1, H, T, d)
        keep = torch.tensor([0.0 if (index, h) in off else 1.0 for h in range(heads)], dtype=context.dtype)
        context = (context * keep[None, :, None, None]).transpose(1, 2).reshape(1, -1, heads * width)
        output = layer.attention.output
        hidden = norm(output.dense(context) + hidden, output.LayerNorm)
        intermediate = identity(layer.intermediate.dense(hidden), nn.functional.gelu)
        hidden = norm(layer.output.dense(intermediate) + hidden, layer.output.LayerNorm)
    pooled = identity(bert.pooler.dense(hidden[:, 0]), torch.tanh)
    logits = model.classifier(pooled)[0]
    (gradient,) = torch.autograd.grad(logits[1], words)
    return (words * gradient).sum(-1)[0].detach(), logits.detach()


@pytest.mark.parametrize("path", PATHS)
def test_bert_relevance_equals_a_hand_written_attnlrp(path: str, tiny_checkpoint: Callable[[str], Path]) -> None:
    model = load_model(tiny_checkpoint("bert"))
    spec = PathEngine(model).parse(path)
    off = {(layer, head) for layer in spec.layers for head in range(4) if head not in spec.active_heads(layer)}
    reference = build_tiny_classifier("bert").eval()  # the same seeded weights, a separate copy
    expected, expected_logits = _reference_bert_lrp(reference, IDS, spec.layers, off)
    forward = _logit_forward(model, path)
    relevance = lrp_relevance(forward, IDS, torch.ones_like(IDS), model.base.word_embeddings(IDS), target=1)[0]
    with torch.no_grad():
        torch.testing.assert_close(
            forward(IDS, torch.ones_like(IDS), model.base.word_embeddings(IDS))[0], expected_logits
        )
    torch.testing.assert_close(relevance, expected, rtol=1e-4, atol=1e-7)


def test_lrp_explains_the_bundled_model_along_a_path_and_beats_random(bundled_engine: PathEngine) -> None:
    text = "An utterly wonderful, moving and beautiful film: a true masterpiece."
    for path in ("full", "depth=4; heads_off=1.*,2.3"):
        result = explain(bundled_engine, text, bundled_engine.parse(path), methods=("lrp",))
        figures, random = result.methods["lrp"].faithfulness, result.random_ranking
        assert figures is not None and random is not None
        assert figures.comprehensiveness > random.comprehensiveness, path
        assert torch.isfinite(torch.tensor(result.methods["lrp"].scores)).all()
    assert torch._C._len_torch_function_stack() == 0, "no rule mode survives the run"
    with pytest.raises(InputError, match="int8"):
        explain(bundled_engine, text, bundled_engine.parse("precision=int8"), methods=("lrp",))


def test_a_failing_forward_leaves_no_rules_behind() -> None:
    def failing(_ids: torch.Tensor, _mask: torch.Tensor, embeds: torch.Tensor) -> torch.Tensor:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        lrp_relevance(failing, IDS, torch.ones_like(IDS), torch.zeros(1, 8, 4), target=0)
    assert torch._C._len_torch_function_stack() == 0
    x = torch.linspace(-2, 2, 9)
    np.testing.assert_allclose(
        nn.functional.gelu(x).numpy(), (0.5 * x * (1 + torch.erf(x / 2**0.5))).numpy(), atol=1e-6
    )
