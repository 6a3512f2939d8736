"""What every command shares: the model and store options, loading, JSON output, progress bars, exit codes."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # core.explain loads torch: a command that explains nothing need not wait for it
    from core.explain import Progress

EXIT_PROBLEMS_FOUND = 1  # `store check`: the report is printed and lists problems
EXIT_BAD_INPUT = 2
EXIT_NOT_RECORDED = 3  # `decide`: the decision was made and printed, but the record write failed

Handler = Callable[[argparse.Namespace], dict[str, Any] | None]  # None: the handler printed its JSON itself


def model_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        metavar="NAME|DIR",
        help="a shipped model (sst2, banking77, fintweets; `models` lists them) or a local Hugging Face checkpoint "
        "directory (default: PATHLENS_MODEL or sst2)",
    )
    parser.add_argument("--heads", help="exit-heads artifact directory for --model DIR (default: PATHLENS_HEADS)")
    group_args(parser)


def group_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--group",
        action="append",
        default=[],
        metavar="NAME=regex:PATTERN|NAME=words:A,B",
        help="a user-defined input group that a path may withhold (repeatable)",
    )


def load(args: argparse.Namespace) -> Any:
    from core.model import load_model
    from core.path import parse_group_option
    from core.run import PathEngine

    groups = tuple(parse_group_option(option) for option in args.group)
    return PathEngine(load_model(args.model, args.heads, groups))


def store_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        help="decision record: file path or database URL (default: PATHLENS_STORE or .pathlens/decisions.sqlite)",
    )


def fail_if_nothing_read(rows: int, skipped: int, reasons: Sequence[str], summary: dict[str, Any] | None) -> None:
    """Raise `NothingReadError` where not one row of the input was read (`core.audit.io.nothing_read_warning`), with
    the summary to print (None where the rows went to stdout and there is none)."""
    from core.audit import nothing_read_warning

    warning = nothing_read_warning(rows, skipped, reasons)
    if warning:
        raise NothingReadError(warning, summary)


def emit(result: dict[str, Any]) -> None:
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    sys.stdout.flush()


class NotRecordedError(Exception):
    """The decision was made and printed, but its record could not be written (exit code 3)."""


class NothingReadError(Exception):
    """Not one row of the input could be read (a whole export in Latin-1): the summary is printed all the same, the
    reason is the error line and the exit code 2, so that a script does not take it for a clean run."""

    def __init__(self, message: str, result: dict[str, Any] | None) -> None:
        super().__init__(message)
        self.result = result


class ProblemsFoundError(Exception):
    """`store check` printed its report and found problems (exit code 1)."""


@contextmanager
def progress_bar(desc: str, shown: bool) -> Iterator[Progress | None]:
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


def wait_for_comparisons(service: Any, queued: int) -> None:
    from tqdm import tqdm

    if not queued:
        return
    with tqdm(total=1, desc="comparison set", unit="set", file=sys.stderr, leave=False) as bar:
        service.close()
        bar.update(1)


def bounded(low: int, high: int, note: str = "") -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`; anything else is refused in one line saying so (with
    `note`, e.g. what 0 means), e.g. `argument --port: 70000 is not a whole number from 0 to 65535`."""

    def parse(value: str) -> int:
        number = int(value) if value.strip().lstrip("+-").isdigit() and value.isascii() else None
        if number is None or not low <= number <= high:
            raise argparse.ArgumentTypeError(
                f"{value} is not a whole number from {low} to {high}" + (f" ({note})" if note else "")
            )
        return number

    return parse
