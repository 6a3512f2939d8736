"""SmoothQuant-smoothed int8 linears (Xiao et al. 2023, arXiv:2211.10438) with calibrated activation ranges.

Dynamic int8 takes one activation scale from the whole input tensor, so a LayerNorm output's few huge channels set the
scale of every token of every row, and a row's answer depends on its batch. Smoothing divides a linear's input by
s_j per channel and multiplies the weight's column j by s_j (s_j = max|X_j|^α / max|W_j|^(1−α)): the outliers move
into the weights, whose per-output-channel scales absorb them. The division is a runtime multiply before the
linear (in post-norm models the LayerNorm output also feeds the residual, so it cannot be folded into the norm).

The maxima come from a fixed calibration set, the texts shipped in `sample_data/*.csv`, run through the fp32
encoder without padding: deterministic, offline, and the same for any batch. With `static` the smoothed input's
range over that set also gives each linear one fixed activation scale, so no row depends on its neighbours.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear
from tqdm import tqdm

CALIBRATION_DIR = Path(__file__).resolve().parents[2] / "sample_data"
ALPHA = 0.5  # SmoothQuant's default: the difficulty split evenly between activations and weights
LEVELS = 127  # fbgemm on AVX2 multiplies in int16 pairs: 7-bit activations, as dynamic quantization's reduce_range


@dataclass(frozen=True)
class ChannelRange:
    """A linear's input over the calibration texts, per input channel: lowest and highest value, (D_in,) each."""

    low: torch.Tensor
    high: torch.Tensor

    @property
    def magnitude(self) -> torch.Tensor:
        return torch.maximum(self.low.abs(), self.high.abs())  # (D_in,)


def calibration_texts(directory: Path = CALIBRATION_DIR) -> list[str]:
    """The `text` column of every CSV in `directory` (sorted by name), in file order."""
    import pandas as pd

    texts: list[str] = []
    for path in sorted(directory.glob("*.csv")):
        texts += pd.read_csv(path, keep_default_na=False)["text"].astype(str).tolist()
    assert texts, f"no calibration texts in {directory}"
    return texts


def calibration_token_lists(tokenizer: Any, window: int, texts: Sequence[str] | None = None) -> list[list[int]]:
    """Token ids with specials of the calibration texts, each cut to the model's window."""
    chosen = calibration_texts() if texts is None else texts
    return [tokenizer(text, truncation=True, max_length=window)["input_ids"] for text in chosen]


@dataclass(frozen=True)
class Calibration:
    """What the fp32 encoder's linears saw on the calibration texts, by module name: per-channel input ranges, and a
    sample of input rows (every `SAMPLE_STRIDE`-th token, at most `SAMPLE_ROWS`) to judge quantization error on."""

    ranges: dict[str, ChannelRange]
    samples: dict[str, torch.Tensor]  # (N, D_in) each


SAMPLE_STRIDE, SAMPLE_ROWS = 4, 1024


def calibrate(encoder: nn.Module, token_lists: Sequence[Sequence[int]]) -> Calibration:
    """Input ranges and samples of every `nn.Linear` of the fp32 `encoder` that runs, by module name.

    The texts of one length go together, one forward per length: no padding, so nothing depends on how the texts
    are grouped. Hooks are removed in `finally`.
    """
    ranges: dict[str, tuple[torch.Tensor, torch.Tensor]] = {}
    samples: dict[str, list[torch.Tensor]] = {}

    def record(name: str) -> Any:
        def hook(_module: nn.Module, args: tuple[torch.Tensor, ...]) -> None:
            flat = args[0].detach().float().reshape(-1, args[0].shape[-1])  # (N, D_in)
            low, high = flat.amin(0), flat.amax(0)
            if name in ranges:
                low, high = torch.minimum(low, ranges[name][0]), torch.maximum(high, ranges[name][1])
            ranges[name] = (low, high)
            kept = samples.setdefault(name, [])
            if sum(len(part) for part in kept) < SAMPLE_ROWS:
                kept.append(flat[::SAMPLE_STRIDE].clone())

        return hook

    linears = {name: m for name, m in encoder.named_modules() if isinstance(m, nn.Linear)}
    handles = [module.register_forward_pre_hook(record(name)) for name, module in linears.items()]
    try:
        with torch.inference_mode():
            by_length: dict[int, list[list[int]]] = {}
            for ids in token_lists:
                by_length.setdefault(len(ids), []).append(list(ids))
            for length in sorted(by_length):
                input_ids = torch.tensor(by_length[length], dtype=torch.long)  # (N, T), no padding
                encoder(input_ids=input_ids, attention_mask=torch.ones_like(input_ids))
    finally:
        for handle in handles:
            handle.remove()
    return Calibration(
        {name: ChannelRange(low, high) for name, (low, high) in ranges.items()},
        {name: torch.cat(parts)[:SAMPLE_ROWS] for name, parts in samples.items()},
    )


