"""SmoothQuant-smoothed static int8 (`core.model.smoothing`): batch-independent, nearer fp32, in every family."""

from __future__ import annotations

import copy
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import torch
from torch import nn

from core.model import LoadedModel
from core.model.smoothing import (
    Calibration,
    ChannelRange,
    SmoothedInt8Linear,
    calibrate,
    calibration_texts,
    chosen_alphas,
    quantize_smoothed,
)
from core.run import PathEngine
from core.run.runner import run_token_lists
from tests.conftest import TINY_ARCHITECTURES, TINY_FAMILIES

TEXT = "an utterly delightful and warm-hearted comedy"
NEIGHBOURS = [
    "THE WORST. FILM. EVER!!! 0/10 -- see www.example.com/reviews?id=4111111111111111 for 1,000,000 reasons",
    "a long, slow, meandering tale of two brothers, three wars and a dog, told in flashbacks within flashbacks",
]


def _exit_logits(engine: PathEngine, texts: list[str]) -> torch.Tensor:
    """(exits, rows, C): every exit's logits of `texts` decided together in one batch at int8."""
    model = engine.model
    spec = engine.parse("precision=int8")
    stopped = [spec.stopped_at(position) for position in spec.exit_positions]
    ids = [engine.prepare(text, spec).token_ids for text in texts]
    run = run_token_lists(model.variant("cpu", "int8"), stopped, ids, model.window, model.pad_id)
    return torch.stack(list(run.outputs))


def test_int8_decides_a_row_alike_whatever_shares_its_batch(bundled_engine: PathEngine) -> None:
    """Dynamic int8 took its activation scale from the whole batch: these neighbours moved the row's logits by up to
    0.08. With calibrated static scales only float rounding remains (5e-7)."""
    alone = _exit_logits(bundled_engine, [TEXT])[:, 0]
    crowded = _exit_logits(bundled_engine, [TEXT, *NEIGHBOURS])[:, 0]
    torch.testing.assert_close(crowded, alone, atol=1e-4, rtol=0)


def test_smoothing_brings_an_outlier_channel_nearer_fp32_than_dynamic_int8() -> None:
    """A LayerNorm-like input with one channel 60× the rest: dynamic int8's one scale for the whole tensor wastes its
    levels on that channel; smoothing moves it into the weight, whose per-row scales absorb it."""
    torch.manual_seed(0)
    linear = nn.Linear(64, 32)
    inputs = torch.randn(512, 64)
    inputs[:, 5] *= 60
    encoder = nn.Sequential(linear)
    calibration = Calibration({"0": ChannelRange(inputs.amin(0), inputs.amax(0))}, {"0": inputs[::4]})
    alphas = chosen_alphas(encoder, calibration, static=True)
    assert alphas["0"] is not None  # smoothing chosen for this input
    smoothed = quantize_smoothed(copy.deepcopy(encoder), calibration.ranges, static=True, alpha=alphas)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dynamic = torch.ao.quantization.quantize_dynamic(
            copy.deepcopy(encoder), {nn.Linear: torch.ao.quantization.per_channel_dynamic_qconfig}, dtype=torch.qint8
        )
    with torch.no_grad():
        reference = linear(inputs)
        smoothed_error = (smoothed(inputs) - reference).pow(2).mean()
        dynamic_error = (dynamic(inputs) - reference).pow(2).mean()
    assert isinstance(smoothed[0], SmoothedInt8Linear)
    assert smoothed_error < dynamic_error / 4


def test_calibration_removes_its_hooks_when_a_forward_fails(bundled_model: LoadedModel) -> None:
    encoder = bundled_model.base.encoder
    with pytest.raises(IndexError):
        calibrate(encoder, [[101, 10**7, 102]])  # an id past the vocabulary
    assert not any(m._forward_pre_hooks for m in encoder.modules() if isinstance(m, nn.Linear))


def test_the_calibration_texts_ship_with_the_project() -> None:
    texts = calibration_texts()
    assert len(texts) >= 100 and len(set(texts)) == len(texts)


@pytest.mark.parametrize("kind", [kind for kind in TINY_ARCHITECTURES + TINY_FAMILIES if kind != "gpt2"])
def test_every_family_quantizes_and_stays_batch_independent(
    kind: str, with_heads: Callable[[str], LoadedModel]
) -> None:
    """Every linear of every layer becomes smoothed static int8 (GPT-2 refuses int8: its Conv1D layers), and every
    exit decides a row alike alone or beside others."""
    engine = PathEngine(with_heads(kind))
    variant = engine.model.variant("cpu", "int8")
    in_layers = [m for layer in variant.layers for m in layer.modules()]
    assert not any(type(m) is nn.Linear for m in in_layers)
    quantized = [m for m in in_layers if isinstance(m, SmoothedInt8Linear)]
    assert quantized and all(m.activation is not None for m in quantized)
    alone = _exit_logits(engine, [TEXT])[:, 0]
    crowded = _exit_logits(engine, [TEXT, *NEIGHBOURS])[:, 0]
    torch.testing.assert_close(crowded, alone, atol=1e-4, rtol=0)


def test_building_the_int8_modules_is_no_part_of_a_decisions_latency_or_an_audits_rate(
    tiny_checkpoint: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """int8 calibrates once per model (seconds on this CPU): the first int8 decision and audit must not report it as
    their own cost (a reviewer saw 19 s of latency and 0.5 rows/s)."""
    from core.audit import run_audit
    from core.model import load_model, loading

    build = loading._make_variant

    def slow_build(*args: object, **kwargs: object) -> object:
        time.sleep(1.5)
        return build(*args, **kwargs)

    monkeypatch.setattr(loading, "_make_variant", slow_build)
    engine = PathEngine(load_model(tiny_checkpoint("bert")))
    assert engine.decide(TEXT, engine.parse("precision=int8")).cost.latency_ms < 1500
    engine = PathEngine(load_model(tiny_checkpoint("bert")))
    frame = pd.DataFrame({"text": [TEXT] * 8})
    assert run_audit(engine, frame, "precision=int8", against=None).rows_per_s > 8 / 1.5
