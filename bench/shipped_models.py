"""Dev figures of a trained artifact on the bundled encoder: accuracy and macro-F1 by depth, per-label figures of the
full path, and the exit policies simulated on the same pass (what the choice rule of bench/RESULTS.md reads).

`HF_HUB_OFFLINE=1 .venv/bin/python -m bench.shipped_models --heads build/runs/banking77-A
--dev build/splits/banking77/dev.csv --label-col category [--out figures.json]`
(`--heads` is an artifact folder; `--model banking77` reads a shipped one instead).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch

from core.model import load_model
from core.run import PathEngine
from core.training import evaluate_depths, exit_table, sweep


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--heads", help="an artifact folder trained with train-heads on the bundled encoder")
    parser.add_argument("--model", help="a shipped model's name, instead of --heads")
    parser.add_argument("--dev", required=True)
    parser.add_argument("--label-col", default="label")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    torch.set_num_threads(1)
    engine = PathEngine(load_model(args.model, args.heads))
    figures = evaluate_depths(engine, args.dev, "text", args.label_col)
    policies = sweep(exit_table(engine, args.dev, "text", args.label_col, "full"))
    report = {"artifact": args.heads or args.model, **figures, "exit_sweep": policies}
    text = json.dumps(report, indent=2)
    if args.out:
        args.out.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