class SmoothedInt8Linear(nn.Module):
    """y = W x + b with x divided by the smoothing factors per channel, then quantized to int8: by a scale taken
    from the input itself (dynamic), or by one fixed calibrated scale (`activation` = (scale, zero point))."""

    def __init__(self, quantized: DynamicLinear, inverse_factors: torch.Tensor, activation: tuple[float, int] | None):
        super().__init__()
        self.quantized = quantized  # the weights times the factors, int8 with one scale per output channel
        self.register_buffer("inverse_factors", inverse_factors)  # (D_in,)
        self.activation = activation

    @property
    def in_features(self) -> int:
        return self.quantized.in_features

    @property
    def out_features(self) -> int:
        return self.quantized.out_features

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        smoothed = hidden * self.inverse_factors  # (..., D_in)
        if self.activation is None:
            return self.quantized(smoothed)
        scale, zero_point = self.activation
        packed = self.quantized._packed_params._packed_params
        return torch.ops.quantized.linear_with_input_q_dq_qweight_dq_output_fp32(
            smoothed.contiguous(), scale, zero_point, packed
        )

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, static={self.activation is not None}"


def smoothing_factors(magnitude: torch.Tensor, weight: torch.Tensor, alpha: float | None = ALPHA) -> torch.Tensor:
    """s_j = max|X_j|^α / max|W_j|^(1−α) for a (D_out, D_in) weight; 1 where a channel never fired (all 1: None)."""
    if alpha is None:
        return torch.ones_like(magnitude)
    weight_max = weight.detach().abs().amax(0).clamp(min=1e-5)  # (D_in,)
    factors = magnitude.clamp(min=1e-5).pow(alpha) / weight_max.pow(1 - alpha)
    return torch.where(magnitude > 0, factors, torch.ones_like(factors))


def smoothed_linear(
    linear: nn.Linear, channel_range: ChannelRange, static: bool, alpha: float | None = ALPHA
) -> SmoothedInt8Linear:
    """`linear` smoothed by `channel_range` and quantized to int8 (weights per output channel)."""
    factors = smoothing_factors(channel_range.magnitude, linear.weight, alpha)  # (D_in,)
    weight = linear.weight.detach().float() * factors  # (D_out, D_in): column j times s_j
    observer = torch.ao.quantization.default_per_channel_weight_observer()
    observer(weight)
    scales, zero_points = observer.calculate_qparams()
    quantized = DynamicLinear(linear.in_features, linear.out_features, bias_=linear.bias is not None)
    qweight = torch.quantize_per_channel(weight, scales.double(), zero_points.long(), 0, torch.qint8)
    bias = None if linear.bias is None else linear.bias.detach().float()
    quantized.set_weight_bias(qweight, bias)
    activation = None
    if static:
        low = float((channel_range.low / factors).min().clamp(max=0))  # the range holds 0, so zero is exact
        high = float((channel_range.high / factors).max().clamp(min=0))
        scale = max(high - low, 1e-8) / LEVELS
        activation = (scale, min(max(round(-low / scale), 0), LEVELS))
    return SmoothedInt8Linear(quantized, 1 / factors, activation)


def quantize_smoothed(
    encoder: nn.Module,
    ranges: dict[str, ChannelRange],
    keep: frozenset[str] = frozenset(),
    static: bool = False,
    alpha: float | dict[str, float | None] | None = ALPHA,
) -> nn.Module:
    """Every `nn.Linear` of `encoder` (changed in place and returned) as int8: smoothed where `ranges` has it, plain
    dynamic per-channel int8 where it never ran in calibration; the names in `keep` stay fp32."""
    targets = [(name, m) for name, m in encoder.named_modules() if isinstance(m, nn.Linear) and name not in keep]
    with warnings.catch_warnings():  # torch marks its eager quantized tensors deprecated in favour of torchao
        warnings.simplefilter("ignore")
        for name, linear in targets:
            _replace(encoder, name, linear, ranges, static, alpha)
    return encoder


def _replace(
    encoder: nn.Module,
    name: str,
    linear: nn.Linear,
    ranges: dict[str, ChannelRange],
    static: bool,
    alpha: float | dict[str, float | None] | None,
) -> None:
    """Put the int8 form of the linear `name` in its parent's place."""
    parent, _, attribute = name.rpartition(".")
    owner = encoder.get_submodule(parent) if parent else encoder
    if name in ranges:
        chosen = alpha.get(name, ALPHA) if isinstance(alpha, dict) else alpha
        replacement: nn.Module = smoothed_linear(linear, ranges[name], static, chosen)
    else:
        linear.qconfig = torch.ao.quantization.per_channel_dynamic_qconfig
        replacement = DynamicLinear.from_float(linear)
    setattr(owner, attribute, replacement)


ALPHAS: tuple[float | None, ...] = (None, 0.5, 0.75, 0.9, 1.0)  # None: not smoothed


def chosen_alphas(
    encoder: nn.Module, calibration: Calibration, static: bool, alphas: Sequence[float | None] = ALPHAS
) -> dict[str, float | None]:
    """Per linear, the α (or no smoothing) whose int8 output is nearest the fp32 output on the calibration sample
    (mean squared error): a LayerNorm's outlier channels call for smoothing, a GELU's or an attention's do not."""
    linears = dict(encoder.named_modules())
    chosen: dict[str, float | None] = {}
    with torch.inference_mode(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch marks its eager quantized tensors deprecated in favour of torchao
        steps = tqdm(
            calibration.samples.items(), desc="int8: calibrating once", unit="linear", file=sys.stderr, leave=False
        )
        for name, sample in steps:
            linear = linears[name]
            reference = linear(sample)  # (N, D_out)
            errors = [
                float((smoothed_linear(linear, calibration.ranges[name], static, a)(sample) - reference).pow(2).mean())
                for a in alphas
            ]
            chosen[name] = alphas[errors.index(min(errors))]
    return chosen
