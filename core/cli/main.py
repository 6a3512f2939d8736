"""`python -m core COMMAND`: JSON on stdout, progress on stderr, errors as one actionable line and exit code 2."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from core.advise import cli as advise_cli
from core.cli import groups as group_spans
from core.errors import InputError, PathLensError

EXIT_PROBLEMS_FOUND = 1  # `store check`: the report is printed and lists problems
EXIT_BAD_INPUT = 2
EXIT_NOT_RECORDED = 3  # `decide`: the decision was made and printed, but the record write failed

Handler = Callable[[argparse.Namespace], dict[str, Any] | None]  # None: the handler printed its JSON itself


def _model_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        metavar="NAME|DIR",
        help="a shipped model (sst2, banking77, fintweets; `models` lists them) or a local Hugging Face checkpoint "
        "directory (default: PATHLENS_MODEL or sst2)",
    )
    parser.add_argument("--heads", help="exit-heads artifact directory for --model DIR (default: PATHLENS_HEADS)")
    parser.add_argument(
        "--group",
        action="append",
        default=[],
        metavar="NAME=regex:PATTERN|NAME=words:A,B",
        help="a user-defined input group that a path may withhold (repeatable)",
    )


def _load(args: argparse.Namespace) -> Any:
    from core.model import load_model
    from core.path import parse_group_option
    from core.run import PathEngine

    groups = tuple(parse_group_option(option) for option in args.group)
    return PathEngine(load_model(args.model, args.heads, groups))


def _store_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        help="decision record: file path or database URL (default: PATHLENS_STORE or .pathlens/decisions.sqlite)",
    )


def _emit(result: dict[str, Any]) -> None:
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    sys.stdout.flush()


def cmd_decide(args: argparse.Namespace) -> dict[str, Any] | None:
    """Print the primary answer at once, then wait (progress on stderr) until its comparison set is stored."""
    from core.explain import IGOptions
    from core.service import DecisionService
    from core.store import open_store

    engine = _load(args)
    spec = engine.parse(args.path)
    extra = [engine.parse(path) for path in args.also]
    service = DecisionService(engine, None if args.no_record else open_store(args.store))
    explain, heads = advise_cli.split_heads([m.strip() for m in (args.explain or "").split(",") if m.strip()])
    if args.target is not None and not explain:
        raise InputError("--target picks the label to explain: give --explain too, e.g. --explain ig")
    with _progress_bar("explain", bool(explain)) as progress:
        audited = service.decide(
            args.text,
            spec,
            keep_text=args.keep_text,
            extra_paths=extra,
            explain=explain,
            explain_target=args.target,
            explain_progress=progress,
            explain_ig=IGOptions(args.ig_steps, args.ig_tolerance, args.ig_max_steps),
        )
    _emit(audited.to_json() | ({"head_importance": advise_cli.heads_json(engine, args.text, spec)} if heads else {}))
    _wait_for_comparisons(service, audited.record.alternatives_queued)
    if audited.record.status == "failed":
        raise NotRecordedError(f"the decision was printed but NOT recorded: {audited.record.error}")
    return None


class NotRecordedError(Exception):
    """The decision was made and printed, but its record could not be written (exit code 3)."""


class ProblemsFoundError(Exception):
    """`store check` printed its report and found problems (exit code 1)."""


@contextmanager
def _progress_bar(desc: str, shown: bool) -> Iterator[Callable[[float, str], None] | None]:
    """A tqdm bar on stderr fed by (fraction, message) callbacks; None when nothing long runs."""
    from tqdm import tqdm

    if not shown:
        yield None
        return
    with tqdm(total=100, desc=desc, unit="%", file=sys.stderr, leave=False) as bar:

        def update(fraction: float, message: str) -> None:
            bar.set_postfix_str(message, refresh=False)
            bar.update(round(fraction * 100) - bar.n)

        yield update


def _wait_for_comparisons(service: Any, queued: int) -> None:
    from tqdm import tqdm

    if not queued:
        return
    with tqdm(total=1, desc="comparison set", unit="set", file=sys.stderr, leave=False) as bar:
        service.close()
        bar.update(1)


def cmd_compare(args: argparse.Namespace) -> dict[str, Any] | None:
    from core.service import DecisionService, compare_decision
    from core.store import open_store

    store = open_store(args.store)
    if args.decision:
        return compare_decision(store, args.decision, args.wait).to_json()
    if not args.text:
        raise InputError("give --decision ID (a stored decision) or --text with --path (decide and compare now)")
    engine = _load(args)
    service = DecisionService(engine, store)
    audited = service.decide(args.text, engine.parse(args.path), extra_paths=[engine.parse(p) for p in args.also])
    service.close(args.wait)
    return service.compare(audited.decision.decision_id).to_json()


def cmd_reproduce(args: argparse.Namespace) -> dict[str, Any] | None:
    from core.service import DecisionService
    from core.store import open_store

    return DecisionService(_load(args), open_store(args.store)).reproduce(args.decision, args.text).to_json()


def cmd_resume(args: argparse.Namespace) -> dict[str, Any]:
    """Recompute alternatives a killed process left unfinished; wait until they are stored."""
    from core.service import DecisionService
    from core.store import open_store

    if args.text is not None and not args.decision:
        raise InputError("--text belongs to one decision: give --decision ID too")
    service = DecisionService(
        _load(args), open_store(args.store)
    )  # takes over orphans of decisions whose text was kept
    recomputed = service.resume(args.decision, args.text) if args.decision else 0
    _wait_for_comparisons(service, service.pending())
    result: dict[str, Any] = {"resumed_decisions": service.resumed, "recomputed_alternatives": recomputed}
    if args.decision:
        result["comparison"] = service.compare(args.decision).to_json()
    return result


def cmd_evaluate(args: argparse.Namespace) -> dict[str, Any]:
    from core.training import evaluate_depths

    if args.exit_sweep:
        from core.training import exit_table, sweep

        return sweep(exit_table(_load(args), args.input, args.text_col, args.label_col, args.path))
    return evaluate_depths(_load(args), args.input, args.text_col, args.label_col, args.path)


def cmd_audit(args: argparse.Namespace) -> dict[str, Any]:
    from core.audit import ModelSource, run_audit
    from core.store import open_store

    location = None if args.no_record else args.store or os.environ.get("PATHLENS_STORE")
    if args.keep_text and not location:
        raise InputError("--keep-text keeps the texts in the decision record: give --store or set PATHLENS_STORE")
    store = open_store(location) if location else None
    engine = _load(args)
    result = run_audit(
        engine,
        args.input,
        args.path,
        against=None if args.against == "none" else args.against,
        text_col=args.text_col,
        label_col=args.label_col,
        out=args.out,
        batch_size=args.batch_size,
        chunk_rows=args.chunk_rows,
        backend=args.engine,
        ray_loader=ModelSource(args.model, args.heads, tuple(args.group)),
        show_progress=True,
        store=store,
        keep_text=args.keep_text,
    )
    return result.to_json()


def cmd_train_heads(args: argparse.Namespace) -> dict[str, Any]:
    from core.training import read_text_table, train_frozen_heads

    train = read_text_table(args.input, args.text_col, args.label_col)
    dev = read_text_table(args.dev, args.text_col, args.label_col) if args.dev else None
    data: dict[str, Any] = {
        "texts": train[args.text_col].tolist(),
        "label_values": train[args.label_col].tolist(),
        "out_dir": Path(args.out),
        "model_dir": args.model,
        "label_names": args.label_names.split(",") if args.label_names else None,
        "dev": (dev[args.text_col].tolist(), dev[args.label_col].tolist()) if dev is not None else None,
        "source": Path(args.input).name,
    }
    if args.refit:
        from core.training import RefitConfig, refit_heads

        if args.adapt != "none":
            raise InputError("--refit keeps the artifact's adapter: leave out --adapt")
        del data["label_names"]  # a refit keeps the artifact's labels
        refit = RefitConfig(distill=args.distill, seed=args.seed)
        return {"out": str(args.out), **refit_heads(**data, artifact_dir=Path(args.refit), config=refit)}
    if args.adapt == "lora":
        from core.training import AdaptConfig, train_adapted

        weights = tuple(float(w) for w in args.loss_weights.split(",")) if args.loss_weights else None
        config = AdaptConfig(
            epochs=args.epochs,
            rank=args.rank,
            lr=args.lr,
            max_rows=args.max_rows or None,
            loss_weights=weights,
            hold_out_sentences=args.hold_out_sentences,
            distill=args.distill,
            seed=args.seed,
        )
        return {"out": str(args.out), "report": train_adapted(**data, config=config).report}
    return {"out": str(args.out), "report": train_frozen_heads(**data, seed=args.seed)}


def cmd_models(args: argparse.Namespace) -> dict[str, Any]:
    """The shipped models and the operator's configured checkpoint folders, with their labels."""
    from core.model import catalog

    return {"models": [info.to_json() for info in catalog()]}


