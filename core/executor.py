"""The executor: run exactly the layers and heads of a path, as a plain loop over the chosen layers.

Nothing is installed on the shared model: head gates and attention capture travel as per-call kwargs into the
registered `pathlens` attention function (see `core.attention`), so a failed run leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import torch
from transformers.masking_utils import create_bidirectional_mask

from core.model import Variant
from core.paths import PathSpec

# (layer, attention probabilities (B, h_active, T, T), active head indices)
LayerAttentionSink = Callable[[int, torch.Tensor, torch.Tensor], None]
# (variant, layer, hidden (B, T, D), attention mask (B, T)) -> what to read out at an exit
Readout = Callable[[Variant, int, torch.Tensor, torch.Tensor], torch.Tensor]


@dataclass(frozen=True)
class Batch:
    """Token ids and mask of a padded batch, on the variant's device."""

    input_ids: torch.Tensor  # (B, T)
    attention_mask: torch.Tensor  # (B, T)


def embed(variant: Variant, input_ids: torch.Tensor) -> torch.Tensor:
    """(B, T) ids -> (B, T, D) input of layer 0 (embeddings, plus ELECTRA's projection)."""
    hidden = variant.embeddings(input_ids=input_ids)
    project = getattr(variant.encoder, "embeddings_project", None)
    return project(hidden) if project is not None else hidden


def exit_logits(variant: Variant, layer: int, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """The decision at `layer`: the checkpoint's own classifier at the last layer, else the exit head."""
    last = len(variant.layers) - 1
    if variant.native_head is not None and (layer == last or variant.exit_heads is None):
        return variant.native_head(hidden)
    assert variant.exit_heads is not None, f"layer {layer} has no exit head"
    return variant.exit_heads(layer, hidden, attention_mask)


def run_layers(
    variant: Variant,
    batch: Batch,
    spec: PathSpec,
    exits: Iterable[int] | None = None,
    attention_sink: LayerAttentionSink | None = None,
    kernel: str = "sdpa",
    readout: Readout = exit_logits,
) -> dict[int, torch.Tensor]:
    """Run the path's layers in order; return the readout ((B, C) logits by default) at each exit position.

    `exits` are positions in `spec.layers` after which to read out (default: only the last), so all depths of
    a path come out of one pass; layers after the last exit are never entered. Gradients flow if enabled.
    """
    positions = sorted(set(exits)) if exits is not None else [len(spec.layers) - 1]
    hidden = embed(variant, batch.input_ids)  # (B, T, D)
    mask = create_bidirectional_mask(
        config=variant.encoder.config, inputs_embeds=hidden, attention_mask=batch.attention_mask
    )
    num_heads = spec.template.num_heads
    results: dict[int, torch.Tensor] = {}
    for position, layer in enumerate(spec.layers[: positions[-1] + 1]):
        kwargs: dict[str, object] = {"pathlens_kernel": kernel}
        active = spec.active_heads(layer)
        if len(active) < num_heads:
            kwargs["pathlens_active_heads"] = torch.tensor(active, dtype=torch.long, device=hidden.device)
        if attention_sink is not None:
            kwargs["pathlens_attention_sink"] = _bind(attention_sink, layer)
        hidden = variant.layers[layer](hidden, mask, **kwargs)  # (B, T, D)
        if position in positions:
            results[position] = readout(variant, layer, hidden, batch.attention_mask)
    return results


def _bind(sink: LayerAttentionSink, layer: int) -> Callable[[torch.Tensor, torch.Tensor], None]:
    return lambda weights, heads: sink(layer, weights, heads)


def path_logits(
    variant: Variant,
    batch: Batch,
    spec: PathSpec,
    attention_sink: LayerAttentionSink | None = None,
    kernel: str = "sdpa",
) -> torch.Tensor:
    """(B, C) logits of the path's exit."""
    return run_layers(variant, batch, spec, attention_sink=attention_sink, kernel=kernel)[len(spec.layers) - 1]
