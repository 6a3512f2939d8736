"""Loading a checkpoint: its family, fingerprint, variants, exit heads, the shipped adapter, the attention function."""

from core.model.adapter import (
    ADAPTER_FILE,
    adapter_linear_names,
    apply_adapter,
    round_to_stored_precision,
    save_adapter,
)
from core.model.attention import pathlens_attention
from core.model.calibration import CALIBRATION_KEY
from core.model.cost import Cost, LayerLayout, path_flops
from core.model.exit_heads import META_FILE, ExitHeads, mean_pool, save_heads
from core.model.families import FAMILIES, Family, LayerInputs, family_of, supported_families
from core.model.loading import (
    BUNDLED_HEADS_DIR,
    DEFAULT_WINDOW,
    LoadedModel,
    Prediction,
    Variant,
    bundled_model_dir,
    encoder_fingerprint,
    load_encoder,
    load_model,
    pad_token_id,
)
from core.model.shipped import DEFAULT_MODEL, ModelInfo, catalog, shipped_labels_text
from core.model.tokens import Encoded, encode, encode_ids

__all__ = [
    "ADAPTER_FILE",
    "BUNDLED_HEADS_DIR",
    "CALIBRATION_KEY",
    "DEFAULT_MODEL",
    "DEFAULT_WINDOW",
    "FAMILIES",
    "META_FILE",
    "Cost",
    "Encoded",
    "ExitHeads",
    "Family",
    "LayerInputs",
    "LayerLayout",
    "LoadedModel",
    "ModelInfo",
    "Prediction",
    "Variant",
    "adapter_linear_names",
    "apply_adapter",
    "bundled_model_dir",
    "catalog",
    "encode",
    "encode_ids",
    "encoder_fingerprint",
    "family_of",
    "load_encoder",
    "load_model",
    "mean_pool",
    "pad_token_id",
    "path_flops",
    "pathlens_attention",
    "round_to_stored_precision",
    "save_adapter",
    "save_heads",
    "shipped_labels_text",
    "supported_families",
]