def cmd_split(args: argparse.Namespace) -> dict[str, Any]:
    """A stratified, seeded train/dev split of a labelled table (how the shipped models' dev splits were made)."""
    from core.training import read_text_table, write_split

    frame = read_text_table(args.input, args.text_col, args.label_col)
    return {"out": str(args.out), **write_split(frame, args.label_col, args.fraction, args.seed, Path(args.out))}


def cmd_serve(args: argparse.Namespace) -> dict[str, Any] | None:
    """Serve the HTTP API (`core.api`) over one DecisionService until interrupted; logs are JSON lines on stderr."""
    from core.api import ApiSettings, listen, serve
    from core.service import DecisionService
    from core.store import open_store

    settings = ApiSettings(
        auth=args.auth, max_body_bytes=args.max_body_kb * 1024, max_upload_bytes=args.max_upload_mb << 20
    )
    with listen(args.host, args.port) as sock:  # before the model loads: a busy port is said at once
        service = DecisionService(_load(args), open_store(args.store))
        try:
            serve(service, sock, settings)
        finally:
            service.close(timeout_s=30.0)
    return None


def cmd_keys(args: argparse.Namespace) -> dict[str, Any]:
    """Create (printing the key once), list or revoke the API keys kept in the store."""
    from core.store import create_key, list_keys, open_store, revoke_key

    store = open_store(args.store)
    if args.action == "create":
        if not args.role:
            raise InputError("keys create needs --role viewer, analyst or admin")
        key, stored = create_key(store, args.role, args.name)
        print("the key is shown only now: keep it somewhere safe", file=sys.stderr)
        return {**stored.to_json(), "key": key}
    if args.action == "revoke":
        if not args.key_id:
            raise InputError("keys revoke needs --key-id ID (see `python -m core keys list`)")
        return revoke_key(store, args.key_id).to_json()
    return {"keys": [key.to_json() for key in list_keys(store)]}


