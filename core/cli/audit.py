"""`evaluate` and `audit`: whole labelled files along a path."""

from __future__ import annotations

import argparse
import os
import sys
from functools import partial
from pathlib import Path
from typing import Any

from core.cli import common
from core.errors import InputError

BACKENDS = ("local", "ray")


class _DeprecatedEngine(argparse.Action):
    """`--engine local|ray`, the old name of `--backend` (an engine is the PathEngine): still taken, with a note."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, value: Any, _: Any = None
    ) -> None:
        print("note: --engine is now --backend (same values); --engine will go in a later release", file=sys.stderr)
        setattr(namespace, self.dest, value)


def _evaluate_parser(sub: Any) -> None:
    evaluate = sub.add_parser("evaluate", help="accuracy of every depth of a path on a labelled CSV")
    evaluate.add_argument("--input", required=True)
    evaluate.add_argument("--text-col", default="text")
    evaluate.add_argument("--label-col", default="label")
    evaluate.add_argument("--path", default="full", help="the path whose every depth is measured")
    evaluate.add_argument(
        "--exit-sweep",
        action="store_true",
        help="accuracy, mean layers run and compute saved of exit policies (thresholds, patiences), from one pass",
    )
    common.model_args(evaluate)
    evaluate.set_defaults(handler=cmd_evaluate)


def cmd_evaluate(args: argparse.Namespace) -> dict[str, Any]:
    from core.training import evaluate_depths

    if args.exit_sweep:
        from core.training import exit_table, sweep

        return sweep(exit_table(common.load(args), args.input, args.text_col, args.label_col, args.path))
    result = evaluate_depths(common.load(args), args.input, args.text_col, args.label_col, args.path)
    if result["gold_warning"]:
        print(f"warning: {result['gold_warning']}", file=sys.stderr)
    return result


def _audit_parser(sub: Any) -> None:
    audit = sub.add_parser("audit", help="decide every row of a CSV/Parquet file along a path; summary JSON")
    audit.add_argument("--input", required=True, help="CSV or Parquet file with a text column")
    audit.add_argument("--path", default="full", help="the executed path spec (default full)")
    audit.add_argument("--against", default="full", help="path to compare with (flip rate); 'none' to skip")
    audit.add_argument("--text-col", default="text")
    audit.add_argument("--label-col", help="gold label column (default: 'label' when the file has one)")
    audit.add_argument("--out", help="per-row results, .csv or .parquet; a rerun with the same arguments resumes")
    audit.add_argument(
        "--backend", choices=BACKENDS, default="local", help="where rows are scored; ray: RAY_ADDRESS or local Ray"
    )
    audit.add_argument("--engine", choices=BACKENDS, dest="backend", action=_DeprecatedEngine, help=argparse.SUPPRESS)
    audit.add_argument("--batch-size", type=int, default=64, help="rows per forward pass (grouped by length)")
    audit.add_argument("--chunk-rows", type=int, default=4096, help="rows read, scored and written at a time")
    audit.add_argument(
        "--store", help="record every decided row in this decision record (file or URL; default: PATHLENS_STORE)"
    )
    audit.add_argument("--keep-text", action="store_true", help="store the raw texts (default: a salted hash only)")
    audit.add_argument(
        "--all-probs",
        action="store_true",
        help="with --out: a prob_LABEL column for every label (a model with over 5 labels writes its top 5 only)",
    )
    audit.add_argument("--no-record", action="store_true", help="record nothing, even with PATHLENS_STORE set")
    common.model_args(audit)
    audit.set_defaults(handler=cmd_audit)


def cmd_audit(args: argparse.Namespace) -> dict[str, Any]:
    from core.audit import ModelSource, run_audit
    from core.store import open_store

    location = None if args.no_record else args.store or os.environ.get("PATHLENS_STORE")
    if args.all_probs and args.out is None:
        raise InputError("--all-probs adds columns to the rows --out writes: give --out FILE too")
    if args.keep_text and not location:
        raise InputError("--keep-text keeps the texts in the decision record: give --store or set PATHLENS_STORE")
    if location and args.out and "://" not in location and Path(location).resolve() == Path(args.out).resolve():
        raise InputError(f"--out {args.out} is the decision record (--store): give another path, e.g. --out audit.csv")
    result = run_audit(
        partial(common.load, args),  # loaded once run_audit has checked the file
        args.input,
        args.path,
        against=None if args.against == "none" else args.against,
        text_col=args.text_col,
        label_col=args.label_col,
        out=args.out,
        batch_size=args.batch_size,
        chunk_rows=args.chunk_rows,
        all_probs=args.all_probs,
        backend=args.backend,
        ray_loader=ModelSource(args.model, args.heads, tuple(args.group)),
        show_progress=True,
        store=partial(open_store, location) if location else None,  # opened once run_audit has checked everything
        keep_text=args.keep_text,
    )
    if result.gold_warning:
        print(f"warning: {result.gold_warning}", file=sys.stderr)
    if result.read_warning:
        raise common.NothingReadError(result.read_warning, result.to_json())
    return result.to_json()


def register(sub: Any) -> None:
    """Add the sub-commands of this module to the CLI's sub-parsers."""
    for add in (_evaluate_parser, _audit_parser):
        add(sub)
