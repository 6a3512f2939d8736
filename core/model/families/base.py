"""What PathLens needs to know of an architecture family, in one place: the `Family` description.

A family says where a checkpoint keeps its embeddings, layers and final norm, how to build what every layer of one
batch needs (masks, rotary position embeddings) once per batch, how to call one layer with the path's kwargs, how
the checkpoint's own classifier pools and classifies, how exit heads pool, what a layer costs in FLOPs, and which
path features it refuses (with the reason). The executor, the loader and the explanations only talk to this.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import torch
from torch import nn

from core.model.cost import LayerLayout


@dataclass(frozen=True)
class LayerInputs:
    """What each layer of one padded batch needs besides its hidden states, built once per batch.

    `masks` and `extra` are keyed by attention type ("full_attention", "sliding_attention"); `layer_types` gives
    each layer's type (None: every layer is "full_attention").
    """

    masks: dict[str, torch.Tensor | None]  # (B, 1, T, T) bool keep-masks, or None when nothing is masked
    extra: dict[str, dict[str, Any]] = field(default_factory=dict)  # e.g. position_embeddings
    layer_types: tuple[str, ...] | None = None

    def attention_type(self, layer: int) -> str:
        return "full_attention" if self.layer_types is None else self.layer_types[layer]

    def mask(self, layer: int) -> torch.Tensor | None:
        return self.masks[self.attention_type(layer)]

    def kwargs(self, layer: int) -> dict[str, Any]:
        return self.extra.get(self.attention_type(layer), {})


class Family:
    """An architecture family. Subclasses override what differs from a post-norm BERT-style encoder."""

    name: str = ""
    model_types: tuple[str, ...] = ()
    causal: bool = False  # decoder-only: exit heads read the last real token, not the mean
    prunes: bool = False  # off heads' weights are sliced away (core.run.pruned) instead of gated in attention
    refused: ClassVar[dict[str, str]] = {}  # feature -> why this family cannot run it

    def layers(self, encoder: nn.Module) -> nn.ModuleList:
        raise NotImplementedError

    def word_embeddings(self, encoder: nn.Module) -> nn.Module:
        return encoder.get_input_embeddings()

    def embed(
        self,
        encoder: nn.Module,
        input_ids: torch.Tensor,  # (B, T)
        attention_mask: torch.Tensor,  # (B, T)
        word_embeds: torch.Tensor | None,  # (B, T, E) replacing the word lookup (attributions), or None
    ) -> torch.Tensor:
        """(B, T, D): the input of layer 0."""
        raise NotImplementedError

    def layer_inputs(self, encoder: nn.Module, hidden: torch.Tensor, attention_mask: torch.Tensor) -> LayerInputs:
        raise NotImplementedError

    def call_layer(
        self, module: nn.Module, layer: int, hidden: torch.Tensor, inputs: LayerInputs, kwargs: dict[str, Any]
    ) -> torch.Tensor:
        """One layer of the model's own code; `kwargs` reach the `pathlens` attention function."""
        return module(hidden, attention_mask=inputs.mask(layer), **inputs.kwargs(layer), **kwargs)

    def final_norm(self, encoder: nn.Module) -> nn.Module | None:
        """The norm a pre-norm model applies after its last layer (exit heads read through it), or None."""
        return None

    def pool_weights(self, attention_mask: torch.Tensor) -> torch.Tensor:
        """(B, T) weights of the tokens an exit head mean-pools: every real token, or the last one (causal)."""
        if not self.causal:
            return attention_mask
        last = last_token_index(attention_mask)  # (B,)
        return torch.zeros_like(attention_mask).scatter(1, last[:, None], 1)

    def native_reads(self, config: Any, attention_mask: torch.Tensor) -> torch.Tensor:
        """(B, T) weights of the tokens the checkpoint's own classifier reads (default: token 0, [CLS])."""
        return torch.zeros_like(attention_mask).index_fill(1, torch.tensor([0], device=attention_mask.device), 1)

    def native_head(self, classifier: nn.Module) -> nn.Module:
        """The checkpoint's own classifier as a module (B, T, D) hidden, (B, T) mask -> (B, C) logits."""
        raise NotImplementedError

    def ffn_size(self, config: Any) -> int:
        """The feed-forward block's inner size (`intermediate_size`; DistilBERT calls it `hidden_dim`)."""
        return int(getattr(config, "intermediate_size", None) or config.hidden_dim)

    def layout(self, config: Any) -> LayerLayout:
        """How one layer spends FLOPs (see `core.model.cost`)."""
        return LayerLayout(prunes=self.prunes)

    def refusal(self, feature: str) -> str | None:
        """A one-line reason why `feature` cannot run on this family, or None."""
        reason = self.refused.get(feature)
        return None if reason is None else f"{feature} is not available for {self.name} models: {reason}"


def last_token_index(attention_mask: torch.Tensor) -> torch.Tensor:
    """(B, T) mask -> (B,) index of each row's rightmost real token (left or right padding alike)."""
    positions = torch.arange(attention_mask.shape[1], device=attention_mask.device)
    return (positions * (attention_mask != 0)).argmax(-1)
