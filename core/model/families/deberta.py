"""DeBERTa-v2 and DeBERTa-v3: disentangled attention (content and relative-position scores), which does not go
through the attention-function registry.

The layer is composed from the checkpoint's own submodules: its `DisentangledSelfAttention` computes every head,
then the off heads' slices of its output are zeroed before the output projection (so an off head contributes
exactly zero, but its attention is still computed and counted), and its own attention probabilities feed the
attention maps. Programmed attention (`block=`, `emphasize=`) needs an additive bias inside the softmax, which that
module has no way in for: a layer with a program runs `programmed_attention`, the module's forward written out
with the bias added to the scores (the same projections, relative-position terms and scaling).
"""

from __future__ import annotations

from typing import Any, ClassVar

import torch
from torch import nn
from transformers.models.deberta_v2.modeling_deberta_v2 import scaled_size_sqrt

from core.model.cost import LayerLayout
from core.model.families.base import Family, LayerInputs


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
        extra = inputs.kwargs(layer)
        attention = module.attention
        sink = kwargs.get("pathlens_attention_sink")
        active: torch.Tensor | None = kwargs.get("pathlens_active_heads")
        heads = attention.self.num_attention_heads
        bias: torch.Tensor | None = kwargs.get("pathlens_attention_bias")  # (B, h_active or 1, 1, T)
        if bias is None:
            context, probs = attention.self(
                hidden,
                inputs.mask(layer),
                output_attentions=sink is not None,
                relative_pos=extra["relative_pos"],
                rel_embeddings=extra["rel_embeddings"],
            )  # (B, T, H·d), (B, H, T, T) or None
        else:
            if active is not None and bias.shape[1] > 1:  # the bias covers the heads that run; every head runs here
                bias = bias.new_zeros(bias.shape[0], heads, *bias.shape[2:]).index_copy(1, active, bias)
            context, probs = programmed_attention(
                attention.self, hidden, inputs.mask(layer), extra["relative_pos"], extra["rel_embeddings"], bias
            )
        if active is not None:
            gate = torch.zeros(heads, dtype=context.dtype, device=context.device).index_fill(0, active, 1.0)
            context = (context.unflatten(-1, (heads, -1)) * gate[:, None]).flatten(-2)  # off heads' slices zeroed
        head_gate: torch.Tensor | None = kwargs.get("pathlens_head_gate")  # (B, H): attribution patching
        if head_gate is not None:
            context = (context.unflatten(-1, (heads, -1)) * head_gate[:, None, :, None].to(context.dtype)).flatten(-2)
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


def programmed_attention(
    attention: nn.Module,  # the checkpoint's DisentangledSelfAttention
    hidden: torch.Tensor,  # (B, T, D)
    mask: torch.Tensor,  # (B, 1, T, T) keep-mask
    relative_pos: torch.Tensor | None,
    rel_embeddings: torch.Tensor | None,
    bias: torch.Tensor,  # (B, H or 1, 1, T) additive, on the pre-softmax scores
) -> tuple[torch.Tensor, torch.Tensor]:
    """`DisentangledSelfAttention.forward` with `bias` added to the scores: (B, T, H·d) context, (B, H, T, T) weights.

    The bias is added before the padding mask fills its keys, so a row stays finite even when a program blocks
    every real key of it.
    """
    heads = attention.num_attention_heads
    query = attention.transpose_for_scores(attention.query_proj(hidden), heads)  # (B·H, T, d)
    key = attention.transpose_for_scores(attention.key_proj(hidden), heads)
    value = attention.transpose_for_scores(attention.value_proj(hidden), heads)
    scale_factor = 1 + sum(term in attention.pos_att_type for term in ("c2p", "p2c"))
    scores = torch.bmm(query, key.transpose(-1, -2) / scaled_size_sqrt(query, scale_factor).to(dtype=query.dtype))
    if attention.relative_attention:
        relative = attention.pos_dropout(rel_embeddings)
        scores = scores + attention.disentangled_attention_bias(query, key, relative_pos, relative, scale_factor)
    scores = scores.view(-1, heads, *scores.shape[-2:]) + bias  # (B, H, T, T)
    scores = scores.masked_fill(~mask.bool(), torch.finfo(query.dtype).min)
    probs = attention.dropout(torch.softmax(scores, dim=-1))
    context = torch.bmm(probs.view(-1, *probs.shape[-2:]), value)  # (B·H, T, d)
    return context.view(-1, heads, *context.shape[-2:]).permute(0, 2, 1, 3).flatten(-2), probs


DEBERTA = DebertaFamily()
