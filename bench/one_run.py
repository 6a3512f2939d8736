"""Before/after the one batched run (`core/run/runner.py`): the same measurements on an earlier revision and this tree.

Run from the project root: `HF_HUB_OFFLINE=1 .venv/bin/python -m bench.one_run [--before 1304df9] [--rounds 3]`.
The earlier revision's `core/` is extracted with `git archive` into a temporary folder (never into the project);
each round runs one child process per tree, alternating, so that both see the same machine load. Measured: rows/s
of `run_audit` on ../shared/data/sst2/dev.csv (depth=3 against full), and the comparison set of a short sentence
and of a 490-token review (three windows; the earlier revision read only its first window there).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "sst2" / "dev.csv"

_CHILD = """
import json, sys, tempfile, time
from core.audit import run_audit
from core.service.comparison import comparison_set, compute_alternatives
from core.run.engine import PathEngine
from core.model.loading import load_model

engine = PathEngine(load_model())
long_review = ("An absolutely wonderful, moving and beautifully acted film. " * 18
    + "But then it collapses: the plot is dull, the dialogue is painfully bad and the ending is a mess. " * 14)
spec = engine.parse("depth=3")
alternatives = comparison_set(spec)
figures = {}
for name, text in (("short", "A warm, funny and surprisingly moving story."), ("long", long_review)):
    compute_alternatives(engine, [text], alternatives)
    started = time.perf_counter()
    for _ in range(3):
        rows = compute_alternatives(engine, [text], alternatives)
    figures[f"alternatives_{name}_ms"] = (time.perf_counter() - started) * 1000 / 3
    figures[f"full_{name}"] = next(r for s, r in zip(alternatives, rows[0]) if s.canonical == "full").probs
with tempfile.TemporaryDirectory() as tmp:
    result = run_audit(engine, sys.argv[1], spec, against="full", out=f"{tmp}/out.csv")
figures["audit_rows_per_s"] = result.rows_per_s
print(json.dumps(figures))
"""


def _extract(revision: str, folder: Path) -> Path:
    archive = subprocess.run(["git", "archive", revision, "core"], cwd=ROOT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def _measure(tree: Path) -> dict[str, Any]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(DEV)], cwd=tree, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default="1304df9", help="the earlier revision")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pathlens-before-") as tmp:
        trees = {"before": _extract(args.before, Path(tmp)), "after": ROOT}
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
        for _ in range(args.rounds):
            for name, tree in trees.items():
                runs[name].append(_measure(tree))
    for name, figures in runs.items():
        summary = {
            key: round(statistics.median(float(f[key]) for f in figures), 2)
            for key in ("audit_rows_per_s", "alternatives_short_ms", "alternatives_long_ms")
        }
        summary["full_long"] = figures[-1]["full_long"]
        print(name, json.dumps(summary))


if __name__ == "__main__":
    main()
