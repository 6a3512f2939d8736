"""The `pathlens` attention function: head gating and attention-map capture that work the same under any kernel.

transformers 5 ignores `head_mask`, and its sdpa kernel returns no attention weights. Models loaded by PathLens
use this registered attention function instead. Per call, the executor passes (through the layer's `**kwargs`):

- `pathlens_active_heads`: LongTensor of the heads that run; the others are never computed and their output is
  exactly zero before the output projection. None = all heads.
- `pathlens_attention_sink`: a callable receiving the attention probabilities (B, h_active, T, T) of the heads
  that ran, with their indices; when set, the explicit (eager) kernel is used so the weights exist.
- `pathlens_kernel`: "sdpa" (default) or "eager", to prove both give the same gated result.
- `pathlens_attention_bias`: an additive bias (B, h_active or 1, 1, T) on the pre-softmax scores of the heads
  that run: the programmed attention of `core.path.attention_program` (blocked keys, PASTA emphasis).
- `pathlens_head_gate`: (B, H) factors on each head's output, per row (attribution patching, `core.advise`):
  gate 1 leaves the head as it is, 0 switches it off; gradients flow to the gate.

Without these kwargs it is plain scaled-dot-product attention, so an HF forward of the model is unchanged.
With grouped-query attention (fewer key/value heads, decoder families) an active query head reads its shared
key/value head; a causal module given no mask gets the causal one; and under programmed attention a causal row
left with no key to read outputs zero.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn
from transformers import AttentionInterface
from transformers.masking_utils import ALL_MASK_ATTENTION_FUNCTIONS, sdpa_mask

ATTENTION_NAME = "pathlens"
AttentionSink = Callable[[torch.Tensor, torch.Tensor], None]


def _to_additive(mask: torch.Tensor | None, dtype: torch.dtype) -> torch.Tensor | None:
    """Bool keep-mask (B, 1, Tq, Tk) -> additive float mask; float masks pass through."""
    if mask is None or mask.dtype != torch.bool:
        return mask
    return torch.zeros(mask.shape, dtype=dtype, device=mask.device).masked_fill(~mask, torch.finfo(dtype).min)


def _select_heads(
    query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, active: torch.Tensor | None
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The active query heads and, for each, its key/value head: with grouped-query attention (fewer K/V heads)
    query head h reads K/V head h // (H / H_kv), which stays for the other query heads it serves."""
    num_heads, kv_heads = query.shape[1], key.shape[1]
    if active is None and kv_heads == num_heads:
        return query, key, value
    heads = active if active is not None else torch.arange(num_heads, device=query.device)
    kv_index = heads // (num_heads // kv_heads)
    query = query if active is None else query.index_select(1, active)
    return query, key.index_select(1, kv_index), value.index_select(1, kv_index)


def _no_key_left(mask: torch.Tensor) -> torch.Tensor:
    """(B, h, T, 1): query rows whose every key is masked (a causal row whose keys are all blocked), whose output
    is zero rather than an average over masked keys."""
    return (mask <= torch.finfo(mask.dtype).min).all(dim=-1, keepdim=True)


def pathlens_attention(
    module: nn.Module,
    query: torch.Tensor,  # (B, H, T, d)
    key: torch.Tensor,  # (B, H, T, d)
    value: torch.Tensor,  # (B, H, T, d)
    attention_mask: torch.Tensor | None,
    scaling: float | None = None,
    dropout: float = 0.0,
    **kwargs: Any,
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Returns (output (B, T, H, d), weights or None) like every transformers attention function."""
    active: torch.Tensor | None = kwargs.get("pathlens_active_heads")
    sink: AttentionSink | None = kwargs.get("pathlens_attention_sink")
    kernel: str = kwargs.get("pathlens_kernel", "sdpa")
    batch, num_heads, length, head_dim = query.shape
    query, key, value = _select_heads(query, key, value, active)  # (B, h_active, T, d)
    scale = scaling if scaling is not None else head_dim**-0.5
    if attention_mask is None and getattr(module, "is_causal", False) and length > 1:
        attention_mask = torch.ones(length, length, dtype=torch.bool, device=query.device).tril()[None, None]
    mask = _to_additive(attention_mask, query.dtype)
    bias: torch.Tensor | None = kwargs.get("pathlens_attention_bias")
    if bias is not None:
        mask = bias if mask is None else (mask + bias).clamp(min=torch.finfo(query.dtype).min)
    weights = None
    if sink is not None or kernel == "eager":
        scores = torch.matmul(query, key.transpose(2, 3)) * scale  # (B, h, T, T)
        if mask is not None:
            scores = scores + mask
        weights = nn.functional.softmax(scores, dim=-1)
        weights = nn.functional.dropout(weights, p=dropout, training=module.training)
        context = torch.matmul(weights, value)  # (B, h, T, d)
        if sink is not None:
            sink(weights, active if active is not None else torch.arange(num_heads, device=query.device))
    else:
        context = nn.functional.scaled_dot_product_attention(
            query, key, value, attn_mask=mask, dropout_p=dropout if module.training else 0.0, scale=scale
        )
    if bias is not None and getattr(module, "is_causal", False):
        context = context.masked_fill(_no_key_left(mask), 0.0)
    gate: torch.Tensor | None = kwargs.get("pathlens_head_gate")  # (B, H)
    if gate is not None:
        ran = gate if active is None else gate.index_select(1, active)  # (B, h_active)
        context = context * ran[:, :, None, None].to(context.dtype)
    if active is not None:
        full = context.new_zeros(batch, num_heads, length, head_dim)
        context = full.index_copy(1, active, context)
    return context.transpose(1, 2).contiguous(), weights


def register() -> None:
    """Make `attn_implementation="pathlens"` available (idempotent)."""
    AttentionInterface.register(ATTENTION_NAME, pathlens_attention)
    ALL_MASK_ATTENTION_FUNCTIONS.register(ATTENTION_NAME, sdpa_mask)
