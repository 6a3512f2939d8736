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
    """act(x) forward; backward g_in = g_out * act(x) / x, so x * g_in = act(x) * g_out (relevance unchanged)."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, output: torch.Tensor) -> torch.Tensor:
        safe = torch.where(x == 0, torch.ones_like(x), x)
        ctx.save_for_backward(torch.where(x.abs() > 1e-12, output / safe, torch.zeros_like(x)))
        return output

    @staticmethod
    def backward(ctx: Any, grad_output: torch.Tensor) -> tuple[torch.Tensor, None]:
        (ratio,) = ctx.saved_tensors
        return grad_output * ratio, None


class _HalfGradient(torch.autograd.Function):
    """Identity forward; halves the gradient (the uniform rule's share for one operand of a product)."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor) -> torch.Tensor:
        return x.view_as(x)

    @staticmethod
    def backward(ctx: Any, grad_output: torch.Tensor) -> torch.Tensor:
        return grad_output / 2


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


def layer_norm_rule(
    x: torch.Tensor, shape: Any, weight: torch.Tensor | None = None, bias: torch.Tensor | None = None, eps: float = 1e-5
) -> torch.Tensor:
    """LayerNorm with the normalising factor detached: linear in x, the same output."""
    dims = tuple(range(-len(tuple(shape)), 0))
    centred = x - x.mean(dim=dims, keepdim=True)
    std = torch.sqrt(x.var(dim=dims, keepdim=True, unbiased=False) + eps).detach()
    out = centred / std
    if weight is not None:
        out = out * weight
    return out + bias if bias is not None else out


def attention_rule(
    query: torch.Tensor,  # (B, H, T, d)
    key: torch.Tensor,  # (B, H, T, d)
    value: torch.Tensor,  # (B, H, T, d)
    attn_mask: torch.Tensor | None = None,
    scale: float | None = None,
    ledger: Ledger | None = None,
) -> torch.Tensor:
    """Scaled dot-product attention written out: uniform rule on both matmuls, softmax by gradient x input.

    The additive mask's share, mask * g, is zero: the mask is zero at real keys and the softmax gradient is
    zero at masked ones.
    """
    scale = scale if scale is not None else query.shape[-1] ** -0.5
    scores = torch.matmul(_HalfGradient.apply(query), _HalfGradient.apply(key).transpose(-2, -1)) * scale  # (B,H,T,T)
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            attn_mask = torch.zeros(attn_mask.shape, dtype=scores.dtype, device=scores.device).masked_fill(
                ~attn_mask, torch.finfo(scores.dtype).min
            )
        scores = scores + attn_mask
    weights = torch.softmax(scores, dim=-1)  # (B, H, T, T)
    if ledger is not None:
        real_scores = torch.where(scores > torch.finfo(scores.dtype).min / 2, scores, 0.0).detach()  # masked: 0
        mixed = (weights.detach() * real_scores).sum(-1, keepdim=True)  # (B, H, T, 1)
        weights = _SoftmaxLoss.apply(weights, weights.detach() * (1 - real_scores + mixed), ledger)
    return torch.matmul(_HalfGradient.apply(weights), _HalfGradient.apply(value))  # (B, H, T, d)


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
            return _IdentityRule.apply(args[0], func(*args, **kwargs).detach())
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
