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


@dataclass(frozen=True)
class LayerLayout:
    """How a family's layer spends FLOPs beyond its hidden and feed-forward sizes (defaults: a BERT layer)."""

    kv_heads: int | None = None  # key/value heads (grouped-query attention); None: one per query head
    head_dim: int | None = None  # None: hidden // heads
    ffn_matrices: int = 2  # 3 for gated feed-forward blocks (SwiGLU, GeGLU)
    prunes: bool = True  # off heads' projections are sliced away; else they run and are gated in attention
    gated_core: bool = False  # off heads' attention runs too and is zeroed after (DeBERTa's own attention code)
    relative_rows: int = 0  # relative-position embeddings each layer projects (DeBERTa: 2 × its span)
    relative_projections: int = 0  # D × (H·d) projections of those embeddings (pos_key, pos_query)
    relative_terms: int = 0  # content-to-position and position-to-content scores (c2p, p2c)


BERT_LAYOUT = LayerLayout()


def layer_flops(
    tokens: int,
    batch: int,
    hidden: int,
    ffn: int,
    heads_active: int,
    head_dim: int,
    pruned: bool,
    num_heads: int | None = None,
    layout: LayerLayout = BERT_LAYOUT,
) -> int:
    """Multiply-adds ×2 of one executed layer on a (batch, tokens) input.

    The attention core (QKᵀ and AV) runs for the active heads only; so do the Q/K/V and output projections when
    the layer is `pruned` (off heads' weights sliced away), else they run for all heads (`num_heads` query heads,
    `layout.kv_heads` key/value heads). The feed-forward block always runs in full.
    """
    rows = batch * tokens
    heads = num_heads if num_heads is not None else hidden // head_dim
    query_width = heads_active * head_dim if pruned else heads * head_dim
    kv_width = heads_active * head_dim if pruned else (layout.kv_heads or heads) * head_dim
    projections = 2 * rows * hidden * (2 * query_width + 2 * kv_width)  # Q and O, K and V
    core_heads = heads if layout.gated_core else heads_active
    attention_core = 2 * 2 * batch * core_heads * tokens * tokens * head_dim  # QKᵀ and AV
    feed_forward = 2 * rows * hidden * ffn * layout.ffn_matrices
    relative = 2 * layout.relative_rows * hidden * heads * head_dim * layout.relative_projections
    relative += 2 * batch * heads * tokens * head_dim * layout.relative_rows * layout.relative_terms
    return projections + attention_core + feed_forward + relative


def _layer_costs(spec: PathSpec, hidden: int, layout: LayerLayout) -> tuple[int, int, bool]:
    num_heads = spec.template.num_heads
    head_dim = layout.head_dim or hidden // num_heads
    pruned = layout.prunes and spec.precision != "int8"  # int8 projections cannot be sliced: gated in attention
    return num_heads, head_dim, pruned


def path_flops(
    spec: PathSpec,
    batch: int,
    tokens: int,
    hidden: int,
    ffn: int,
    num_labels: int,
    layout: LayerLayout = BERT_LAYOUT,
) -> int:
    """FLOPs of the executed layers plus the exit head, for a padded (batch, tokens) input."""
    num_heads, head_dim, pruned = _layer_costs(spec, hidden, layout)
    total = sum(
        layer_flops(tokens, batch, hidden, ffn, len(spec.active_heads(layer)), head_dim, pruned, num_heads, layout)
        for layer in spec.layers
    )
    return total + 2 * batch * hidden * num_labels


def row_exit_flops(
    spec: PathSpec, row_exit: RowExit, hidden: int, ffn: int, num_labels: int, layout: LayerLayout = BERT_LAYOUT
) -> int:
    """FLOPs of one row of an adaptive path: the layers it ran (at the padded length of its batch at each layer,
    one row's share) and every exit head evaluated for it."""
    num_heads, head_dim, pruned = _layer_costs(spec, hidden, layout)
    layers = spec.layers[: row_exit.position + 1]
    total = sum(
        layer_flops(tokens, 1, hidden, ffn, len(spec.active_heads(layer)), head_dim, pruned, num_heads, layout)
        for layer, tokens in zip(layers, row_exit.layer_tokens, strict=True)
    )
    return total + row_exit.exits_evaluated * 2 * hidden * num_labels
