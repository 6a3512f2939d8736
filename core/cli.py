"""`python -m core COMMAND`: JSON on stdout, progress on stderr, errors as one actionable line and exit code 2."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from core.errors import PathLensError

Handler = Callable[[argparse.Namespace], dict[str, Any]]


def _model_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", help="local Hugging Face checkpoint directory (default: PATHLENS_MODEL or bundled)")
    parser.add_argument("--heads", help="exit-heads artifact directory (default: PATHLENS_HEADS or bundled)")
    parser.add_argument(
        "--group",
        action="append",
        default=[],
        metavar="NAME=regex:PATTERN|NAME=words:A,B",
        help="a user-defined input group that a path may withhold (repeatable)",
    )


def _load(args: argparse.Namespace) -> Any:
    from core.engine import PathEngine
    from core.groups import parse_group_option
    from core.model import load_model

    groups = tuple(parse_group_option(option) for option in args.group)
    return PathEngine(load_model(args.model, args.heads, groups))


def cmd_decide(args: argparse.Namespace) -> dict[str, Any]:
    engine = _load(args)
    spec = engine.parse(args.path)
    return engine.decide(args.text, spec).to_json()


def cmd_evaluate(args: argparse.Namespace) -> dict[str, Any]:
    from core.evaluation import evaluate_depths

    return evaluate_depths(_load(args), args.input, args.text_col, args.label_col, args.path)


def cmd_train_heads(args: argparse.Namespace) -> dict[str, Any]:
    from core.data import read_text_table
    from core.training import train_frozen_heads

    train = read_text_table(args.input, args.text_col, args.label_col)
    dev = read_text_table(args.dev, args.text_col, args.label_col) if args.dev else None
    report = train_frozen_heads(
        train[args.text_col].tolist(),
        train[args.label_col].tolist(),
        Path(args.out),
        model_dir=args.model,
        label_names=args.label_names.split(",") if args.label_names else None,
        dev=(dev[args.text_col].tolist(), dev[args.label_col].tolist()) if dev is not None else None,
        seed=args.seed,
        source=Path(args.input).name,
    )
    return {"out": str(args.out), "report": report}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core", description="PathLens: run and audit computation paths")
    sub = parser.add_subparsers(dest="command", required=True)

    decide = sub.add_parser("decide", help="decide one text along a path, print JSON")
    decide.add_argument("--text", required=True)
    decide.add_argument("--path", default="full", help="path spec, e.g. 'depth=3; withhold=email' (default full)")
    _model_args(decide)
    decide.set_defaults(handler=cmd_decide)

    evaluate = sub.add_parser("evaluate", help="accuracy of every depth of a path on a labelled CSV")
    evaluate.add_argument("--input", required=True)
    evaluate.add_argument("--text-col", default="text")
    evaluate.add_argument("--label-col", default="label")
    evaluate.add_argument("--path", default="full", help="the path whose every depth is measured")
    _model_args(evaluate)
    evaluate.set_defaults(handler=cmd_evaluate)

    train = sub.add_parser("train-heads", help="train exit heads for every layer (encoder frozen)")
    train.add_argument("--input", required=True, help="CSV with text and label columns")
    train.add_argument("--text-col", default="text")
    train.add_argument("--label-col", default="label")
    train.add_argument("--label-names", help="names for the sorted label values, e.g. negative,positive")
    train.add_argument("--dev", help="labelled CSV to report accuracy per depth on")
    train.add_argument("--out", required=True, help="artifact directory to write")
    train.add_argument("--model", help="encoder checkpoint directory (default: bundled)")
    train.add_argument("--seed", type=int, default=0)
    train.set_defaults(handler=cmd_train_heads)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result = args.handler(args)
    except PathLensError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0