def cmd_store(args: argparse.Namespace) -> None:
    """`store check`: the record's integrity check, printed as JSON; exit code 1 when it finds problems."""
    from core.store import check_store

    report = check_store(args.store)
    _emit(report)
    if not report["healthy"]:
        raise ProblemsFoundError(f"the store {report['store']} has {len(report['problems'])} problem(s), listed above")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core", description="PathLens: run and audit computation paths")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (
        _decide_parser,
        _compare_parser,
        _reproduce_parser,
        _resume_parser,
        _evaluate_parser,
        _audit_parser,
        _train_parser,
        _serve_parser,
        _keys_parser,
        _store_parser,
        _models_parser,
        group_spans.register,
    ):
        add(sub)
    advise_cli.register(sub, _model_args, _load)
    return parser


def _decide_parser(sub: Any) -> None:
    decide = sub.add_parser("decide", help="decide one text along a path, print JSON")
    decide.add_argument("--text", required=True)
    decide.add_argument("--path", default="full", help="path spec, e.g. 'depth=3; withhold=email' (default full)")
    decide.add_argument("--also", action="append", default=[], metavar="PATH", help="extra path to compare with")
    decide.add_argument("--keep-text", action="store_true", help="store the raw text (default: a salted hash only)")
    decide.add_argument("--no-record", action="store_true", help="store nothing and compute no comparison set")
    decide.add_argument(
        "--explain", metavar="METHODS", help="add explanations: ig,gxi,saliency,lrp,occlusion,attention,heads"
    )
    decide.add_argument("--target", metavar="LABEL", help="label to explain (default: the predicted one)")
    decide.add_argument("--ig-steps", type=int, help="IG with this many fixed Gauss-Legendre steps (default: adaptive)")
    decide.add_argument(
        "--ig-tolerance", type=float, default=0.05, help="adaptive IG refines until |relative delta| <= this (0.05)"
    )
    decide.add_argument("--ig-max-steps", type=int, default=65, help="adaptive IG's most points (default 65)")
    _store_args(decide)
    _model_args(decide)
    decide.set_defaults(handler=cmd_decide)


