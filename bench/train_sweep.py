"""Issue 28's third round: a seeded sweep of `train-heads --adapt lora` configurations for banking77 and fintweets,
run in parallel processes on one GPU, and the rule that picks what ships. Written and committed before any run.

Run from the project root (the dev splits made by `python -m core split`, README "Shipped models"):
- `python -m bench.train_sweep run --out DIR --device cuda --parallel 8 --deadline-s 300` trains the configurations
  in the order of `CONFIGS` (the most promising first, the two models alternating), each followed by
  `bench.shipped_models` on its dev split; configurations not started by the deadline are skipped and runs still
  going at the deadline are stopped. After every run it rewrites `DIR/summary.json` (every run's figures) and
  `DIR/banking77.tar`, `DIR/fintweets.tar` (the `SHORTLIST` best runs of each model by the rule, as it stands).
- `python -m bench.train_sweep choose --model banking77 FIGURES.json ...` applies the rule to figures written by
  `bench.shipped_models --out` (stage 2: here, on the CPU, with the real encoder; today's artifact among them).
`--smoke` (with `run`) trains on about 300 rows of each split (every label kept) for one epoch: a dry run of the
whole chain.

**The rule.** A run is *eligible* when its dev accuracy at `exit=confidence>=0.9` is at most 1 point below its own
full path, that policy runs at most 3.6 mean layers, and its artifact is at most 5,000,000 bytes. Eligible runs are
ranked by the *key*: dev full-path accuracy for banking77, dev full-path macro-F1 for fintweets; runs within 0.3
points of the best key are tied, and of those the one with fewer mean layers at `confidence>=0.9` wins (then the
earlier in `CONFIGS`). Stage 1, on the GPU (encoder weights rounded to fp16, see bench/RESULTS.md): the `SHORTLIST`
best of each model by the rule come back. Stage 2, here: the shortlisted and today's shipped artifact are measured
with `bench.shipped_models` on the CPU with the real fp32 encoder and the rule picks one; a new artifact ships only
if the rule picks it over today's. If no run is eligible, today's stays.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tarfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SPLITS = ROOT / "build" / "splits"
LABEL_COL = {"banking77": "category", "fintweets": "label"}
LABEL_NAMES = {"fintweets": "bearish,bullish,neutral"}  # banking77's categories name themselves
KEY = {"banking77": "accuracy", "fintweets": "macro_f1"}
POLICY = "exit=confidence>=0.9"
MAX_POLICY_DROP = 0.01  # accuracy at the policy at most 1 point below the full path
MAX_POLICY_LAYERS = 3.6  # what 1.5x the full path's rows/s needs, with room for the exit heads' cost
MAX_ARTIFACT_BYTES = 5_000_000
TIE = 0.003  # 0.3 points
SHORTLIST = 3
ARTIFACT_FILES = ("adapter.safetensors", "heads.safetensors", "heads.json")


@dataclass(frozen=True)
class Config:
    """One training run: `train-heads --adapt lora` with these options on `model`'s train split."""

    name: str
    model: str
    epochs: int
    rank: int
    alpha: float
    lr: float
    loss_weights: str
    class_weights: str = "none"
    seed: int = 0
    hold_out: int = 500

    def args(self) -> list[str]:
        options = ["--epochs", str(self.epochs), "--rank", str(self.rank), "--alpha", f"{self.alpha:g}"]
        options += ["--lr", f"{self.lr:g}", "--loss-weights", self.loss_weights, "--class-weights", self.class_weights]
        return [*options, "--seed", str(self.seed), "--hold-out-sentences", str(self.hold_out)]


