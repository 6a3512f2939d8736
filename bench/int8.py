"""int8 schemes on SST-2 dev with the bundled model (issue 29): accuracy at every depth, agreement with fp32, and
speed against fp32, side by side.

Run from the project root: `HF_HUB_OFFLINE=1 .venv/bin/python -m bench.int8 [--repeats 3] [--threads 1]`.

Schemes: `per-tensor` (every linear, one scale per tensor: the int8 before issue 29), `per-channel` (every linear,
one scale per output channel), `first-layer-fp32` (per channel, the whole first layer in fp32: `precision=int8` of
issue 29's second round) and `shipped` (what `precision=int8` runs: per channel, only the first layer's FFN input
projection in fp32).
Each pass decides all 872 dev sentences on the full path, batches of 64 of similar length, every exit read out; the
schemes' passes alternate `--repeats` times and the median is reported.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import time
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import torch
from torch import nn

from core.audit import gold_indices
from core.model import load_model
from core.model.families import family_of
from core.model.loading import Variant
from core.run import PathEngine
from core.run.runner import run_token_lists

SST2 = Path(__file__).resolve().parents[2] / "shared" / "data" / "sst2"


def quantized(base: Variant, qconfig: Any, keep_first_layer: bool = False) -> Variant:
    """Every linear of the encoder (but the first layer's, with `keep_first_layer`) at dynamic int8 with `qconfig`
    (exit heads and classifier stay fp32)."""
    encoder = copy.deepcopy(base.encoder)
    first = {id(m) for m in family_of(encoder.config).layers(encoder)[0].modules()} if keep_first_layer else set()
    chosen = {n: qconfig for n, m in encoder.named_modules() if isinstance(m, nn.Linear) and id(m) not in first}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        encoder = torch.ao.quantization.quantize_dynamic(encoder, chosen, dtype=torch.qint8)
    return Variant(encoder, base.exit_heads, base.native_head, base.device, torch.float32, "int8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model = load_model()
    engine = PathEngine(model)
    dev = pd.read_csv(SST2 / "dev.csv")
    texts = dev.text.astype(str).tolist()
    gold = torch.tensor([i or 0 for i in gold_indices([str(v) for v in dev.label], model.labels)])
    full = engine.parse("full")
    ids = [engine.prepare(text, full).token_ids for text in texts]
    order = sorted(range(len(ids)), key=lambda row: len(ids[row]))
    restore = torch.empty(len(ids), dtype=torch.long)
    restore[torch.tensor(order)] = torch.arange(len(ids))
    variants = {
        "fp32": (model.base, full),
        "per-tensor": (quantized(model.base, torch.ao.quantization.default_dynamic_qconfig), full),
        "per-channel": (quantized(model.base, torch.ao.quantization.per_channel_dynamic_qconfig), full),
        "first-layer-fp32": (quantized(model.base, torch.ao.quantization.per_channel_dynamic_qconfig, True), full),
        "shipped": (model.variant("cpu", "int8"), full.replace(precision="int8")),
    }

    def one_pass(variant: Variant, spec: Any) -> tuple[torch.Tensor, float]:
        stopped = [spec.stopped_at(position) for position in spec.exit_positions]
        started = time.perf_counter()
        parts = []
        for start in range(0, len(ids), 64):
            batch = [ids[row] for row in order[start : start + 64]]
            run = run_token_lists(variant, stopped, batch, model.window, model.pad_id)
            parts.append(torch.stack(list(run.outputs)))
        return torch.cat(parts, dim=1)[:, restore], time.perf_counter() - started

    logits: dict[str, torch.Tensor] = {}
    seconds: dict[str, list[float]] = {name: [] for name in variants}
    for name, (variant, spec) in variants.items():  # warm-up, and the logits (the same on every repeat)
        logits[name] = one_pass(variant, spec)[0]
    for _ in range(args.repeats):
        for name, (variant, spec) in variants.items():
            seconds[name].append(one_pass(variant, spec)[1])
    fp32 = logits["fp32"][-1].argmax(-1)
    median_fp32 = statistics.median(seconds["fp32"])
    report: dict[str, Any] = {"threads": args.threads, "repeats": args.repeats, "rows": len(ids)}
    for name, table in logits.items():
        median = statistics.median(seconds[name])
        report[name] = {
            "accuracy_by_depth": [round(float((exit_.argmax(-1) == gold).float().mean()), 4) for exit_ in table],
            "agreement_with_fp32": round(float((table[-1].argmax(-1) == fp32).float().mean()), 4),
            "seconds_median": round(median, 2),
            "speed_vs_fp32": round(median_fp32 / median, 3),
        }
    report["load"] = " ".join(f"{v:.2f}" for v in os.getloadavg())
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
