"""Exit heads: one linear classifier per layer over the pooled hidden states, and their artifact.

Pooling is a mean over the tokens the model's family pools (`Family.pool_weights`): every real token for encoders,
the last real token for decoders.

An artifact directory holds `heads.safetensors` (weight (L, C, D), bias (L, C)) and `heads.json` (labels, the
encoder it was trained on, the training report, optionally per-exit temperatures under `calibration`, see
`core.model.calibration`). Optionally `adapter.safetensors` (see `core.model.adapter`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file
from torch import nn

from core.errors import ModelLoadError
from core.model.calibration import read_temperatures

HEADS_FILE = "heads.safetensors"
META_FILE = "heads.json"


def mean_pool(hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """(B, T, D), (B, T) -> (B, D): mean over real tokens, as all-MiniLM-L6-v2 was trained."""
    weights = attention_mask.unsqueeze(-1).to(hidden.dtype)  # (B, T, 1)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)


class ExitHeads(nn.Module):
    """Per-layer logistic heads: logits_l = (W_l · mean_pool(h_l) + b_l) / T_l.

    T_l (`temperature`, 1 unless the artifact is calibrated) rescales the logits so that the softmax is a
    calibrated probability; it never changes the argmax.
    """

    def __init__(self, num_layers: int, hidden_size: int, num_labels: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(num_layers, num_labels, hidden_size))  # (L, C, D)
        self.bias = nn.Parameter(torch.zeros(num_layers, num_labels))  # (L, C)
        self.register_buffer("temperature", torch.ones(num_layers), persistent=False)  # (L,)

    def forward(self, layer: int, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """(B, T, D) hidden states of `layer` -> (B, C) logits."""
        pooled = mean_pool(hidden, attention_mask)
        logits = pooled @ self.weight[layer].to(pooled.dtype).T + self.bias[layer].to(pooled.dtype)
        return logits / self.temperature[layer].to(pooled.dtype)


def save_heads(heads: ExitHeads, out_dir: Path, meta: dict[str, Any]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    state = {"weight": heads.weight.detach().float().contiguous(), "bias": heads.bias.detach().float().contiguous()}
    save_file(state, str(out_dir / HEADS_FILE))
    (out_dir / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")


def load_heads(artifact_dir: Path, num_layers: int, hidden_size: int) -> tuple[ExitHeads, dict[str, Any]]:
    """Load and check an artifact against the encoder's shape; raise `ModelLoadError` with what to do."""
    heads_path, meta_path = artifact_dir / HEADS_FILE, artifact_dir / META_FILE
    if not heads_path.is_file() or not meta_path.is_file():
        raise ModelLoadError(
            f"no exit-heads artifact in {artifact_dir} (need {HEADS_FILE} and {META_FILE}): "
            "train one with `python -m core train-heads --input CSV --out DIR`"
        )
    try:
        meta = json.loads(meta_path.read_text())
        state = load_file(str(heads_path))
        weight, bias = state["weight"], state["bias"]
    except (OSError, ValueError, KeyError, RuntimeError, SafetensorError) as exc:
        raise ModelLoadError(
            f"exit-heads artifact {artifact_dir} is corrupt ({exc}): retrain it with train-heads"
        ) from None
    if weight.shape[0] != num_layers or weight.shape[2] != hidden_size:
        raise ModelLoadError(
            f"exit heads in {artifact_dir} were trained for {weight.shape[0]} layers × {weight.shape[2]} hidden, "
            f"but the encoder has {num_layers} × {hidden_size}: train heads for this encoder with train-heads"
        )
    heads = ExitHeads(num_layers, hidden_size, weight.shape[1])
    with torch.no_grad():
        heads.weight.copy_(weight)
        heads.bias.copy_(bias)
        heads.temperature.copy_(read_temperatures(meta, num_layers, artifact_dir))
    heads.eval()
    return heads, meta
