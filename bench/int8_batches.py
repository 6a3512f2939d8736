"""How much a path's accuracy on SST-2 dev moves with which rows share a batch (issue 29).

Dynamic int8 takes each activation's scale from the whole batch, so a row's decision can change with its neighbours;
an accuracy within 0.5 points on 872 rows means little if the batch composition alone moves it that much. Each
composition audits dev along every path: the rows in the file's order, then shuffled with seeds 1.. and cut into
chunks of `--chunk` rows (each chunk sorted by length into batches of `--batch-size`, as `run_audit` does).

Run from the project root: `HF_HUB_OFFLINE=1 .venv/bin/python -m bench.int8_batches [--compositions 6]
[--paths "precision=int8" "precision=int8; exit=confidence>=0.85"]`. Prints, per path, the change in accuracy points
against the full path (fp32 does not depend on the batch) for each composition, and their mean, lowest and highest.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
from pathlib import Path

import pandas as pd
import torch

from core.audit import run_audit
from core.model import load_model
from core.run import PathEngine

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "sst2" / "dev.csv"


def correct(engine: PathEngine, frame: pd.DataFrame, path: str, chunk: int, batch_size: int, tmp: Path) -> int:
    """Rows answered right when `frame` is audited in chunks of `chunk` rows."""
    right = 0
    for start in range(0, len(frame), chunk):
        part = frame.iloc[start : start + chunk]
        result = run_audit(engine, part, path, against=None, out=tmp / "rows.csv", batch_size=batch_size)
        right += round((result.accuracy or 0.0) * result.rows)
    return right


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paths", nargs="+", default=["precision=int8", "precision=int8; exit=confidence>=0.85"])
    parser.add_argument("--compositions", type=int, default=6)
    parser.add_argument("--chunk", type=int, default=436, help="rows per audit of a shuffled composition")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    engine = PathEngine(load_model())
    dev = pd.read_csv(DEV, keep_default_na=False)[["text", "label"]]
    report: dict[str, object] = {"rows": len(dev), "load_before": " ".join(f"{v:.2f}" for v in os.getloadavg())}
    with tempfile.TemporaryDirectory(prefix="pathlens-int8-batches-") as directory:
        tmp = Path(directory)
        full = correct(engine, dev, "full", len(dev), args.batch_size, tmp)
        report["full_accuracy"] = round(full / len(dev), 4)
        for path in args.paths:
            changes = []
            for seed in range(args.compositions):
                frame = dev if seed == 0 else dev.sample(frac=1, random_state=seed)
                right = correct(engine, frame, path, len(dev) if seed == 0 else args.chunk, args.batch_size, tmp)
                changes.append(round(100 * (right - full) / len(dev), 2))
            report[path] = {
                "change_points": changes,
                "mean": round(statistics.mean(changes), 2),
                "lowest": min(changes),
                "highest": max(changes),
            }
    report["load_after"] = " ".join(f"{v:.2f}" for v in os.getloadavg())
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