def _compare_parser(sub: Any) -> None:
    compare = sub.add_parser("compare", help="a stored decision vs its paths not taken (or decide --text first)")
    compare.add_argument("--decision", help="id of a stored decision")
    compare.add_argument("--text", help="decide this text now, then compare")
    compare.add_argument("--path", default="full", help="with --text: the executed path")
    compare.add_argument("--also", action="append", default=[], metavar="PATH", help="with --text: extra path")
    compare.add_argument("--wait", type=float, default=30.0, help="seconds to wait for pending alternatives")
    _store_args(compare)
    _model_args(compare)
    compare.set_defaults(handler=cmd_compare)


def _reproduce_parser(sub: Any) -> None:
    reproduce = sub.add_parser("reproduce", help="re-run a stored decision and report whether its outputs match")
    reproduce.add_argument("--decision", required=True, help="id of a stored decision")
    reproduce.add_argument("--text", help="the decided text, when it was not kept")
    _store_args(reproduce)
    _model_args(reproduce)
    reproduce.set_defaults(handler=cmd_reproduce)


def _resume_parser(sub: Any) -> None:
    resume = sub.add_parser("resume", help="recompute alternatives that a killed process left unfinished")
    resume.add_argument("--decision", help="also recompute this decision's failed alternatives")
    resume.add_argument("--text", help="with --decision: its text, when it was not kept")
    _store_args(resume)
    _model_args(resume)
    resume.set_defaults(handler=cmd_resume)


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
    _model_args(evaluate)
    evaluate.set_defaults(handler=cmd_evaluate)


def _audit_parser(sub: Any) -> None:
    audit = sub.add_parser("audit", help="decide every row of a CSV/Parquet file along a path; summary JSON")
    audit.add_argument("--input", required=True, help="CSV or Parquet file with a text column")
    audit.add_argument("--path", default="full", help="the executed path spec (default full)")
    audit.add_argument("--against", default="full", help="path to compare with (flip rate); 'none' to skip")
    audit.add_argument("--text-col", default="text")
    audit.add_argument("--label-col", help="gold label column (default: 'label' when the file has one)")
    audit.add_argument("--out", help="per-row results, .csv or .parquet; a rerun with the same arguments resumes")
    audit.add_argument("--engine", choices=["local", "ray"], default="local", help="ray: RAY_ADDRESS or local Ray")
    audit.add_argument("--batch-size", type=int, default=64, help="rows per forward pass (grouped by length)")
    audit.add_argument("--chunk-rows", type=int, default=4096, help="rows read, scored and written at a time")
    audit.add_argument(
        "--store", help="record every decided row in this decision record (file or URL; default: PATHLENS_STORE)"
    )
    audit.add_argument("--keep-text", action="store_true", help="store the raw texts (default: a salted hash only)")
    audit.add_argument("--no-record", action="store_true", help="record nothing, even with PATHLENS_STORE set")
    _model_args(audit)
    audit.set_defaults(handler=cmd_audit)


def _train_parser(sub: Any) -> None:
    train = sub.add_parser("train-heads", help="train exit heads for every layer (encoder frozen)")
    train.add_argument("--input", required=True, help="CSV with text and label columns")
    train.add_argument("--text-col", default="text")
    train.add_argument("--label-col", default="label")
    train.add_argument("--label-names", help="names for the sorted label values, e.g. negative,positive")
    train.add_argument("--dev", help="labelled CSV to report accuracy per depth on")
    train.add_argument("--out", required=True, help="artifact directory to write")
    train.add_argument("--model", help="encoder checkpoint directory (default: bundled)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--adapt", choices=["none", "lora"], default="none", help="lora: adapt the encoder too")
    train.add_argument("--epochs", type=int, default=2, help="with --adapt lora")
    train.add_argument("--rank", type=int, default=8, help="LoRA rank, with --adapt lora")
    train.add_argument("--lr", type=float, default=5e-4, help="AdamW learning rate, with --adapt lora")
    train.add_argument("--max-rows", type=int, default=20_000, help="seeded training subset, 0: all rows (lora)")
    train.add_argument("--loss-weights", help="per-exit loss weights, shallow to deep, e.g. 1,1,1,1,1,2 (lora)")
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


