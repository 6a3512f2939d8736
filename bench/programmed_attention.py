"""Cost of programmed attention: a decision's time with `block=` / `emphasize=` vs the same path without, one run.

Rounds interleave the contenders (order rotated) so machine noise falls on all alike; the figure is the ratio of
medians, of wall time and of process CPU time (less sensitive to a shared machine's scheduling).

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.programmed_attention [--rounds 200]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from core.model import load_model
from core.path import custom_group
from core.run import PathEngine

TEXTS = [
    "I wanted to love it, but it is boring, and the second half is not bad but far too long.",
    "The plot drags, but the lead performance is quietly devastating and worth the ticket.",
    "A warm, funny film that knows exactly when to stop; not bad at all for a debut.",
]
PATHS = {
    "plain": "full",
    "block": "block=phrase",
    "emphasize": "emphasize=phrase",
    "block + emphasize (some heads)": "block=phrase@0-2; emphasize=phrase@3.*,4.*:0.05",
    "plain depth=3": "depth=3",
    "block depth=3": "depth=3; block=phrase",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    torch.set_num_threads(1)
    engine = PathEngine(load_model(custom_groups=(custom_group("phrase", words=["but it is boring", "not bad"]),)))
    specs = list({name: engine.parse(path) for name, path in PATHS.items()}.items())
    wall: dict[str, list[float]] = {name: [] for name in PATHS}
    cpu: dict[str, list[float]] = {name: [] for name in PATHS}
    for round_index in range(args.rounds + 10):
        text = TEXTS[round_index % len(TEXTS)]
        shift = round_index % len(specs)  # rotate the order, so no contender always runs first
        for name, spec in specs[shift:] + specs[:shift]:
            started, started_cpu = time.perf_counter(), time.process_time()
            engine.decide(text, spec)
            if round_index >= 10:  # warm-up rounds are not counted
                wall[name].append((time.perf_counter() - started) * 1000)
                cpu[name].append((time.process_time() - started_cpu) * 1000)
    print(f"{args.rounds} interleaved rounds (order rotated), 1 thread, texts of ~20-25 tokens\n")
    print("| path | median wall ms | ratio | median CPU ms | ratio |")
    print("| --- | --- | --- | --- | --- |")
    for name, path in PATHS.items():
        base = "plain depth=3" if "depth=3" in path else "plain"
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        w0, c0 = statistics.median(wall[base]), statistics.median(cpu[base])
        print(f"| `{path}` | {w:.2f} | {w / w0:.3f} | {c:.2f} | {c / c0:.3f} |")


if __name__ == "__main__":
    main()
