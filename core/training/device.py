"""Where training runs: `--device cpu` (the default, as the shipped models' commands were first run), `cuda` or
`auto` (CUDA when present). Features, head fits, calibration and the written artifact stay on the CPU either way."""

from __future__ import annotations

import torch

from core.errors import InputError

TRAINING_DEVICES = ("cpu", "cuda", "auto")


def training_device(name: str) -> torch.device:
    """The torch device `name` (one of `TRAINING_DEVICES`) names here; CUDA that is not present is refused."""
    if name not in TRAINING_DEVICES:
        raise InputError(f"--device {name!r} is not known: give one of {', '.join(TRAINING_DEVICES)}")
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise InputError("--device cuda: no CUDA GPU is visible to torch here: train with --device cpu (or auto)")
    return torch.device(name)
