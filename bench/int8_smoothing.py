"""SmoothQuant-smoothed int8 against the int8 of the third round (issue 29, fourth round): every exit's accuracy and
agreement with fp32 on the advisor's 3,907 search rows and on SST-2 dev, how many decisions change with the batch
composition, and the speed of an audit with exits.

Run from the project root: `HF_HUB_OFFLINE=1 .venv/bin/python -m bench.int8_smoothing [--part accuracy|speed]
[--rows 1744 --slice 436] [--policy "exit=confidence>=0.9,0.8,0.7,0.6"]`.

Schemes (exit heads and classifier fp32 in all): `dynamic` (per-channel dynamic int8, layer 0's FFN input projection
fp32: the third round's `precision=int8`), `smooth` / `smooth-all` (smoothed, dynamic scales; layer 0's FFN input
fp32 / int8 too), `static` / `static-all` (smoothed, one calibrated activation scale per linear), `static-auto` /
`static-auto-all` (the same with each linear's α, or none, chosen by its output error on the calibration texts,
`core.model.smoothing.chosen_alphas`; `static-auto-all` is what `precision=int8` runs), `smooth-free`
(smoothed by a data-free estimate from the LayerNorms, max|X_j| ≈ 4|γ_j| + |β_j|, for the linears a LayerNorm
feeds; the others plain dynamic; BERT layout only). Calibration: `core.model.smoothing` (sample_data texts).

`accuracy`: each scheme decides every row with every exit read out, twice: batches of 64 sorted by length (as the
audit runs), and batches of 64 of a seeded shuffle; `flips` counts, per exit, the rows decided differently by the two.
`speed`: the input repeated to `--rows` rows, audited in slices of `--slice` along the full path (fp32) and
`precision=int8; <policy>` with each scheme installed as the int8 variant, the order rotating from slice to slice.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import torch
from torch import nn

from bench.advisor import held_out_sentences
from bench.exit_policy import repeated
from core.audit import gold_indices, run_audit
from core.model import load_model
from core.model.families import family_of
from core.model.loading import LoadedModel, Variant
from core.model.smoothing import (
    ALPHA,
    ChannelRange,
    calibrate,
    calibration_token_lists,
    chosen_alphas,
    quantize_smoothed,
)
from core.run import PathEngine
from core.run.runner import run_token_lists

SST2 = Path(__file__).resolve().parents[2] / "shared" / "data" / "sst2"


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def first_ffn_input(encoder: nn.Module) -> frozenset[str]:
    """Module names of layer 0's widest linear(s): its FFN input projection(s)."""
    layer = family_of(encoder.config).layers(encoder)[0]
    names = {id(module): name for name, module in encoder.named_modules()}
    linears = [module for module in layer.modules() if isinstance(module, nn.Linear)]
    widest = max(module.out_features for module in linears)
    return frozenset(names[id(module)] for module in linears if module.out_features == widest)