LAST3, FIRST2 = "1,1,1,1,1,3", "2,2,1,1,1,1"  # the loss weights of today's banking77 and fintweets artifacts
CONFIGS = (  # priority order; rank <= 48 keeps banking77's artifact under 5 MB (77-label heads: 0.71 MB)
    # today's shipped B runs again, on the GPU: what the GPU and the rounded encoder change
    Config("b77-B-again", "banking77", 10, 16, 16, 2e-3, LAST3),
    Config("fin-B-again", "fintweets", 5, 16, 16, 2e-3, FIRST2, "sqrt"),
    # more capacity (alpha = rank keeps the adapter's scale at 1) and more epochs
    Config("b77-r32-e15", "banking77", 15, 32, 32, 2e-3, LAST3),
    Config("fin-r32-e10-sqrt", "fintweets", 10, 32, 32, 2e-3, FIRST2, "sqrt"),
    Config("b77-r48-e15", "banking77", 15, 48, 48, 2e-3, LAST3),
    Config("fin-r32-e10-balanced", "fintweets", 10, 32, 32, 2e-3, FIRST2, "balanced"),
    Config("b77-r16-e15-lr3e-3", "banking77", 15, 16, 16, 3e-3, LAST3),
    Config("fin-r48-e10-sqrt", "fintweets", 10, 48, 48, 2e-3, FIRST2, "sqrt"),
    Config("b77-r32-e20-lr3e-3", "banking77", 20, 32, 32, 3e-3, LAST3),
    Config("fin-r32-e15-lr1e-3-sqrt-equal", "fintweets", 15, 32, 32, 1e-3, "1,1,1,1,1,1", "sqrt"),
    Config("b77-r32-a64-e15", "banking77", 15, 32, 64, 2e-3, LAST3),
    Config("fin-r32-e8-lr3e-3-sqrt", "fintweets", 8, 32, 32, 3e-3, FIRST2, "sqrt"),
    Config("b77-r48-e20-lr1e-3", "banking77", 20, 48, 48, 1e-3, LAST3),
    Config("fin-r32-e10-sqrt-last3", "fintweets", 10, 32, 32, 2e-3, LAST3, "sqrt"),
    Config("b77-r32-e15-last24", "banking77", 15, 32, 32, 2e-3, "1,1,1,1,2,4"),
    Config("fin-r16-e10-sqrt", "fintweets", 10, 16, 16, 2e-3, FIRST2, "sqrt"),
    Config("b77-r32-e15-seed1", "banking77", 15, 32, 32, 2e-3, LAST3, seed=1),
    Config("fin-r32-a64-e10-sqrt", "fintweets", 10, 32, 64, 2e-3, FIRST2, "sqrt"),
    Config("b77-r32-e15-hold300", "banking77", 15, 32, 32, 2e-3, LAST3, hold_out=300),
    Config("fin-r32-e10-sqrt-seed1", "fintweets", 10, 32, 32, 2e-3, FIRST2, "sqrt", seed=1),
    # the fifth round's two winners say more training rows and a loss weighted to the last exit help: combine them
    Config("fin-r32-e10-sqrt-last3-hold300", "fintweets", 10, 32, 32, 2e-3, LAST3, "sqrt", hold_out=300),
    Config("b77-r32-e15-hold150", "banking77", 15, 32, 32, 2e-3, LAST3, hold_out=150),
    # the shipped configurations with another seed: their own run-to-run noise, and candidates like any other
    Config("fin-r32-e10-sqrt-last3-seed1", "fintweets", 10, 32, 32, 2e-3, LAST3, "sqrt", seed=1),
    Config("b77-r32-e15-hold300-seed1", "banking77", 15, 32, 32, 2e-3, LAST3, seed=1, hold_out=300),
    # rank 48 was started for fintweets in the third round and stopped at its deadline: never measured
    Config("fin-r48-e10-sqrt-last3", "fintweets", 10, 48, 48, 2e-3, LAST3, "sqrt"),
)


def figures_of(report: dict[str, Any], artifact_bytes: int) -> dict[str, Any]:
    """What the rule reads from a `bench.shipped_models` report."""
    deepest = max(report["accuracy_by_depth"], key=int)
    policy = next(p for p in report["exit_sweep"]["policies"] if p["policy"] == POLICY)
    return {
        "accuracy": report["accuracy_by_depth"][deepest],
        "macro_f1": report["macro_f1_by_depth"][deepest],
        "policy_accuracy": policy["accuracy"],
        "policy_layers": policy["mean_layers_run"],
        "artifact_bytes": artifact_bytes,
    }


