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

Without these kwargs it is plain scaled-dot-product attention, so an HF forward of the model is unchanged.
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
    if active is not None:
        query, key, value = (t.index_select(1, active) for t in (query, key, value))  # (B, h_active, T, d)
    scale = scaling if scaling is not None else head_dim**-0.5
    mask = _to_additive(attention_mask, query.dtype)
    bias: torch.Tensor | None = kwargs.get("pathlens_attention_bias")
    if bias is not None:
        mask = bias if mask is None else mask + bias
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
    if active is not None:
        full = context.new_zeros(batch, num_heads, length, head_dim)
        context = full.index_copy(1, active, context)
    return context.transpose(1, 2).contiguous(), weights


def register() -> None:
    """Make `attn_implementation="pathlens"` available (idempotent)."""
    AttentionInterface.register(ATTENTION_NAME, pathlens_attention)
    ALL_MASK_ATTENTION_FUNCTIONS.register(ATTENTION_NAME, sdpa_mask)
