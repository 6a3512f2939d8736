"""Audit throughput of an exit policy against the full path, with the accuracy of both, side by side in one run.

Run from the project root:
`HF_HUB_OFFLINE=1 .venv/bin/python -m bench.exit_policy [--rows 8000] [--policy "exit=confidence>=0.9"]
[--model banking77 --input build/splits/banking77/dev.csv --label-col category]`.
The input (default ../shared/data/sst2/dev.csv) is repeated to `--rows` rows. The rows are audited in slices of
`--slice` rows; each slice is audited along both paths one after the other (the order alternating from slice to
slice), so a loaded machine slows both alike; the median of the per-slice ratios is reported beside the ratio of
the totals. Rows/s counts the audits' own elapsed time (reading, tokenizing,
scoring, writing the per-row CSV), the model and each path's precision variant built once beforehand.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

import pandas as pd
import torch

from core.audit import run_audit
from core.model import load_model
from core.run import PathEngine

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "sst2" / "dev.csv"


def repeated(rows: int, source: Path = DEV, label_col: str = "label") -> pd.DataFrame:
    dev = pd.read_csv(source, keep_default_na=False).rename(columns={label_col: "label"})[["text", "label"]]
    return pd.concat([dev] * (rows // len(dev) + 1), ignore_index=True).iloc[:rows]


def audit_both(engine: PathEngine, frame: pd.DataFrame, paths: list[str], slice_rows: int, batch_size: int) -> dict:
    """Per path: rows, seconds, correct, mean layers run and FLOPs, summed over the alternating slices."""
    totals = {path: {"rows": 0, "seconds": 0.0, "correct": 0, "layers": 0, "flops": 0, "slices": []} for path in paths}
    with tempfile.TemporaryDirectory(prefix="pathlens-bench-") as tmp:
        for number, start in enumerate(range(0, len(frame), slice_rows)):
            part = frame.iloc[start : start + slice_rows]
            for path in paths if number % 2 == 0 else paths[::-1]:
                out = Path(tmp) / f"{number}-{paths.index(path)}.csv"
                result = run_audit(engine, part, path, against=None, out=out, batch_size=batch_size)
                rows = pd.read_csv(out)
                total = totals[path]
                total["rows"] += result.rows
                total["seconds"] += result.elapsed_s
                total["correct"] += int(rows["correct"].sum())
                total["layers"] += int(rows["layers_run"].sum())
                total["flops"] += int(rows["flops"].sum())
                total["slices"].append(result.rows / result.elapsed_s)
            print(f"slice {number + 1}: {start + len(part)} rows", flush=True)
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=8000)
    parser.add_argument("--slice", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1 is fastest on a loaded machine)")
    parser.add_argument("--policy", default="exit=confidence>=0.9")
    parser.add_argument("--model", help="a shipped name or a checkpoint folder (default: PATHLENS_MODEL or sst2)")
    parser.add_argument("--input", type=Path, default=DEV, help="labelled CSV to repeat (default: SST-2 dev)")
    parser.add_argument("--label-col", default="label")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    engine = PathEngine(load_model(args.model))
    paths = ["full", args.policy]
    for path in paths:  # each precision's variant is built (int8: calibrated) on first use: part of loading, not timed
        spec = engine.parse(path)
        engine.model.variant(spec.device, spec.precision)
    totals = audit_both(engine, repeated(args.rows, args.input, args.label_col), paths, args.slice, args.batch_size)
    report = {
        path: {
            "rows": t["rows"],
            "rows_per_s": round(t["rows"] / t["seconds"], 2),
            "accuracy": round(t["correct"] / t["rows"], 4),
            "mean_layers_run": round(t["layers"] / t["rows"], 3),
            "mflops_per_row": round(t["flops"] / t["rows"] / 1e6, 1),
        }
        for path, t in totals.items()
    }
    full, policy = report["full"], report[args.policy]
    report["speedup_rows_per_s"] = round(policy["rows_per_s"] / full["rows_per_s"], 3)
    ratios = [p / f for p, f in zip(totals[args.policy]["slices"], totals["full"]["slices"], strict=True)]
    report["speedup_per_slice"] = {
        "median": round(statistics.median(ratios), 3),
        "min": round(min(ratios), 3),
        "max": round(max(ratios), 3),
    }
    report["accuracy_change_points"] = round((policy["accuracy"] - full["accuracy"]) * 100, 2)
    report["compute_saved"] = round(1 - policy["mflops_per_row"] / full["mflops_per_row"], 4)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