def _bounded(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: an integer from `low` to `high` (argparse turns the ValueError into a one-line error)."""

    def parse(value: str) -> int:
        number = int(value)
        if not low <= number <= high:
            raise ValueError(value)
        return number

    parse.__name__ = f"integer from {low} to {high}"
    return parse


def _serve_parser(sub: Any) -> None:
    serve = sub.add_parser("serve", help="serve the HTTP API (FastAPI) over the DecisionService")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_bounded(0, 65_535), default=8000, help="0-65535 (0: any free port)")
    serve.add_argument("--auth", action="store_true", help="require `Authorization: Bearer KEY` (see `keys create`)")
    serve.add_argument("--max-body-kb", type=_bounded(1, 1 << 20), default=1024, help="largest JSON request body, KiB")
    serve.add_argument(
        "--max-upload-mb", type=_bounded(1, 1 << 20), default=64, help="largest file submitted to /v1/audits, MiB"
    )
    _store_args(serve)
    _model_args(serve)
    serve.set_defaults(handler=cmd_serve)


def _models_parser(sub: Any) -> None:
    models = sub.add_parser("models", help="list the shipped models and configured checkpoint folders, with labels")
    models.set_defaults(handler=cmd_models)
    split = sub.add_parser("split", help="write a stratified seeded train/dev split of a labelled CSV")
    split.add_argument("--input", required=True, help="CSV with text and label columns")
    split.add_argument("--text-col", default="text")
    split.add_argument("--label-col", default="label")
    split.add_argument("--fraction", type=float, default=0.1, help="share of every label that goes to dev")
    split.add_argument("--seed", type=int, default=0)
    split.add_argument("--out", required=True, help="folder to write train.csv and dev.csv into")
    split.set_defaults(handler=cmd_split)


def _keys_parser(sub: Any) -> None:
    keys = sub.add_parser("keys", help="API keys with roles, kept hashed in the store: create, list, revoke")
    keys.add_argument("action", choices=["create", "list", "revoke"])
    keys.add_argument("--role", choices=["viewer", "analyst", "admin"], help="with create: what the key may do")
    keys.add_argument("--name", default="", help="with create: who or what the key is for")
    keys.add_argument("--key-id", help="with revoke: the key's id (as listed)")
    _store_args(keys)
    keys.set_defaults(handler=cmd_keys)


def _store_parser(sub: Any) -> None:
    store = sub.add_parser("store", help="check the decision record: exit 0 when healthy, 1 with the problems")
    store.add_argument("action", choices=["check"])
    _store_args(store)
    store.set_defaults(handler=cmd_store)


def _undecodable(argv: Sequence[str]) -> str | None:
    """The first argument that is not valid UTF-8 (Python keeps such bytes as lone surrogates), or None."""
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return arg.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
    return None


def main(argv: Sequence[str] | None = None) -> int:
    bad = _undecodable(sys.argv[1:] if argv is None else argv)
    if bad is not None:
        print(f"error: the argument {bad} is not valid UTF-8: pass UTF-8 text (or use a UTF-8 file)", file=sys.stderr)
        return EXIT_BAD_INPUT
    args = build_parser().parse_args(argv)
    try:
        result = args.handler(args)
    except PathLensError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except NotRecordedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NOT_RECORDED
    except ProblemsFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS_FOUND
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _closed_pipe()
    if result is not None:
        try:
            _emit(result)
        except BrokenPipeError:
            return _closed_pipe()
    return 0


def _closed_pipe() -> int:
    """The reader of stdout went away (`... | head`): stop quietly, as Unix tools do, with 128 + SIGPIPE."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # the interpreter's final flush of stdout would raise again
    return 141
