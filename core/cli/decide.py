"""`decide`, `compare`, `reproduce`, `resume`: one decision, its paths not taken, and its record."""

from __future__ import annotations

import argparse
from typing import Any

from core.advise import cli as advise_cli
from core.cli import common
from core.errors import InputError


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
    common.store_args(decide)
    common.model_args(decide)
    decide.set_defaults(handler=cmd_decide)


def cmd_decide(args: argparse.Namespace) -> dict[str, Any] | None:
    """Print the primary answer at once, then wait (progress on stderr) until its comparison set is stored."""
    from core.explain import IGOptions
    from core.service import DecisionService
    from core.store import open_store

    explain, heads = _explain_methods(args.explain)
    if args.target is not None and not explain:
        raise InputError("--target picks the label to explain: give --explain too, e.g. --explain ig")
    engine = common.load(args)
    spec = engine.parse(args.path)
    extra = [engine.parse(path) for path in args.also]
    service = DecisionService(engine, None if args.no_record else open_store(args.store))
    with common.progress_bar("explain", bool(explain)) as progress:
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
    common.emit(
        audited.to_json() | ({"head_importance": advise_cli.heads_json(engine, args.text, spec)} if heads else {})
    )
    common.wait_for_comparisons(service, audited.record.alternatives_queued)
    if audited.record.status == "failed":
        raise common.NotRecordedError(f"the decision was printed but NOT recorded: {audited.record.error}")
    return None


def _explain_methods(option: str | None) -> tuple[list[str], bool]:
    """`--explain`'s methods (without `heads`) and whether `heads` was asked for, checked before anything runs: an
    unknown, empty or repeated name is refused in one line that lists the valid methods."""
    if option is None:
        return [], False
    names = [name.strip().lower() for name in option.split(",")]  # IG and ig alike, as " ig" and "ig"
    explain, heads = advise_cli.split_heads([name for name in names if name])  # an unknown name is refused here
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if not any(names):
        problem = "names no method"
    elif "" in names:
        problem = f"has an empty method name in {option!r}"
    elif repeated:
        problem = f"names {', '.join(repeated)} more than once"
    else:
        return explain, heads
    from core.explain import METHODS

    valid = ",".join([*METHODS, advise_cli.HEADS_METHOD])
    raise InputError(f"--explain {problem}: give each method once, separated by commas, from {valid}")


def _compare_parser(sub: Any) -> None:
    compare = sub.add_parser("compare", help="a stored decision vs its paths not taken (or decide --text first)")
    compare.add_argument("--decision", help="id of a stored decision")
    compare.add_argument("--text", help="decide this text now, then compare")
    compare.add_argument("--path", default="full", help="with --text: the executed path")
    compare.add_argument("--also", action="append", default=[], metavar="PATH", help="with --text: extra path")
    compare.add_argument("--wait", type=float, default=30.0, help="seconds to wait for pending alternatives")
    common.store_args(compare)
    common.model_args(compare)
    compare.set_defaults(handler=cmd_compare)


def cmd_compare(args: argparse.Namespace) -> dict[str, Any] | None:
    from core.service import DecisionService, compare_decision
    from core.store import open_store

    store = open_store(args.store)
    if args.decision:
        return compare_decision(store, args.decision, args.wait).to_json()
    if not args.text:
        raise InputError("give --decision ID (a stored decision) or --text with --path (decide and compare now)")
    engine = common.load(args)
    service = DecisionService(engine, store)
    audited = service.decide(args.text, engine.parse(args.path), extra_paths=[engine.parse(p) for p in args.also])
    service.close(args.wait)
    return service.compare(audited.decision.decision_id).to_json()


def _reproduce_parser(sub: Any) -> None:
    reproduce = sub.add_parser("reproduce", help="re-run a stored decision and report whether its outputs match")
    reproduce.add_argument("--decision", required=True, help="id of a stored decision")
    reproduce.add_argument("--text", help="the decided text, when it was not kept")
    common.store_args(reproduce)
    common.model_args(reproduce)
    reproduce.set_defaults(handler=cmd_reproduce)


def cmd_reproduce(args: argparse.Namespace) -> dict[str, Any] | None:
    from core.store import open_store

    store = open_store(args.store)
    return _service_of_decision(args, store, args.decision).reproduce(args.decision, args.text).to_json()


def _service_of_decision(args: argparse.Namespace, store: Any, decision_id: str) -> Any:
    """The service to re-run a stored decision with, as the HTTP API picks it (`core.service.own_model`): the model
    that made it unless `--model` (or `--heads`) names one; a model that did not make it is refused, naming both.
    An unknown decision, or one whose text was not kept and is not given, is refused before a model loads."""
    from core.service import DecisionService, own_model
    from core.store import model_names

    record = store.get(decision_id)
    if record.text is None and args.text is None:
        raise InputError(f"the text of decision {decision_id} was not kept: pass it again with --text")
    if args.model is None and args.heads is None:
        args.model = own_model(record, model_names(store))  # None: PATHLENS_MODEL, else sst2
    return DecisionService(common.load(args), store)


def _resume_parser(sub: Any) -> None:
    resume = sub.add_parser("resume", help="recompute alternatives that a killed process left unfinished")
    resume.add_argument("--decision", help="also recompute this decision's failed alternatives")
    resume.add_argument("--text", help="with --decision: its text, when it was not kept")
    common.store_args(resume)
    common.model_args(resume)
    resume.set_defaults(handler=cmd_resume)


def cmd_resume(args: argparse.Namespace) -> dict[str, Any]:
    """Recompute alternatives a killed process left unfinished; wait until they are stored."""
    from core.service import DecisionService
    from core.store import open_store

    if args.text is not None and not args.decision:
        raise InputError("--text belongs to one decision: give --decision ID too")
    store = open_store(args.store)  # the service takes over orphans of decisions whose text was kept
    service = (
        _service_of_decision(args, store, args.decision) if args.decision else DecisionService(common.load(args), store)
    )
    recomputed = service.resume(args.decision, args.text) if args.decision else 0
    common.wait_for_comparisons(service, service.pending())
    result: dict[str, Any] = {"resumed_decisions": service.resumed, "recomputed_alternatives": recomputed}
    if args.decision:
        result["comparison"] = service.compare(args.decision).to_json()
    return result


def register(sub: Any) -> None:
    """Add the sub-commands of this module to the CLI's sub-parsers."""
    for add in (_decide_parser, _compare_parser, _reproduce_parser, _resume_parser):
        add(sub)
