"""Per-exit temperatures recorded in an exit-heads artifact (temperature scaling, Guo et al. 2017).

`heads.json` may hold `calibration: {"method": "temperature", "temperatures": [T_0, ..., T_{L-1}], ...}`; exit
`l`'s logits are divided by `T_l`, so its softmax is a calibrated probability and its argmax is unchanged. An
artifact without `calibration` (every artifact written before it existed) loads with every temperature 1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import torch

from core.errors import ModelLoadError

CALIBRATION_KEY = "calibration"


def read_temperatures(meta: Mapping[str, Any], num_layers: int, artifact_dir: Path) -> torch.Tensor:
    """(L,) temperatures from an artifact's metadata (ones when it has none); raise `ModelLoadError` if malformed."""
    calibration = meta.get(CALIBRATION_KEY)
    if calibration is None:
        return torch.ones(num_layers)
    values = calibration.get("temperatures") if isinstance(calibration, Mapping) else None
    if (
        not isinstance(values, list)
        or len(values) != num_layers
        or not all(isinstance(t, int | float) and math.isfinite(t) and t > 0 for t in values)
    ):
        raise ModelLoadError(
            f"exit-heads artifact {artifact_dir} has a malformed calibration (need {num_layers} positive "
            "temperatures, one per exit): recalibrate it with `python -m core train-heads --refit DIR`"
        )
    return torch.tensor([float(t) for t in values])


def is_calibrated(temperature: torch.Tensor) -> bool:
    """Whether any exit's temperature differs from 1 (an uncalibrated artifact keeps its old fingerprint)."""
    return bool((temperature != 1).any())
