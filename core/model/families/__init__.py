"""Architecture families: one `Family` description per module, resolved from `config.model_type`."""

from typing import Any

from core.errors import ModelLoadError
from core.model.families.base import Family, LayerInputs, last_token_index
from core.model.families.bert import BERT
from core.model.families.deberta import DEBERTA
from core.model.families.decoder import DECODER
from core.model.families.gpt2 import GPT2
from core.model.families.modernbert import MODERNBERT

FAMILIES: tuple[Family, ...] = (BERT, MODERNBERT, DEBERTA, DECODER, GPT2)
_BY_MODEL_TYPE = {model_type: family for family in FAMILIES for model_type in family.model_types}


def supported_families() -> str:
    """'BERT (bert, roberta, ...); ModernBERT (modernbert); ...' for messages and the README."""
    return "; ".join(f"{family.name} ({', '.join(family.model_types)})" for family in FAMILIES)


def family_of(config: Any) -> Family:
    """The family of a checkpoint's config; `ModelLoadError` naming the model type and what is supported."""
    model_type = str(getattr(config, "model_type", ""))
    family = _BY_MODEL_TYPE.get(model_type)
    if family is None:
        raise ModelLoadError(f"model type {model_type!r} is not supported: PathLens runs {supported_families()}")
    return family


__all__ = ["FAMILIES", "Family", "LayerInputs", "family_of", "last_token_index", "supported_families"]
