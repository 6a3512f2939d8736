"""Decoder-only classifiers (`*ForSequenceClassification` of Llama, Qwen2/Qwen3, Mistral): pre-norm layers, causal
masks, rotary positions, grouped-query attention, and the last real token read by the classifier (`score`).

A head that is off is a query head: its attention output is zero before `o_proj`; the key/value head it shares
with other query heads keeps serving them. Off heads are gated in the attention function, not sliced away.
"""

from __future__ import annotations

from typing import Any, ClassVar

import torch
from torch import nn
from transformers.masking_utils import create_causal_mask, create_sliding_window_causal_mask

from core.model.cost import LayerLayout
from core.model.families.base import Family, LayerInputs, last_token_index

SLIDING = "sliding_attention"


class LastTokenClassifier(nn.Module):
    """The checkpoint's `score` over the final norm of each row's last real token: (B, T, D), (B, T) -> (B, C)."""

    def __init__(self, norm: nn.Module, score: nn.Module) -> None:
        super().__init__()
        self.norm = norm
        self.score = score

    def forward(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        rows = torch.arange(hidden.shape[0], device=hidden.device)
        return self.score(self.norm(hidden[rows, last_token_index(attention_mask)]))  # (B, C)


def _layer_types(config: Any) -> tuple[str, ...]:
    types = getattr(config, "layer_types", None)
    if types is not None:
        return tuple(types)[: config.num_hidden_layers]
    sliding = getattr(config, "sliding_window", None) is not None  # Mistral: one window for every layer
    return (SLIDING if sliding else "full_attention",) * config.num_hidden_layers


class DecoderFamily(Family):
    name = "decoder-only"
    model_types = ("llama", "qwen2", "qwen3", "mistral")
    causal = True
    refused: ClassVar[dict[str, str]] = {
        "lrp": "its rules are written for post-norm encoder layers (LayerNorm, bidirectional attention); "
        "use ig, gradient_x_input, saliency, occlusion or attention",
    }

    def layers(self, encoder: nn.Module) -> nn.ModuleList:
        return encoder.layers

    def embed(
        self,
        encoder: nn.Module,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        word_embeds: torch.Tensor | None,
    ) -> torch.Tensor:
        return encoder.embed_tokens(input_ids) if word_embeds is None else word_embeds

    def layer_inputs(self, encoder: nn.Module, hidden: torch.Tensor, attention_mask: torch.Tensor) -> LayerInputs:
        """Causal (and sliding-window) masks, materialised so that the attention function needs no `is_causal`;
        positions 0..T-1 as a plain Hugging Face forward numbers them, with left or right padding alike."""
        config = encoder.config
        types = _layer_types(config)
        position_ids = torch.arange(hidden.shape[1], device=hidden.device)[None]  # (1, T)
        arguments = {
            "config": config,
            "inputs_embeds": hidden,
            "attention_mask": attention_mask,
            "past_key_values": None,
            "position_ids": position_ids,
            "allow_is_causal_skip": False,
        }
        masks: dict[str, torch.Tensor | None] = {}
        if "full_attention" in types:
            masks["full_attention"] = create_causal_mask(**arguments)
        if SLIDING in types:
            masks[SLIDING] = create_sliding_window_causal_mask(**arguments)
        rotary = {"position_embeddings": encoder.rotary_emb(hidden, position_ids), "position_ids": position_ids}
        return LayerInputs(masks, dict.fromkeys(masks, rotary), types)

    def final_norm(self, encoder: nn.Module) -> nn.Module | None:
        return encoder.norm

    def native_reads(self, config: Any, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.pool_weights(attention_mask)  # the last real token

    def native_head(self, classifier: nn.Module) -> nn.Module:
        return LastTokenClassifier(classifier.base_model.norm, classifier.score)

    def layout(self, config: Any) -> LayerLayout:
        heads = int(config.num_attention_heads)
        head_dim = getattr(config, "head_dim", None) or int(config.hidden_size) // heads
        return LayerLayout(kv_heads=int(config.num_key_value_heads), head_dim=head_dim, ffn_matrices=3, prunes=False)


DECODER = DecoderFamily()
