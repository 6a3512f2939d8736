"""DeBERTa-v2 and DeBERTa-v3: disentangled attention (content and relative-position scores), which does not go
through the attention-function registry.

The layer is composed from the checkpoint's own submodules: its `DisentangledSelfAttention` computes every head,
then the off heads' slices of its output are zeroed before the output projection (so an off head contributes
exactly zero, but its attention is still computed and counted), and its own attention probabilities feed the
attention maps. Programmed attention (`block=`, `emphasize=`) needs an additive bias inside the softmax that this
attention has no way in for, and is refused.
"""

from __future__ import annotations

from typing import Any, ClassVar

import torch
from torch import nn

from core.errors import InvalidPathError
from core.model.cost import LayerLayout
from core.model.families.base import Family, LayerInputs

PROGRAMMED = "programmed attention (block=, emphasize=)"


class _PooledClassifier(nn.Module):
    """The checkpoint's ContextPooler (token 0, dense, activation) and classifier: (B, T, D), (B, T) -> (B, C)."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.pooler = model.pooler
        self.classifier = model.classifier

    def forward(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.pooler(hidden))


class DebertaFamily(Family):
    name = "DeBERTa"
    model_types = ("deberta-v2",)
    refused: ClassVar[dict[str, str]] = {
        "lrp": "its rules are written for BERT-style attention, not disentangled attention; "
        "use ig, gradient_x_input, saliency, occlusion or attention",
        PROGRAMMED: "disentangled attention takes no additive bias; decide without block= and emphasize=",
    }

    def layers(self, encoder: nn.Module) -> nn.ModuleList:
        return encoder.encoder.layer

    def embed(
        self,
        encoder: nn.Module,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        word_embeds: torch.Tensor | None,
    ) -> torch.Tensor:
        return encoder.embeddings(input_ids=input_ids, mask=attention_mask, inputs_embeds=word_embeds)

    def layer_inputs(self, encoder: nn.Module, hidden: torch.Tensor, attention_mask: torch.Tensor) -> LayerInputs:
        stack = encoder.encoder
        extra = {
            "relative_pos": stack.get_rel_pos(hidden),
            "rel_embeddings": stack.get_rel_embedding(),
            "input_mask": attention_mask,
            "conv": stack.conv,  # DeBERTa-v2 xlarge/xxlarge: a convolution after layer 0; None in v3
        }
        return LayerInputs({"full_attention": stack.get_attention_mask(attention_mask)}, {"full_attention": extra})

    def call_layer(
        self, module: nn.Module, layer: int, hidden: torch.Tensor, inputs: LayerInputs, kwargs: dict[str, Any]
    ) -> torch.Tensor:
        if kwargs.get("pathlens_attention_bias") is not None:
            raise InvalidPathError(self.refusal(PROGRAMMED) or PROGRAMMED)
        extra = inputs.kwargs(layer)
        attention = module.attention
        sink = kwargs.get("pathlens_attention_sink")
        context, probs = attention.self(
            hidden,
            inputs.mask(layer),
            output_attentions=sink is not None,
            relative_pos=extra["relative_pos"],
            rel_embeddings=extra["rel_embeddings"],
        )  # (B, T, H·d), (B, H, T, T) or None
        active: torch.Tensor | None = kwargs.get("pathlens_active_heads")
        heads = attention.self.num_attention_heads
        if active is not None:
            gate = torch.zeros(heads, dtype=context.dtype, device=context.device).index_fill(0, active, 1.0)
            context = (context.unflatten(-1, (heads, -1)) * gate[:, None]).flatten(-2)  # off heads' slices zeroed
        if sink is not None:
            ran = active if active is not None else torch.arange(heads, device=hidden.device)
            sink(probs.index_select(1, ran), ran)
        attention_output = attention.output(context, hidden)
        output = module.output(module.intermediate(attention_output), attention_output)
        conv = extra["conv"] if layer == 0 else None
        return output if conv is None else conv(hidden, output, extra["input_mask"])

    def native_head(self, classifier: nn.Module) -> nn.Module:
        return _PooledClassifier(classifier)

    def layout(self, config: Any) -> LayerLayout:
        terms = [t for t in (config.pos_att_type or []) if t in ("c2p", "p2c")]
        if not getattr(config, "relative_attention", False):
            return LayerLayout(prunes=False, gated_core=True)
        buckets = getattr(config, "position_buckets", -1)
        span = buckets if buckets > 0 else getattr(config, "max_relative_positions", -1)
        span = span if span > 0 else int(config.max_position_embeddings)
        projections = 2 if getattr(config, "share_att_key", False) else len(terms)  # shared: query and key
        return LayerLayout(
            prunes=False, gated_core=True, relative_rows=2 * span, relative_projections=projections,
            relative_terms=len(terms),
        )  # fmt: skip


DEBERTA = DebertaFamily()
