"""The attention program at run time: what each layer is told (`LayerProgram`), the additive bias it puts on the
pre-softmax scores of the heads that run, and the exit head's pooling mask (the grammar: core.path.attention_program;
the token marks the bias reads: core.run.program_marks)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from core.path import DEFAULT_ALPHA, PathSpec
from core.run.program_marks import BLOCK_MARK, EMPHASIS_MARK


@dataclass(frozen=True)
class LayerProgram:
    """What one layer's attention is told: block the marked keys, and/or emphasise in `emphasis_heads`."""

    block: bool
    emphasis_heads: tuple[int, ...] = ()
    alpha: float = DEFAULT_ALPHA


def layer_program(spec: PathSpec, layer: int) -> LayerProgram | None:
    """The program of `layer` on this path (None: attention runs unprogrammed there)."""
    block = spec.block is not None and (spec.block.layers is None or layer in spec.block.layers)
    heads: tuple[int, ...] = ()
    alpha = DEFAULT_ALPHA
    if spec.emphasize is not None:
        chosen = spec.emphasize.heads
        heads = tuple(h for h in spec.active_heads(layer) if chosen is None or (layer, h) in chosen)
        alpha = spec.emphasize.alpha
    if not block and not heads:
        return None
    return LayerProgram(block, heads, alpha)


def programmed_heads(spec: PathSpec) -> dict[int, tuple[int, ...]]:
    """layer -> the running heads whose attention is programmed (every running head of a blocking layer)."""
    result: dict[int, tuple[int, ...]] = {}
    for layer in spec.layers:
        program = layer_program(spec, layer)
        if program is not None:
            result[layer] = spec.active_heads(layer) if program.block else program.emphasis_heads
    return result


def attention_bias(
    program: LayerProgram | None,
    marks: torch.Tensor | None,  # (B or 1, T) integer marks
    active: tuple[int, ...],
    batch_size: int,
    dtype: torch.dtype,
) -> torch.Tensor | None:
    """(B, h_active or 1, 1, T) additive bias on the scores of the heads that run, or None (nothing programmed)."""
    if program is None or marks is None:
        return None
    marks = marks.expand(batch_size, -1)
    bias = torch.zeros(batch_size, 1, 1, marks.shape[1], dtype=dtype, device=marks.device)
    if program.block:
        blocked = (marks & BLOCK_MARK).bool()[:, None, None, :]
        bias = bias.masked_fill(blocked, torch.finfo(dtype).min)
    if program.emphasis_heads:
        scaled = ~(marks & EMPHASIS_MARK).bool()[:, None, None, :]  # (B, 1, 1, T): keys outside the group
        if set(active) - set(program.emphasis_heads):  # only some heads: (B, h_active, 1, T)
            chosen = torch.tensor([h in program.emphasis_heads for h in active], device=marks.device)
            scaled = scaled & chosen[None, :, None, None]
        bias = bias + scaled.to(dtype) * math.log(program.alpha)
    return bias


def pooling_mask(spec: PathSpec, marks: torch.Tensor | None, attention_mask: torch.Tensor) -> torch.Tensor:
    """The exit head's pooling mask (B, T): tokens blocked in every executed layer are left out."""
    if marks is None or spec.block is None or (spec.block.layers is not None and set(spec.layers) - spec.block.layers):
        return attention_mask
    blocked = (marks.expand(attention_mask.shape[0], -1) & BLOCK_MARK).bool()
    return attention_mask.masked_fill(blocked, 0)
