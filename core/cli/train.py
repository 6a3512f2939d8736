"""`train-heads` and `split`: exit heads for a checkpoint, and the dev splits they are measured on."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from core.errors import InputError


def _train_parser(sub: Any) -> None:
    train = sub.add_parser(
        "train-heads", help="train exit heads for every layer (encoder frozen, or adapted with --adapt lora)"
    )
    train.add_argument("--input", required=True, help="CSV with text and label columns")
    train.add_argument("--text-col", default="text")
    train.add_argument("--label-col", default="label")
    train.add_argument("--label-names", help="names for the sorted label values, e.g. negative,positive")
    train.add_argument("--dev", help="labelled CSV to report accuracy per depth on")
    train.add_argument("--out", required=True, help="artifact directory to write")
    train.add_argument("--model", help="encoder checkpoint directory (default: bundled)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument(
        "--device",
        choices=["cpu", "cuda", "auto"],
        default="cpu",
        help="where the encoder runs while training (auto: CUDA when present); the artifact is the same kind either "
        "way, the figures differ by the devices' rounding",
    )
    train.add_argument("--adapt", choices=["none", "lora"], default="none", help="lora: adapt the encoder too")
    train.add_argument("--epochs", type=int, default=2, help="with --adapt lora")
    train.add_argument("--rank", type=int, default=8, help="LoRA rank, with --adapt lora")
    train.add_argument(
        "--alpha", type=float, default=16.0, help="LoRA alpha, with --adapt lora: the adapter is scaled by alpha / rank"
    )
    train.add_argument("--lr", type=float, default=5e-4, help="AdamW learning rate, with --adapt lora")
    train.add_argument("--max-rows", type=int, default=20_000, help="seeded training subset, 0: all rows (lora)")
    train.add_argument("--loss-weights", help="per-exit loss weights, shallow to deep, e.g. 1,1,1,1,1,2 (lora)")
    train.add_argument(
        "--class-weights",
        choices=["none", "balanced", "sqrt"],
        default="none",
        help="with --adapt lora: weight each label's cross-entropy by 1 / its training frequency (balanced) or the "
        "square root of that (sqrt), to lift the recall of rare labels",
    )
    train.add_argument(
        "--hold-out-sentences",
        type=int,
        default=0,
        metavar="N",
        help="with --adapt lora: keep N complete sentences and all their phrases out of training and calibrate every "
        "exit on them (per-exit temperatures)",
    )
    train.add_argument(
        "--refit",
        metavar="ARTIFACT",
        help="keep ARTIFACT's encoder, adapter and last exit; refit its other exits and calibrate all of them "
        "(per-exit temperatures) on the rows of --input it was not trained on",
    )
    train.add_argument(
        "--distill",
        type=float,
        default=0.0,
        help="with --refit or --adapt lora: weight of the last exit's soft outputs in the earlier exits' losses",
    )
    train.set_defaults(handler=cmd_train_heads)


def cmd_train_heads(args: argparse.Namespace) -> dict[str, Any]:
    from core.training import LabelledTexts, read_text_table, train_frozen_heads

    train = read_text_table(args.input, args.text_col, args.label_col)
    dev = read_text_table(args.dev, args.text_col, args.label_col) if args.dev else None
    data = LabelledTexts(
        texts=train[args.text_col].tolist(),
        label_values=train[args.label_col].tolist(),
        label_names=args.label_names.split(",") if args.label_names else None,
        dev=(dev[args.text_col].tolist(), dev[args.label_col].tolist()) if dev is not None else None,
        source=Path(args.input).name,
    )
    out_dir = Path(args.out)
    if args.refit:
        from core.training import RefitConfig, refit_heads

        if args.adapt != "none":
            raise InputError("--refit keeps the artifact's adapter: leave out --adapt")
        refit = RefitConfig(distill=args.distill, seed=args.seed, device=args.device)
        refitted = refit_heads(  # a refit keeps the artifact's labels: data.label_names is not its to give
            data.texts, data.label_values, Path(args.refit), out_dir, args.model, data.dev, refit, data.source
        )
        return {"out": str(args.out), **refitted}
    if args.adapt == "lora":
        from core.training import AdaptConfig, train_adapted

        weights = tuple(float(w) for w in args.loss_weights.split(",")) if args.loss_weights else None
        config = AdaptConfig(
            epochs=args.epochs,
            rank=args.rank,
            alpha=args.alpha,
            lr=args.lr,
            max_rows=args.max_rows or None,
            loss_weights=weights,
            hold_out_sentences=args.hold_out_sentences,
            distill=args.distill,
            class_weights=args.class_weights,
            seed=args.seed,
            device=args.device,
        )
        return {"out": str(args.out), "report": train_adapted(data, out_dir, args.model, config).report}
    return {"out": str(args.out), "report": train_frozen_heads(data, out_dir, args.model, args.seed, args.device)}


def _split_parser(sub: Any) -> None:
    split = sub.add_parser("split", help="write a stratified seeded train/dev split of a labelled CSV")
    split.add_argument("--input", required=True, help="CSV with text and label columns")
    split.add_argument("--text-col", default="text")
    split.add_argument("--label-col", default="label")
    split.add_argument("--fraction", type=float, default=0.1, help="share of every label that goes to dev")
    split.add_argument("--seed", type=int, default=0)
    split.add_argument("--out", required=True, help="folder to write train.csv and dev.csv into")
    split.set_defaults(handler=cmd_split)


def cmd_split(args: argparse.Namespace) -> dict[str, Any]:
    """A stratified, seeded train/dev split of a labelled table (how the shipped models' dev splits were made)."""
    from core.training import read_text_table, write_split

    frame = read_text_table(args.input, args.text_col, args.label_col)
    return {"out": str(args.out), **write_split(frame, args.label_col, args.fraction, args.seed, Path(args.out))}


def register(sub: Any) -> None:
    """Add the sub-commands of this module to the CLI's sub-parsers."""
    for add in (_train_parser, _split_parser):
        add(sub)
