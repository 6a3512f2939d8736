"""GPT-2 classifiers (`GPT2ForSequenceClassification`): pre-norm decoder layers with learned absolute positions,
fused `Conv1D` projections, a causal mask, a final norm (`ln_f`) and the last real token read by `score`.

Off heads are gated in the attention function. int8 is refused: PathLens quantizes `nn.Linear` only,
so GPT-2's `Conv1D` layers would silently stay in fp32; so is `train-heads --adapt lora`, which adapts `nn.Linear`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import torch
from torch import nn
from transformers.masking_utils import create_causal_mask

from core.model.cost import LayerLayout
from core.model.families.base import Family, LayerInputs
from core.model.families.decoder import LastTokenClassifier


class Gpt2Family(Family):
    name = "GPT-2"
    model_types = ("gpt2",)
    causal = True
    refused: ClassVar[dict[str, str]] = {
        "lrp": "its rules are written for post-norm encoder layers; use ig, gradient_x_input, saliency, occlusion "
        "or attention",
        "int8": "int8 quantizes nn.Linear only and GPT-2's Conv1D layers would stay fp32; use fp32, bf16 or fp16",
        "lora": "the adapter targets nn.Linear layers and GPT-2's are Conv1D; train heads on the frozen model "
        "(train-heads without --adapt)",
    }

    def layers(self, encoder: nn.Module) -> nn.ModuleList:
        return encoder.h

    def embed(
        self,
        encoder: nn.Module,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        word_embeds: torch.Tensor | None,
    ) -> torch.Tensor:
        words = encoder.wte(input_ids) if word_embeds is None else word_embeds
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)[None]  # (1, T) as a plain forward
        return encoder.drop(words + encoder.wpe(positions))

    def layer_inputs(self, encoder: nn.Module, hidden: torch.Tensor, attention_mask: torch.Tensor) -> LayerInputs:
        mask = create_causal_mask(
            config=encoder.config,
            inputs_embeds=hidden,
            attention_mask=attention_mask,
            past_key_values=None,
            allow_is_causal_skip=False,
        )
        return LayerInputs({"full_attention": mask})

    def final_norm(self, encoder: nn.Module) -> nn.Module | None:
        return encoder.ln_f

    def native_reads(self, config: Any, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.pool_weights(attention_mask)  # the last real token

    def native_head(self, classifier: nn.Module) -> nn.Module:
        return LastTokenClassifier(classifier.base_model.ln_f, classifier.score)

    def ffn_size(self, config: Any) -> int:
        return int(config.n_inner or 4 * config.n_embd)

    def layout(self, config: Any) -> LayerLayout:
        return LayerLayout(prunes=False)


GPT2 = Gpt2Family()
