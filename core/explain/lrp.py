"""AttnLRP (Achtibat et al., ICML 2024) as gradient x input on a forward whose backward follows the LRP rules.

One forward and one backward along the executed path: the executor runs the path as always (skipped layers are
never entered, off heads are never computed, `core.run.pruned` slices them away), while `LRPRules`, a thread-local
`TorchFunctionMode`, swaps the few non-linear operations for versions with the same forward output and the
backward the rules prescribe. Relevance at a tensor is then tensor x gradient, and the word embeddings'
relevance summed over their dimensions is each token's score. The rules, with their documented losses:

- linear layers, residual additions, mean pooling, attention scaling: the epsilon rule (eps -> 0), which is exactly
  gradient x input; a bias keeps the relevance b * gradient (lost to the input);
- LayerNorm: the identity rule on its linear part: the centred input is divided by its standard deviation
  detached, so y = (x - mean(x)) / std.detach() * w + b is linear in x (its bias keeps b * gradient);
- GELU, tanh and other element-wise activations: the identity rule, relevance passed unchanged (x * g_in =
  act(x) * g_out);
- softmax: the paper's rule (its Proposition 3.1): the softmax linearised at its input x, s(x) = J x + b with
  J the Jacobian, relevance through J x, which is gradient x input with the ordinary softmax gradient; not
  conservative: the bias b_i = s_i * (1 - x_i + sum_j s_j x_j) keeps sum_i b_i * g_i;
- the attention matmuls Q K^T and A V: the uniform rule, half of the relevance to each operand (the ordinary
  gradient, halved: the product is bilinear, so a * g_a + b * g_b = 2 * out * g).

The target is the label's probability, like the other methods: the final softmax takes the softmax rule above,
so the input relevance sums to p_t * (z_t - sum_i p_i z_i) (the logit's relevance under that rule) less the
biases' and the inner softmaxes' shares. The position and token-type embeddings take their own share (like IG
here, only the word embeddings are scored). `ledger`, when given, collects the inner softmaxes' losses, so tests
can check conservation to the last term.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

Ledger = list[torch.Tensor]  # relevance lost by the inner softmaxes, one (B,) tensor per attention call
# (ids (B, T), mask (B, T), word embeddings (B, T, E)) -> (B, C) outputs along the path
ForwardFn = Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]
_ELEMENTWISE_ACTIVATIONS = frozenset({nn.functional.gelu, torch.tanh, torch.Tensor.tanh, nn.functional.silu})


class _IdentityRule(torch.autograd.Function):
    """act(x) forward; backward g_in = g_out * act(x) / x, so x * g_in = act(x) * g_out (relevance unchanged).

    `output` and `ratio` come computed without a graph; `x` is an input only so that the gradient reaches it.
    """

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, output: torch.Tensor, ratio: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(ratio)
        return output

    @staticmethod
    def backward(ctx: Any, grad_output: torch.Tensor) -> tuple[torch.Tensor, None, None]:
        (ratio,) = ctx.saved_tensors
        return grad_output * ratio, None, None


def _activation_rule(func: Callable[..., torch.Tensor], args: tuple[Any, ...], kwargs: dict[str, Any]) -> torch.Tensor:
    """The identity rule on an element-wise activation: its output; x's gradient is scaled by act(x) / x (0 at 0)."""
    x = args[0]
    with torch.no_grad():
        output = func(*args, **kwargs)
        ratio = torch.where(x != 0, output / x, 0.0)
    return _IdentityRule.apply(x, output, ratio)


class _ScaledGradient(torch.autograd.Function):
    """Identity forward; the gradient times `factor` (a power of two here, so exact)."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, factor: float) -> torch.Tensor:
        ctx.factor = factor
        return x.view_as(x)

    @staticmethod
    def backward(ctx: Any, grad_output: torch.Tensor) -> tuple[torch.Tensor, None]:
        return grad_output * ctx.factor, None


class _SoftmaxLoss(torch.autograd.Function):
    """Identity on the softmax output s; in backward, records the softmax rule's loss per batch row: the
    relevance of the linearisation's bias, sum_i g_i * s_i * (1 - x_i + sum_j s_j x_j)."""

    @staticmethod
    def forward(ctx: Any, weights: torch.Tensor, bias: torch.Tensor, ledger: Ledger) -> torch.Tensor:
        ctx.save_for_backward(bias)
        ctx.ledger = ledger
        return weights.view_as(weights)

    @staticmethod
    def backward(ctx: Any, grad_output: torch.Tensor) -> tuple[torch.Tensor, None, None]:
        (bias,) = ctx.saved_tensors
        ctx.ledger.append((bias * grad_output).flatten(1).sum(1))  # (B,)
        return grad_output, None, None


class _LayerNormRule(torch.autograd.Function):
    """LayerNorm's own forward; backward as if the normalising factor were a constant: the input's gradient is
    the centred (w * g) / std. Only the input gets a gradient (relevance is read at the input, never at w or b)."""

    @staticmethod
    def forward(
        ctx: Any,
        x: torch.Tensor,
        shape: tuple[int, ...],
        weight: torch.Tensor | None,
        bias: torch.Tensor | None,
        eps: float,
    ) -> torch.Tensor:
        output, _, inverse_std = torch.native_layer_norm(x, shape, weight, bias, eps)  # inverse_std (..., 1)
        ctx.save_for_backward(inverse_std, weight)
        ctx.dims = tuple(range(-len(shape), 0))
        return output

    @staticmethod
    def backward(ctx: Any, grad_output: torch.Tensor) -> tuple[torch.Tensor, None, None, None, None]:
        inverse_std, weight = ctx.saved_tensors
        scaled = (grad_output if weight is None else grad_output * weight) * inverse_std
        return scaled - scaled.mean(dim=ctx.dims, keepdim=True), None, None, None, None


