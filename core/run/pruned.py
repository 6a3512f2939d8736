"""An encoder layer with some heads off, computing only the heads that are on.

Slicing the Q/K/V weight rows and the output projection's columns of the active heads makes an off head cost
nothing: its projections, attention and output are never computed, so its contribution is exactly zero and the
saved FLOPs are real. The attention core is the registered `pathlens` function, so capture and kernels are shared.
Layers whose projections are not plain `nn.Linear` (int8 quantization) cannot be sliced; the executor
gates those inside the attention function instead (`can_prune`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

from core.model import pathlens_attention


@dataclass(frozen=True)
class _LayerParts:
    """The pieces of one encoder layer, named alike across BERT-family architectures."""

    attention: nn.Module  # the module the attention function receives
    query: nn.Linear
    key: nn.Linear
    value: nn.Linear
    output: nn.Linear
    after_attention: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]  # (projected, residual) -> (B, T, D)
    feed_forward: Callable[[torch.Tensor], torch.Tensor]  # (B, T, D) -> (B, T, D)


def _parts(layer: nn.Module) -> _LayerParts:
    attention = layer.attention
    if hasattr(attention, "q_lin"):  # DistilBERT TransformerBlock
        return _LayerParts(
            attention,
            attention.q_lin,
            attention.k_lin,
            attention.v_lin,
            attention.out_lin,
            lambda projected, residual: layer.sa_layer_norm(projected + residual),
            lambda hidden: layer.output_layer_norm(layer.ffn(hidden) + hidden),
        )
    self_attention, self_output = attention.self, attention.output  # BERT, RoBERTa, ELECTRA
    return _LayerParts(
        self_attention,
        self_attention.query,
        self_attention.key,
        self_attention.value,
        self_output.dense,
        lambda projected, residual: self_output.LayerNorm(self_output.dropout(projected) + residual),
        layer.feed_forward_chunk,
    )


def can_prune(layer: nn.Module) -> bool:
    parts = _parts(layer)
    return all(type(lin) is nn.Linear for lin in (parts.query, parts.key, parts.value, parts.output))


def run_pruned_layer(
    layer: nn.Module,
    active: tuple[int, ...],
    num_heads: int,
    hidden: torch.Tensor,  # (B, T, D)
    mask: torch.Tensor | None,
    kernel: str,
    sink: Callable[[torch.Tensor, torch.Tensor], None] | None,
    bias: torch.Tensor | None = None,
    gate: torch.Tensor | None = None,
) -> torch.Tensor:
    """The layer with only `active` heads; returns (B, T, D). `bias`: programmed attention of the active heads;
    `gate`: (B, H) factors on every head's output (attribution patching)."""
    parts = _parts(layer)
    if not active:
        return skip_attention(layer, hidden)
    batch, length, width = hidden.shape
    head_dim = width // num_heads
    heads = torch.tensor(active, dtype=torch.long, device=hidden.device)
    rows = (heads[:, None] * head_dim + torch.arange(head_dim, device=hidden.device)).reshape(-1)  # (h_a * d,)

    def project(linear: nn.Linear) -> torch.Tensor:
        weight, bias = linear.weight.index_select(0, rows), linear.bias.index_select(0, rows)
        return nn.functional.linear(hidden, weight, bias).view(batch, length, len(active), head_dim).transpose(1, 2)

    query, key, value = project(parts.query), project(parts.key), project(parts.value)  # (B, h_a, T, d)
    remap = None if sink is None else (lambda weights, _local: sink(weights, heads))
    context, _ = pathlens_attention(
        parts.attention,
        query,
        key,
        value,
        mask,
        scaling=head_dim**-0.5,
        pathlens_kernel=kernel,
        pathlens_attention_sink=remap,
        pathlens_attention_bias=bias,
        pathlens_head_gate=None if gate is None else gate.index_select(1, heads),
    )  # (B, T, h_a, d)
    context = context.reshape(batch, length, len(active) * head_dim)
    projected = nn.functional.linear(context, parts.output.weight.index_select(1, rows), parts.output.bias)
    return parts.feed_forward(parts.after_attention(projected, hidden))


def skip_attention(layer: nn.Module, hidden: torch.Tensor) -> torch.Tensor:
    """A layer with every head off: no Q/K/V, no attention; the output projection of zero is its bias alone.

    (B, T, D) -> (B, T, D). Works for sliced (`nn.Linear`) and int8 (quantized) projections alike: the
    projection runs once on a single zero vector, broadcast over the batch.
    """
    parts = _parts(layer)
    projected = parts.output(hidden.new_zeros(1, 1, hidden.shape[-1]))  # (1, 1, D): the bias
    return parts.feed_forward(parts.after_attention(projected, hidden))
