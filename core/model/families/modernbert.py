"""ModernBERT: a pre-norm encoder with rotary positions, alternating global and sliding-window (local) attention,
a gated (GeGLU) feed-forward block and a final norm; its classifier pools [CLS] or the mean, then a dense head.

Off heads are gated in the attention function (the fused Wqkv projection is not sliced).
"""

from __future__ import annotations

from typing import Any, ClassVar

import torch
from torch import nn
from transformers.masking_utils import create_bidirectional_mask, create_bidirectional_sliding_window_mask

from core.model.cost import LayerLayout
from core.model.exit_heads import mean_pool
from core.model.families.base import Family, LayerInputs


class _ModernBertClassifier(nn.Module):
    """final norm -> [CLS] or mean pooling -> dense head -> classifier: (B, T, D), (B, T) -> (B, C)."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.norm = model.base_model.final_norm
        self.pooling = model.config.classifier_pooling
        self.head = model.head
        self.classifier = model.classifier

    def forward(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.norm(hidden)
        pooled = hidden[:, 0] if self.pooling == "cls" else mean_pool(hidden, attention_mask)  # (B, D)
        return self.classifier(self.head(pooled))


class ModernBertFamily(Family):
    name = "ModernBERT"
    model_types = ("modernbert",)
    refused: ClassVar[dict[str, str]] = {
        "lrp": "its rules are written for BERT-style layers (no gated feed-forward, no rotary positions); "
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
        if word_embeds is None:
            return encoder.embeddings(input_ids=input_ids)
        return encoder.embeddings(input_ids=None, inputs_embeds=word_embeds)

    def layer_inputs(self, encoder: nn.Module, hidden: torch.Tensor, attention_mask: torch.Tensor) -> LayerInputs:
        config = encoder.config
        arguments = {"config": config, "inputs_embeds": hidden, "attention_mask": attention_mask}
        masks = {
            "full_attention": create_bidirectional_mask(**arguments),
            "sliding_attention": create_bidirectional_sliding_window_mask(**arguments),
        }
        position_ids = torch.arange(hidden.shape[1], device=hidden.device)[None]  # (1, T)
        extra = {
            kind: {"position_embeddings": encoder.rotary_emb(hidden, position_ids, kind)}
            for kind in set(config.layer_types)
        }
        return LayerInputs(masks, extra, tuple(config.layer_types))

    def final_norm(self, encoder: nn.Module) -> nn.Module | None:
        return encoder.final_norm

    def native_reads(self, config: Any, attention_mask: torch.Tensor) -> torch.Tensor:
        return super().native_reads(config, attention_mask) if config.classifier_pooling == "cls" else attention_mask

    def native_head(self, classifier: nn.Module) -> nn.Module:
        return _ModernBertClassifier(classifier)

    def layout(self, config: Any) -> LayerLayout:
        return LayerLayout(ffn_matrices=3, prunes=False)  # Wi: D -> 2·ffn (input and gate), Wo: ffn -> D


MODERNBERT = ModernBertFamily()
