"""The BERT family: BERT, RoBERTa, DistilBERT, ELECTRA, MiniLM (post-norm encoders, absolute positions)."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn
from transformers.masking_utils import create_bidirectional_mask

from core.model.families.base import Family, LayerInputs


class _NativeClassifier(nn.Module):
    """The checkpoint's own classifier over the last layer's hidden states (B, T, D) -> (B, C)."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model_type = model.config.model_type
        self.pooler = getattr(model.base_model, "pooler", None)
        self.pre_classifier = getattr(model, "pre_classifier", None)
        self.classifier = model.classifier

    def forward(self, hidden: torch.Tensor, attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        if self.model_type == "bert" and self.pooler is not None:
            return self.classifier(self.pooler(hidden))
        if self.pre_classifier is not None:  # DistilBERT
            return self.classifier(torch.relu(self.pre_classifier(hidden[:, 0])))
        return self.classifier(hidden)  # RoBERTa / ELECTRA heads read token 0 themselves


class BertFamily(Family):
    name = "BERT"
    model_types = ("bert", "roberta", "xlm-roberta", "camembert", "distilbert", "electra")
    prunes = True

    def layers(self, encoder: nn.Module) -> nn.ModuleList:
        if hasattr(encoder, "transformer"):  # DistilBERT
            return encoder.transformer.layer
        return encoder.encoder.layer

    def word_embeddings(self, encoder: nn.Module) -> nn.Module:
        return encoder.embeddings.word_embeddings

    def embed(
        self,
        encoder: nn.Module,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        word_embeds: torch.Tensor | None,
    ) -> torch.Tensor:
        """Embeddings plus ELECTRA's projection; positions and token types follow the ids."""
        if word_embeds is None:
            hidden = encoder.embeddings(input_ids=input_ids)
        elif encoder.config.model_type == "distilbert":  # DistilBERT ignores inputs_embeds when given ids
            hidden = encoder.embeddings(input_ids=None, inputs_embeds=word_embeds)
        else:
            hidden = encoder.embeddings(input_ids=input_ids, inputs_embeds=word_embeds)
        project = getattr(encoder, "embeddings_project", None)
        return project(hidden) if project is not None else hidden

    def layer_inputs(self, encoder: nn.Module, hidden: torch.Tensor, attention_mask: torch.Tensor) -> LayerInputs:
        mask = create_bidirectional_mask(config=encoder.config, inputs_embeds=hidden, attention_mask=attention_mask)
        return LayerInputs({"full_attention": mask})

    def call_layer(
        self, module: nn.Module, layer: int, hidden: torch.Tensor, inputs: LayerInputs, kwargs: dict[str, Any]
    ) -> torch.Tensor:
        return module(hidden, inputs.masks["full_attention"], **kwargs)  # DistilBERT names the mask differently

    def native_head(self, classifier: nn.Module) -> nn.Module:
        return _NativeClassifier(classifier)


BERT = BertFamily()
