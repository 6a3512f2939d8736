"""LoRA adapters shipped with an exit-heads artifact: saved as plain low-rank factors, merged into the encoder at load.

`adapter.safetensors` holds, for every adapted linear `NAME` of the encoder, `NAME.lora_A` (r, in) and
`NAME.lora_B` (out, r), stored in fp16: half the bytes, and training rounds the factors to fp16 before it calibrates
and evaluates, so every figure in `heads.json` describes the stored weights. `heads.json` holds
`adapter: {method, rank, alpha, target_modules}`. Loading merges
`W += (alpha / rank) · B @ A` into each linear, so every path feature runs on plain modules, unchanged.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file
from torch import nn

from core.errors import ModelLoadError

ADAPTER_FILE = "adapter.safetensors"
ADAPTER_DTYPE = torch.float16
NO_ADAPTER = "none"


def adapter_linear_names(encoder: nn.Module, layers: nn.ModuleList) -> list[str]:
    """Names (in `encoder`) of every linear inside its layers: attention Q/K/V/output and feed-forward."""
    inside = {id(module) for module in layers.modules()}
    return [name for name, module in encoder.named_modules() if isinstance(module, nn.Linear) and id(module) in inside]


def round_to_stored_precision(factors: Mapping[str, torch.Tensor]) -> None:
    """Round trained fp32 factors in place to what `save_adapter` keeps: the model measured is the one shipped."""
    with torch.no_grad():
        for tensor in factors.values():
            tensor.copy_(tensor.to(ADAPTER_DTYPE))


def save_adapter(factors: Mapping[str, torch.Tensor], out_dir: Path) -> None:
    """Write `{NAME.lora_A, NAME.lora_B}` factors as `ADAPTER_DTYPE` to `out_dir/adapter.safetensors`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    state = {name: tensor.detach().to(ADAPTER_DTYPE).cpu().contiguous() for name, tensor in factors.items()}
    save_file(state, str(out_dir / ADAPTER_FILE))


def adapter_fingerprint(config: Mapping[str, Any], factors: Mapping[str, torch.Tensor]) -> str:
    """Hash of the adapter's config and every factor."""
    digest = hashlib.sha256(json.dumps(dict(config), sort_keys=True).encode())
    for name, tensor in sorted(factors.items()):
        digest.update(name.encode() + tensor.float().contiguous().numpy().tobytes())
    return digest.hexdigest()[:16]


def apply_adapter(encoder: nn.Module, heads_path: Path | None, meta: Mapping[str, Any]) -> str:
    """Merge the artifact's LoRA adapter (if any) into `encoder` in place; return its fingerprint (or 'none')."""
    config = meta.get("adapter")
    if heads_path is None or config is None:
        return NO_ADAPTER
    adapter_path = heads_path / ADAPTER_FILE
    try:
        factors = load_file(str(adapter_path))
        scale = float(config["alpha"]) / int(config["rank"])
        targets = list(config["target_modules"])
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise ModelLoadError(
            f"adapter in {heads_path} is missing or corrupt ({type(exc).__name__}: {exc}): "
            "retrain it with `python -m core train-heads --adapt lora`"
        ) from None
    modules = dict(encoder.named_modules())
    updates: list[tuple[nn.Linear, torch.Tensor]] = []
    for name in targets:
        linear = modules.get(name)
        down, up = factors.get(f"{name}.lora_A"), factors.get(f"{name}.lora_B")  # (r, in), (out, r)
        if not isinstance(linear, nn.Linear) or down is None or up is None:
            raise ModelLoadError(
                f"adapter in {heads_path} targets {name!r}, which this encoder lacks or the adapter file does not "
                "hold: the adapter belongs to another encoder; retrain it with `train-heads --adapt lora`"
            )
        if (up.shape[0], down.shape[1]) != tuple(linear.weight.shape):
            raise ModelLoadError(
                f"adapter factor shapes for {name!r} ({tuple(up.shape)} @ {tuple(down.shape)}) do not fit the "
                f"encoder's weight {tuple(linear.weight.shape)}: retrain it with `train-heads --adapt lora`"
            )
        updates.append((linear, scale * (up.float() @ down.float())))  # fp16 on disk, fp32 sums
    with torch.no_grad():
        for linear, delta in updates:
            linear.weight.add_(delta.to(linear.weight.dtype))
    return adapter_fingerprint(config, factors)