def eligible(figures: dict[str, Any]) -> bool:
    return (
        figures["policy_accuracy"] >= figures["accuracy"] - MAX_POLICY_DROP - 1e-9
        and figures["policy_layers"] <= MAX_POLICY_LAYERS
        and figures["artifact_bytes"] <= MAX_ARTIFACT_BYTES
    )


def ranked(candidates: dict[str, dict[str, Any]], model: str) -> list[str]:
    """Eligible candidates (name -> figures, in `CONFIGS` order) best first by the rule; ineligible ones left out."""
    key = KEY[model]
    order = [name for name, figures in candidates.items() if eligible(figures)]
    remaining, picked = list(order), []
    while remaining:
        best = max(candidates[name][key] for name in remaining)
        tied = [name for name in remaining if candidates[name][key] >= best - TIE - 1e-9]
        winner = min(tied, key=lambda name: (candidates[name]["policy_layers"], order.index(name)))
        picked.append(winner)
        remaining.remove(winner)
    return picked


def _data(model: str, out: Path, smoke: bool) -> tuple[Path, Path]:
    """(train, dev) CSVs of `model`: the dev splits, or for a smoke run about 300 rows of each with every label."""
    train, dev = SPLITS / model / "train.csv", SPLITS / model / "dev.csv"
    if not smoke:
        return train, dev
    folder = out / "smoke-data" / model
    folder.mkdir(parents=True, exist_ok=True)
    for source in (train, dev):
        frame = pd.read_csv(source, keep_default_na=False)
        per_label = max(2, 300 // frame[LABEL_COL[model]].nunique())
        frame.groupby(LABEL_COL[model]).head(per_label).to_csv(folder / source.name, index=False)
    return folder / "train.csv", folder / "dev.csv"


def _command(config: Config, run_dir: Path, device: str, smoke: bool, data: tuple[Path, Path]) -> str:
    """The shell line of one run: train, then the dev figures of what it wrote."""
    train, dev = data
    label = ["--label-col", LABEL_COL[config.model]]
    names = ["--label-names", LABEL_NAMES[config.model]] if config.model in LABEL_NAMES else []
    options = (replace(config, epochs=1, hold_out=30) if smoke else config).args()
    trainer = [sys.executable, "-m", "core", "train-heads", "--adapt", "lora", "--max-rows", "0", "--device", device]
    trainer += ["--input", str(train), "--dev", str(dev), *label, *names, *options, "--out", str(run_dir)]
    evaluate = [sys.executable, "-m", "bench.shipped_models", "--heads", str(run_dir), "--dev", str(dev), *label]
    evaluate += ["--out", str(run_dir / "dev.json")]
    quoted = [" ".join(f"'{part}'" for part in line) for line in (trainer, evaluate)]
    return f"{quoted[0]} > '{run_dir}/train.json' && {quoted[1]} > /dev/null"


def _write_atomically(path: Path, write: Any) -> None:
    partial = path.with_name(path.name + ".partial")
    write(partial)
    partial.replace(path)


def _publish(out: Path, publish: Path, results: dict[str, dict[str, Any]]) -> None:
    """Into `publish`: summary.json (every run), and per model a tar of its `SHORTLIST` best runs by the rule (if
    fewer are eligible, the best others by the key fill it: they come back for the record, never to ship)."""
    _write_atomically(publish / "summary.json", lambda p: p.write_text(json.dumps(results, indent=2) + "\n"))
    for model in LABEL_COL:
        done = {n: r["figures"] for n, r in results.items() if r["model"] == model and "figures" in r}
        by_key = sorted(done, key=lambda name: -done[name][KEY[model]])  # after the eligible: the rest, for the record
        best = [*ranked(done, model), *(n for n in by_key if not eligible(done[n]))][:SHORTLIST]

        def write(path: Path, best: list[str] = best) -> None:
            with tarfile.open(path, "w") as tar:
                for name in best:
                    for file in (*ARTIFACT_FILES, "train.json", "dev.json"):
                        tar.add(out / "runs" / name / file, arcname=f"{name}/{file}")

        _write_atomically(publish / f"{model}.tar", write)


def run_sweep(
    out: Path, publish: Path, device: str, parallel: int, deadline_s: float, smoke: bool, only: list[str]
) -> None:
    """Run the configurations `parallel` at a time until `deadline_s` seconds have passed; publish after each."""
    started = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    publish.mkdir(parents=True, exist_ok=True)
    (out / "runs").mkdir(exist_ok=True)
    data = {model: _data(model, out, smoke) for model in LABEL_COL}
    queue = [c for c in CONFIGS if not only or c.name in only]
    results: dict[str, dict[str, Any]] = {c.name: {"model": c.model, "config": asdict(c)} for c in queue}
    running: dict[str, tuple[subprocess.Popen[bytes], float]] = {}
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "2"), "HF_HUB_OFFLINE": "1"}
    while queue or running:
        late = time.monotonic() - started > deadline_s
        while queue and len(running) < parallel and not late:
            config = queue.pop(0)
            run_dir = out / "runs" / config.name
            run_dir.mkdir(exist_ok=True)
            line = _command(config, run_dir, device, smoke, data[config.model])
            log = (out / "runs" / f"{config.name}.log").open("wb")
            process = subprocess.Popen(  # its own session: stopping it at the deadline stops its children too
                line, shell=True, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT, start_new_session=True
            )
            running[config.name] = (process, time.monotonic())
            results[config.name]["status"] = "running"
            print(f"{time.monotonic() - started:6.0f} s  start {config.name}", flush=True)
        if late:
            for config in queue:
                results[config.name]["status"] = "not started (deadline)"
            queue.clear()
        for name, (process, began) in list(running.items()):
            if late and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            if process.poll() is None:
                continue
            del running[name]
            result = results[name]
            result["seconds"] = round(time.monotonic() - began, 1)
            run_dir = out / "runs" / name
            if process.returncode == 0 and (run_dir / "dev.json").is_file():
                size = sum((run_dir / f).stat().st_size for f in ARTIFACT_FILES)
                result["figures"] = figures_of(json.loads((run_dir / "dev.json").read_text()), size)
                result["train_report"] = json.loads((run_dir / "train.json").read_text())["report"]
                result["status"] = "done"
            else:
                result["status"] = "stopped at the deadline" if late else f"failed (exit {process.returncode})"
                result["log_tail"] = (out / "runs" / f"{name}.log").read_text(errors="replace")[-1500:]
            print(f"{time.monotonic() - started:6.0f} s  {result['status']:>8} {name} {result.get('figures')}")
            _publish(out, publish, results)
        time.sleep(1)
    _publish(out, publish, results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="train the configurations in parallel, publishing after every run")
    run.add_argument("--out", type=Path, required=True)
    run.add_argument("--publish", type=Path, help="where summary.json and the tars go (default: --out)")
    run.add_argument("--device", default="cuda")
    run.add_argument("--parallel", type=int, default=8)
    run.add_argument("--deadline-s", type=float, default=300.0, help="start nothing after, stop what still runs")
    run.add_argument("--smoke", action="store_true")
    run.add_argument("--only", nargs="*", default=[], help="names of configurations to run (default: all)")
    choose = sub.add_parser("choose", help="apply the rule to bench.shipped_models reports (stage 2)")
    choose.add_argument("--model", choices=sorted(LABEL_COL), required=True)
    choose.add_argument("reports", nargs="+", type=Path, help="bench.shipped_models --out files, beside artifacts")
    args = parser.parse_args()
    if args.command == "run":
        run_sweep(
            args.out, args.publish or args.out, args.device, args.parallel, args.deadline_s, args.smoke, args.only
        )
        return
    candidates = {}
    for path in args.reports:
        report = json.loads(path.read_text())
        shipped = ROOT / "core" / "model" / "artifacts" / f"minilm-{report['artifact']}"
        folder = next(f for f in (shipped, Path(report["artifact"]), path.parent) if (f / ARTIFACT_FILES[0]).is_file())
        candidates[str(report["artifact"])] = figures_of(
            report, sum((folder / f).stat().st_size for f in ARTIFACT_FILES)
        )
    order = ranked(candidates, args.model)
    print(json.dumps({"candidates": candidates, "ranked": order, "chosen": order[0] if order else None}, indent=2))


if __name__ == "__main__":
    main()
