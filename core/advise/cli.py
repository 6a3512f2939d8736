"""`python -m core advise` and `decide --explain heads`: the path advisor on the command line.

JSON on stdout, progress on stderr (tqdm). Nothing heavy is imported until a command runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from core.errors import InputError

HEADS_METHOD = "heads"


def register(sub: Any, model_args: Callable[[argparse.ArgumentParser], None], load: Callable[[Any], Any]) -> None:
    """Add the `advise` sub-command; `model_args` and `load` are the CLI's model options and loader."""
    parser = sub.add_parser("advise", help="search paths on labelled rows; Pareto frontier and a recommendation (JSON)")
    parser.add_argument("--input", required=True, help="labelled CSV or Parquet file")
    parser.add_argument("--text-col", default="text")
    parser.add_argument("--label-col", default="label")
    parser.add_argument("--budget", default="loss<=0.5", help='what the path may give up, e.g. "loss<=0.5" (points)')
    parser.add_argument("--objective", default="rows_per_s", choices=("rows_per_s", "flops"))
    parser.add_argument("--seed", type=int, default=0, help="seed of the search / held-out split (default 0)")
    parser.add_argument("--holdout", help="a separate labelled file to measure on (default: a share of --input)")
    parser.add_argument("--holdout-share", type=float, default=0.5, help="share of --input held out (default 0.5)")
    parser.add_argument("--sensitivity-rows", type=int, default=1000, help="search rows weighing heads (default 1000)")
    parser.add_argument("--batch-size", type=int, default=64)
    model_args(parser)
    parser.set_defaults(handler=lambda args: cmd_advise(args, load))


def cmd_advise(args: argparse.Namespace, load: Callable[[Any], Any]) -> dict[str, Any]:
    from tqdm import tqdm

    from core.advise.budget import Budget
    from core.advise.search import advise, split_rows
    from core.audit import gold_indices, require_two_labels
    from core.training import read_text_table

    budget = Budget.parse(args.budget)
    if args.batch_size < 1 or args.sensitivity_rows < 1:
        raise InputError("--batch-size and --sensitivity-rows must be at least 1")
    frame = read_text_table(args.input, args.text_col, args.label_col)
    engine = load(args)
    labels = engine.model.labels
    gold = gold_indices([str(value) for value in frame[args.label_col]], labels)
    if None in gold:
        bad = frame[args.label_col].iloc[gold.index(None)]
        raise InputError(
            f"label {bad!r} is not one of the model's labels {list(labels)} (nor an index into them): choose the model "
            "the labels belong to with --model (python -m core models lists them)"
        )
    require_two_labels(gold, labels, args.input)
    if args.holdout:
        search_rows, held = list(range(len(frame))), read_text_table(args.holdout, args.text_col, args.label_col)
        require_two_labels(gold_indices([str(value) for value in held[args.label_col]], labels), labels, args.holdout)
    else:
        search_rows, held_rows = split_rows(len(frame), args.seed, args.holdout_share)
        held = frame.iloc[held_rows]
    bars: dict[str, Any] = {}

    def progress(stage: str, fraction: float) -> None:
        bar = bars.get(stage)
        if bar is None:
            for other in bars.values():
                other.close()
            bar = bars[stage] = tqdm(total=100, desc=stage, unit="%", file=sys.stderr, leave=False)
        bar.update(round(fraction * 100) - bar.n)

    try:
        result = advise(
            engine,
            frame.iloc[search_rows],
            held,
            [gold[row] for row in search_rows],
            text_col=args.text_col,
            label_col=args.label_col,
            budget=budget,
            objective=args.objective,
            seed=args.seed,
            sensitivity_rows=args.sensitivity_rows,
            batch_size=args.batch_size,
            progress=progress,
        )
    finally:
        for bar in bars.values():
            bar.close()
    if not result.confident:
        print(f"warning: {result.notes[0]}", file=sys.stderr)
    return result.to_json()


def split_heads(methods: list[str]) -> tuple[list[str], bool]:
    """`decide --explain` methods without `heads`, and whether `heads` was asked for.

    Every name is checked here, before anything runs, against every method `--explain` takes (`heads` included)."""
    from core.explain import METHODS

    known = [*METHODS, HEADS_METHOD]
    unknown = [m for m in methods if m not in known]
    if unknown:
        raise InputError(f"unknown explanation method(s) {', '.join(unknown)}: choose from {','.join(known)}")
    return [m for m in methods if m != HEADS_METHOD], HEADS_METHOD in methods


def heads_json(engine: Any, text: str, spec: Any) -> dict[str, Any]:
    """The decision's head and layer importance (attribution patching), as `decide --explain heads` prints it."""
    from core.advise.importance import head_importance

    return head_importance(engine, text, spec).to_json()
