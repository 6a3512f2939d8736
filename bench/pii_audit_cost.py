"""What `withhold=pii` costs an audit: rows/s with it against none, in pairs run side by side on the same rows.

Run from the project root: `HF_HUB_OFFLINE=1 .venv/bin/python -m bench.pii_audit_cost [--rows 2000] [--pairs 4]`.
The rows are SST-2 dev repeated to `--rows` (or the first `--rows` of `--input`). Each pair audits them once with
`full` and once with `withhold=pii` (no comparison path), the order alternating from pair to pair, so that a change
in the machine's load falls on both; spaCy and Presidio are loaded before the first pair. It prints every pair's
rows/s and their ratio, by the wall clock and by CPU time (rows per CPU second of the process, all threads), the
median ratios, and the load average before and after. On a loaded machine only the CPU ratio says much; the wall
ratio is the goal's figure (issue 27: at least 0.6), for a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import pandas as pd
import torch

from core.audit import run_audit
from core.model import load_model
from core.path import PII_GROUPS
from core.run import PathEngine

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "sst2" / "dev.csv"
PATHS = ("full", "withhold=pii")


def rows_of(source: Path, rows: int) -> pd.DataFrame:
    """The first `rows` rows of `source`, repeated as often as needed to make `rows`."""
    frame = pd.read_csv(source)
    return pd.concat([frame] * (rows // len(frame) + 1), ignore_index=True).iloc[:rows]


def audit_rate(engine: PathEngine, frame: pd.DataFrame, path: str) -> tuple[float, float]:
    """Rows/s of one audit of `frame` along `path` (nothing written): by the wall clock, and by the CPU time of the
    process (every thread), which a loaded machine distorts less."""
    started, cpu = time.perf_counter(), time.process_time()
    result = run_audit(engine, frame, path, against=None)
    assert result.rows == len(frame), "every row is decided"
    return len(frame) / (time.perf_counter() - started), len(frame) / (time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--pairs", type=int, default=4)
    parser.add_argument("--input", type=Path, default=DEV, help="a CSV with a text column (default SST-2 dev)")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (default: torch's own choice)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    frame = rows_of(args.input, args.rows)
    engine = PathEngine(load_model())
    engine.model.groups.find_many(frame["text"].astype(str).tolist()[:8], PII_GROUPS)  # load spaCy and Presidio
    load_before = os.getloadavg()
    print(
        f"{len(frame)} rows ({frame['text'].nunique()} distinct) of {args.input}, torch threads "
        f"{torch.get_num_threads()}, load average before {load_before[0]:.2f}",
        flush=True,
    )
    ratios: dict[str, list[float]] = {"wall": [], "cpu": []}
    for pair in range(args.pairs):
        order = PATHS if pair % 2 == 0 else PATHS[::-1]
        rates = {path: audit_rate(engine, frame, path) for path in order}
        for n, clock in enumerate(ratios):
            ratios[clock].append(rates["withhold=pii"][n] / rates["full"][n])
        print(
            f"pair {pair + 1}: wall full {rates['full'][0]:7.1f}, pii {rates['withhold=pii'][0]:7.1f} rows/s, "
            f"ratio {ratios['wall'][-1]:.3f} | CPU full {rates['full'][1]:7.1f}, pii {rates['withhold=pii'][1]:7.1f} "
            f"rows per CPU s, ratio {ratios['cpu'][-1]:.3f}",
            flush=True,
        )
    for clock, values in ratios.items():
        listed = ", ".join(f"{r:.3f}" for r in values)
        print(f"{clock} ratios pii / full: {listed}; median {statistics.median(values):.3f}")
    print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