def layer_norm_rule(
    x: torch.Tensor, shape: Any, weight: torch.Tensor | None = None, bias: torch.Tensor | None = None, eps: float = 1e-5
) -> torch.Tensor:
    """LayerNorm with the normalising factor detached: linear in x, the same output."""
    return _LayerNormRule.apply(x, tuple(shape), weight, bias, eps)


def attention_rule(
    query: torch.Tensor,  # (B, H, T, d)
    key: torch.Tensor,  # (B, H, T, d)
    value: torch.Tensor,  # (B, H, T, d)
    attn_mask: torch.Tensor | None = None,
    scale: float | None = None,
    ledger: Ledger | None = None,
) -> torch.Tensor:
    """Scaled dot-product attention under the rules: uniform rule on both matmuls, softmax by gradient x input.

    Both rules are the ordinary gradient, halved at each matmul operand: with upstream g, the uniform rule on A V
    gives V the gradient A^T g / 2 and A the gradient g V^T / 2, which the ordinary softmax backward turns into
    half the scores' ordinary gradient; Q K^T halves it again. So the rules' gradients at Q, K and V are the
    ordinary attention's times 1/4, 1/4 and 1/2, and the fused kernel (`scaled_dot_product_attention`, never
    writing out the (T, T) scores in its backward) computes them. Only with a `ledger` is the attention written
    out, to measure the softmax rule's loss. The additive mask's share, mask * g, is zero: the mask is zero at
    real keys and the softmax gradient is zero at masked ones.
    """
    if ledger is not None:
        return _written_out_attention(query, key, value, attn_mask, scale, ledger)
    return nn.functional.scaled_dot_product_attention(
        _ScaledGradient.apply(query, 0.25),
        _ScaledGradient.apply(key, 0.25),
        _ScaledGradient.apply(value, 0.5),
        attn_mask=attn_mask,
        scale=scale,
    )


def _written_out_attention(
    query: torch.Tensor,  # (B, H, T, d)
    key: torch.Tensor,  # (B, H, T, d)
    value: torch.Tensor,  # (B, H, T, d)
    attn_mask: torch.Tensor | None,
    scale: float | None,
    ledger: Ledger,
) -> torch.Tensor:
    """The rules on the attention written out, the softmax rule's loss per batch row appended to `ledger`."""
    scale = scale if scale is not None else query.shape[-1] ** -0.5
    half_query, half_key = _ScaledGradient.apply(query, 0.5), _ScaledGradient.apply(key, 0.5)
    scores = torch.matmul(half_query, half_key.transpose(-2, -1)) * scale  # (B, H, T, T)
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            attn_mask = torch.zeros(attn_mask.shape, dtype=scores.dtype, device=scores.device).masked_fill(
                ~attn_mask, torch.finfo(scores.dtype).min
            )
        scores = scores + attn_mask
    weights = torch.softmax(scores, dim=-1)  # (B, H, T, T)
    real_scores = torch.where(scores > torch.finfo(scores.dtype).min / 2, scores, 0.0).detach()  # masked: 0
    mixed = (weights.detach() * real_scores).sum(-1, keepdim=True)  # (B, H, T, 1)
    weights = _SoftmaxLoss.apply(weights, weights.detach() * (1 - real_scores + mixed), ledger)
    return torch.matmul(_ScaledGradient.apply(weights, 0.5), _ScaledGradient.apply(value, 0.5))  # (B, H, T, d)


class LRPRules(TorchFunctionMode):
    """While active (in this thread only), LayerNorm, activations and attention follow the AttnLRP rules.

    `ledger`, when given, collects the inner softmaxes' losses (one (B,) tensor per attention call).
    """

    def __init__(self, ledger: Ledger | None = None) -> None:
        super().__init__()
        self.ledger = ledger

    def __torch_function__(
        self, func: Callable[..., Any], types: Any, args: tuple[Any, ...] = (), kwargs: dict[str, Any] | None = None
    ) -> Any:
        kwargs = kwargs or {}
        if func is nn.functional.layer_norm:
            return layer_norm_rule(*args, **kwargs)
        if func in _ELEMENTWISE_ACTIVATIONS:
            return _activation_rule(func, args, kwargs)
        if func is nn.functional.scaled_dot_product_attention:
            return _attention(self.ledger, *args, **kwargs)
        return func(*args, **kwargs)


def _attention(
    ledger: Ledger | None,
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attn_mask: torch.Tensor | None = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    **_: Any,
) -> torch.Tensor:
    assert dropout_p == 0.0 and not is_causal, "LRP explains an encoder in eval mode, without a causal mask"
    return attention_rule(query, key, value, attn_mask, scale, ledger)


def lrp_relevance(
    forward: ForwardFn,
    input_ids: torch.Tensor,  # (B, T)
    attention_mask: torch.Tensor,  # (B, T)
    embeds: torch.Tensor,  # (B, T, E)
    target: int,
    ledger: Ledger | None = None,
) -> torch.Tensor:
    """(B, T) relevance of each token's word embedding for output `target` of each row: one forward, one backward."""
    embeds = embeds.detach().requires_grad_(True)
    with torch.enable_grad(), LRPRules(ledger):
        output = forward(input_ids, attention_mask, embeds)[:, target]  # (B,)
    (gradient,) = torch.autograd.grad(output.sum(), embeds)  # (B, T, E)
    return (embeds * gradient).sum(-1).detach()
