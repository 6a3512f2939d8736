"""The path advisor (issue 29): attribution patching against true ablation, heads off in bulk, the advisor's
recommendation on sentences it did not search on, and its run time on 5,000 rows.

Run from the project root: `HF_HUB_OFFLINE=1 .venv/bin/python -m bench.advisor --part PART` with PART one of

- `importance`: head importance of 50 SST-2 dev sentences by attribution patching (`--steps`, default 1) against true
  ablation (each head switched off by the executor, the sentence decided again): Spearman over all (sentence, head)
  pairs and per sentence, and its time against one decision (`engine.decide`), the two alternating per sentence.
- `heads`: audit rows/s on dev of the full path, half the heads off (the least sensitive), and two layers with every
  head off, alternating slices as in `bench/exit_policy.py`.
- `advise`: `advise` searching on the shipped exit heads' 1,000 held-out SST-2 sentences and their phrases of 10
  words or more (3,907 rows drawn from `train_full.csv` with the artifact's seed, none trained on) and measuring on
  dev (872 sentences), budget `loss<=0.5`; then the recommended path and the full path audited again on dev, side by
  side.
- `timing`: `python -m core advise` on `train_5k_balanced.csv` (5,000 rows, half searched, half held out) as a
  subprocess: wall time, peak memory, and the machine's load before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd
import torch

from bench.exit_policy import audit_both
from core.advise.budget import Budget
from core.advise.importance import ablation, head_importance, spearman
from core.advise.search import advise
from core.advise.sensitivity import expected_sensitivity
from core.audit import gold_indices
from core.model import load_model
from core.run import PathEngine
from core.training.holdout import hold_out_sentences, sub_phrase_rows

ROOT = Path(__file__).resolve().parents[1]
SST2 = ROOT.parent / "shared" / "data" / "sst2"
HELD_OUT_SENTENCES, HELD_OUT_SEED = 1000, 1  # the shipped artifact's (heads.json, report.config)


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def importance_part(engine: PathEngine, steps: int, sentences: int) -> dict[str, Any]:
    texts = pd.read_csv(SST2 / "dev.csv").text.astype(str).tolist()[:sentences]
    spec = engine.parse("full")
    for text in texts[:3]:  # warm up both
        head_importance(engine, text, spec, steps)
        engine.decide(text, spec)
    estimated, true, per_sentence, layer_rho, ratios = [], [], [], [], []
    decide_s = importance_s = 0.0
    for text in texts:
        started = time.perf_counter()
        engine.decide(text, spec)
        decided = time.perf_counter()
        weights = head_importance(engine, text, spec, steps)
        weighed = time.perf_counter()
        decide_s, importance_s = decide_s + decided - started, importance_s + weighed - decided
        ratios.append((weighed - decided) / (decided - started))
        truth = ablation(engine, text, spec)
        mine = [weights.heads[layer][head] for layer, head in truth.heads]
        estimated += mine
        true += list(truth.heads.values())
        per_sentence.append(spearman(mine, list(truth.heads.values())))
        layer_rho.append(spearman([weights.layers[layer] for layer in truth.layers], list(truth.layers.values())))
    return {
        "sentences": len(texts),
        "steps": steps,
        "spearman_all_pairs": round(spearman(estimated, true), 4),
        "spearman_per_sentence": {
            "mean": round(statistics.mean(per_sentence), 4),
            "median": round(statistics.median(per_sentence), 4),
            "min": round(min(per_sentence), 4),
        },
        "layers_spearman_per_sentence_mean": round(statistics.mean(layer_rho), 4),
        "decide_ms": round(1000 * decide_s / len(texts), 2),
        "importance_ms": round(1000 * importance_s / len(texts), 2),
        "cost_vs_decision": {
            "ratio_of_totals": round(importance_s / decide_s, 3),
            "median": round(statistics.median(ratios), 3),
        },
    }


def heads_part(engine: PathEngine, rows: int) -> dict[str, Any]:
    dev = pd.read_csv(SST2 / "dev.csv")
    frame = pd.concat([dev] * (rows // len(dev) + 1), ignore_index=True).iloc[:rows]
    full = engine.parse("full")
    gold = [i or 0 for i in gold_indices([str(v) for v in dev.label], engine.model.labels)]
    batches = [(dev.text[i : i + 64].tolist(), gold[i : i + 64]) for i in range(0, 256, 64)]
    order = expected_sensitivity(engine, batches, full).head_order(full)
    half = full.replace(heads_off=frozenset(order[: len(order) // 2]))
    two_layers = engine.parse("heads_off=2.*,4.*")
    paths = ["full", half.canonical, two_layers.canonical]
    totals = audit_both(engine, frame, paths, slice_rows=max(rows // 4, 1), batch_size=64)
    base = totals["full"]["rows"] / totals["full"]["seconds"]
    return {
        path: {
            "rows_per_s": round(t["rows"] / t["seconds"], 1),
            "speedup": round(t["rows"] / t["seconds"] / base, 3),
            "accuracy": round(t["correct"] / t["rows"], 4),
            "mflops_per_row": round(t["flops"] / t["rows"] / 1e6, 2),
        }
        for path, t in totals.items()
    }


def held_out_sentences(directory: Path) -> Path:
    """The shipped model's 1,000 held-out SST-2 training sentences and every phrase of them with at least 10 words
    (3,907 rows): none was trained on (`core.training.holdout`)."""
    table = pd.read_csv(SST2 / "train_full.csv", keep_default_na=False)
    texts = table.text.astype(str).tolist()
    holdout = hold_out_sentences(texts, HELD_OUT_SENTENCES, HELD_OUT_SEED)
    phrases = [row for row in sorted(sub_phrase_rows(texts, holdout.sentence_rows)) if len(texts[row].split()) >= 10]
    out = directory / "sst2_heldout_sentences.csv"
    table.iloc[holdout.sentence_rows + phrases].to_csv(out, index=False)
    return out


def advise_part(engine: PathEngine, budget: str, seed: int, recheck_rows: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="pathlens-advisor-") as tmp:
        search = pd.read_csv(held_out_sentences(Path(tmp)), keep_default_na=False)
    dev = pd.read_csv(SST2 / "dev.csv")
    gold = [i or 0 for i in gold_indices([str(v) for v in search.label], engine.model.labels)]
    started = time.perf_counter()
    result = advise(engine, search, dev, gold, budget=Budget.parse(budget), seed=seed).to_json()
    seconds = time.perf_counter() - started
    recommended = result["recommended"]["path"]
    frame = pd.concat([dev] * (recheck_rows // len(dev) + 1), ignore_index=True).iloc[:recheck_rows]
    totals = audit_both(engine, frame, ["full", recommended], slice_rows=len(dev), batch_size=64)
    full, rec = totals["full"], totals[recommended]
    recheck = {
        "rows": rec["rows"],
        "speedup": round((rec["rows"] / rec["seconds"]) / (full["rows"] / full["seconds"]), 3),
        "accuracy_change_points": round((rec["correct"] - full["correct"]) / rec["rows"] * 100, 2),
    }
    return {"advice": result, "seconds": round(seconds, 1), "recheck_on_dev": recheck}


def timing_part(rows_file: Path) -> dict[str, Any]:
    before = load()
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "core", "advise", "--input", str(rows_file), "--label-col", "label"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(completed.stderr[-2000:])
    advice = json.loads(completed.stdout)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "rows": sum(advice["rows"][k] for k in ("search", "held_out")),
        "seconds": round(seconds, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),  # under load, a bound on a quiet run's work
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "load_before": before,
        "load_after": load(),
        "recommended": advice["recommended"],
        "full": advice["full"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", required=True, choices=("importance", "heads", "advise", "timing"))
    parser.add_argument("--steps", type=int, default=1)
    parser.add_argument("--sentences", type=int, default=50)
    parser.add_argument("--rows", type=int, default=2000, help="heads: audited rows per path")
    parser.add_argument("--budget", default="loss<=0.5")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--recheck-rows", type=int, default=1744, help="advise: dev rows audited again per path")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1 is fastest on a loaded machine)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    report: dict[str, Any] = {"part": args.part, "load_before": load(), "threads": args.threads}
    if args.part == "timing":
        report |= timing_part(SST2 / "train_5k_balanced.csv")
    else:
        engine = PathEngine(load_model())
        if args.part == "importance":
            report |= importance_part(engine, args.steps, args.sentences)
        elif args.part == "heads":
            report |= heads_part(engine, args.rows)
        else:
            report |= advise_part(engine, args.budget, args.seed, args.recheck_rows)
    report["load_after"] = load()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
