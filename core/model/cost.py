"""Cost of what a path executed: layers and heads run, FLOPs counted from the executed shapes, time, device."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from core.path import PathSpec, RowExit


@dataclass(frozen=True)
class Cost:
    layers_run: int
    heads_run: int
    flops: int
    latency_ms: float
    device: str
    precision: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def layer_flops(tokens: int, batch: int, hidden: int, ffn: int, heads_active: int, head_dim: int, pruned: bool) -> int:
    """Multiply-adds ×2 of one executed encoder layer on a (batch, tokens) input.

    The attention core (QKᵀ and AV) runs for the active heads only; so do the Q/K/V and output projections when
    the layer is `pruned` (off heads' weights sliced away), else they run for all heads. The feed-forward block
    always runs in full.
    """
    rows = batch * tokens
    projected = heads_active * head_dim if pruned else hidden
    projections = 2 * rows * hidden * projected * 4  # Q, K, V, O
    attention_core = 2 * 2 * batch * heads_active * tokens * tokens * head_dim  # QKᵀ and AV
    feed_forward = 2 * rows * hidden * ffn * 2
    return projections + attention_core + feed_forward


def path_flops(spec: PathSpec, batch: int, tokens: int, hidden: int, ffn: int, num_labels: int) -> int:
    """FLOPs of the executed layers plus the exit head, for a padded (batch, tokens) input."""
    head_dim = hidden // spec.template.num_heads
    pruned = spec.precision != "int8"  # int8 projections cannot be sliced: off heads are gated in attention
    total = sum(
        layer_flops(tokens, batch, hidden, ffn, len(spec.active_heads(layer)), head_dim, pruned)
        for layer in spec.layers
    )
    return total + 2 * batch * hidden * num_labels


def row_exit_flops(spec: PathSpec, row_exit: RowExit, hidden: int, ffn: int, num_labels: int) -> int:
    """FLOPs of one row of an adaptive path: the layers it ran (at the padded length of its batch at each layer,
    one row's share) and every exit head evaluated for it."""
    head_dim = hidden // spec.template.num_heads
    pruned = spec.precision != "int8"
    layers = spec.layers[: row_exit.position + 1]
    total = sum(
        layer_flops(tokens, 1, hidden, ffn, len(spec.active_heads(layer)), head_dim, pruned)
        for layer, tokens in zip(layers, row_exit.layer_tokens, strict=True)
    )
    return total + row_exit.exits_evaluated * 2 * hidden * num_labels