def dynamic_scheme(base: Variant) -> nn.Module:
    """The third round's `precision=int8`: per-channel dynamic int8 but layer 0's FFN input projection."""
    encoder = copy.deepcopy(base.encoder)
    keep = first_ffn_input(encoder)
    spec = {
        n: torch.ao.quantization.per_channel_dynamic_qconfig
        for n, m in encoder.named_modules()
        if isinstance(m, nn.Linear) and n not in keep
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return torch.ao.quantization.quantize_dynamic(encoder, spec, dtype=torch.qint8)


def layer_norm_ranges(encoder: nn.Module) -> dict[str, ChannelRange]:
    """Data-free ranges of the linears a LayerNorm feeds (BERT layout): ±(4|γ| + |β|) per channel."""

    def bound(norm: nn.LayerNorm) -> ChannelRange:
        magnitude = 4 * norm.weight.detach().abs() + norm.bias.detach().abs()
        return ChannelRange(-magnitude, magnitude)

    ranges: dict[str, ChannelRange] = {}
    before = encoder.embeddings.LayerNorm
    for index, layer in enumerate(encoder.encoder.layer):
        prefix = f"encoder.layer.{index}"
        for projection in ("query", "key", "value"):
            ranges[f"{prefix}.attention.self.{projection}"] = bound(before)
        ranges[f"{prefix}.intermediate.dense"] = bound(layer.attention.output.LayerNorm)
        before = layer.output.LayerNorm
    return ranges


def schemes(model: LoadedModel) -> dict[str, Variant]:
    base = model.base
    calibration = calibrate(base.encoder, calibration_token_lists(model.tokenizer, model.window))
    ranges, auto = calibration.ranges, chosen_alphas(base.encoder, calibration, static=True)
    keep = first_ffn_input(base.encoder)

    def smoothed(chosen: dict[str, ChannelRange], kept: frozenset[str], static: bool, alpha: Any = ALPHA) -> nn.Module:
        return quantize_smoothed(copy.deepcopy(base.encoder), chosen, kept, static, alpha)

    encoders = {
        "dynamic": dynamic_scheme(base),
        "smooth": smoothed(ranges, keep, False),
        "smooth-all": smoothed(ranges, frozenset(), False),
        "static": smoothed(ranges, keep, True),
        "static-all": smoothed(ranges, frozenset(), True),
        "smooth-free": smoothed(layer_norm_ranges(base.encoder), keep, False),
        "static-auto": smoothed(ranges, keep, True, auto),
        "static-auto-all": smoothed(ranges, frozenset(), True, auto),
    }
    made = {"fp32": base}
    for name, encoder in encoders.items():
        made[name] = Variant(encoder, base.exit_heads, base.native_head, base.device, torch.float32, "int8")
    return made


def exit_logits(model: LoadedModel, variant: Variant, ids: list[list[int]], order: list[int]) -> torch.Tensor:
    """(exits, rows, C) logits of every exit, the rows run in batches of 64 in `order`, returned in row order."""
    engine = PathEngine(model)
    full = engine.parse("full")
    stopped = [full.stopped_at(position) for position in full.exit_positions]
    parts = []
    for start in range(0, len(order), 64):
        batch = [ids[row] for row in order[start : start + 64]]
        parts.append(torch.stack(list(run_token_lists(variant, stopped, batch, model.window, model.pad_id).outputs)))
    restore = torch.empty(len(order), dtype=torch.long)
    restore[torch.tensor(order)] = torch.arange(len(order))
    return torch.cat(parts, dim=1)[:, restore]


def accuracy_part(model: LoadedModel, variants: dict[str, Variant]) -> dict[str, Any]:
    engine = PathEngine(model)
    full = engine.parse("full")
    with tempfile.TemporaryDirectory(prefix="pathlens-smoothing-") as tmp:
        sets = {"search": pd.read_csv(held_out_sentences(Path(tmp)), keep_default_na=False)}
    sets["dev"] = pd.read_csv(SST2 / "dev.csv", keep_default_na=False)
    report: dict[str, Any] = {}
    for set_name, frame in sets.items():
        texts = frame.text.astype(str).tolist()
        gold = torch.tensor([i or 0 for i in gold_indices([str(v) for v in frame.label], model.labels)])
        ids = [engine.prepare(text, full).token_ids for text in texts]
        by_length = sorted(range(len(ids)), key=lambda row: len(ids[row]))
        shuffled = torch.randperm(len(ids), generator=torch.Generator().manual_seed(0)).tolist()
        reference = exit_logits(model, variants["fp32"], ids, by_length).argmax(-1)  # (exits, rows)
        table: dict[str, Any] = {"rows": len(ids)}
        for name, variant in variants.items():
            sorted_run = exit_logits(model, variant, ids, by_length).argmax(-1)
            shuffled_run = exit_logits(model, variant, ids, shuffled).argmax(-1)
            table[name] = {
                "accuracy_by_depth": [round(100 * float((e == gold).float().mean()), 2) for e in sorted_run],
                "agreement_with_fp32_by_depth": [
                    round(100 * float((e == r).float().mean()), 2) for e, r in zip(sorted_run, reference, strict=True)
                ],
                "flips_by_depth": [int((a != b).sum()) for a, b in zip(sorted_run, shuffled_run, strict=True)],
            }
            print(f"{set_name} {name}: {json.dumps(table[name])}", flush=True)
        report[set_name] = table
    return report


def speed_part(
    model: LoadedModel, variants: dict[str, Variant], rows: int, slice_rows: int, policy: str
) -> dict[str, Any]:
    engine = PathEngine(model)
    frame = repeated(rows)
    names = ["full", *[name for name in variants if name != "fp32"]]
    totals = {name: {"rows": 0, "seconds": 0.0, "correct": 0} for name in names}
    path = f"precision=int8; {policy}"
    with tempfile.TemporaryDirectory(prefix="pathlens-smoothing-") as tmp:
        for number, start in enumerate(range(0, len(frame), slice_rows)):
            part = frame.iloc[start : start + slice_rows]
            rotated = names[number % len(names) :] + names[: number % len(names)]
            for name in rotated:
                if name != "full":
                    model._variants[("cpu", "int8")] = variants[name]
                out = Path(tmp) / "rows.csv"
                result = run_audit(engine, part, "full" if name == "full" else path, against=None, out=out)
                totals[name]["rows"] += result.rows
                totals[name]["seconds"] += result.elapsed_s
                totals[name]["correct"] += int(pd.read_csv(out)["correct"].sum())
            print(f"slice {number + 1}: {start + len(part)} rows, load {load()}", flush=True)
    base = totals["full"]["rows"] / totals["full"]["seconds"]
    return {
        "path": path,
        **{
            name: {
                "rows_per_s": round(t["rows"] / t["seconds"], 1),
                "vs_full": round(t["rows"] / t["seconds"] / base, 3),
                "accuracy_change_points": round(100 * (t["correct"] - totals["full"]["correct"]) / t["rows"], 2),
            }
            for name, t in totals.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=("accuracy", "speed"), default="accuracy")
    parser.add_argument("--schemes", nargs="+", help="only these schemes (default: all)")
    parser.add_argument("--rows", type=int, default=1744)
    parser.add_argument("--slice", type=int, default=436)
    parser.add_argument("--policy", default="exit=confidence>=0.9,0.8,0.7,0.6")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model = load_model()
    variants = schemes(model)
    if args.schemes:
        variants = {name: v for name, v in variants.items() if name == "fp32" or name in args.schemes}
    report: dict[str, Any] = {"part": args.part, "load_before": load(), "threads": args.threads}
    if args.part == "accuracy":
        report |= accuracy_part(model, variants)
    else:
        report |= speed_part(model, variants, args.rows, args.slice, args.policy)
    report["load_after"] = load()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
