"""`python -m core COMMAND`: JSON on stdout, progress on stderr, errors as one actionable line and exit code 2.

One module per command family (`decide`, `audit`, `train`, `serve`, `models`, `groups`; the advisor's in
`core.advise.cli`), each with a `register(sub)`; what they share is `common`.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import NoReturn

from core.advise import cli as advise_cli
from core.cli import audit, common, decide, groups, models, serve, train
from core.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_NOT_RECORDED,
    EXIT_PROBLEMS_FOUND,
    NothingReadError,
    NotRecordedError,
    ProblemsFoundError,
)
from core.errors import PathLensError


class _OneLineParser(argparse.ArgumentParser):
    """argparse whose errors are one line, as every other error of the CLI: `error: ...` and exit 2 (no usage block;
    the line says where the usage is). Its sub-command parsers are of this class too."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"error: {message}; see {self.prog} --help\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(prog="python -m core", description="PathLens: run and audit computation paths")
    sub = parser.add_subparsers(dest="command", required=True)
    for family in (decide, audit, train, serve, models, groups):
        family.register(sub)
    advise_cli.register(sub, common.model_args, common.load)
    return parser


def _undecodable(argv: Sequence[str]) -> str | None:
    """Which argument is not valid UTF-8 (Python keeps such bytes as lone surrogates), named by its option and place,
    never by its value (a text, often someone's name), or None."""
    for place, arg in enumerate(argv):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            option = argv[place - 1] if place and argv[place - 1].startswith("-") else None
            return f"the value of {option}" if option else f"argument {place + 1}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    bad = _undecodable(sys.argv[1:] if argv is None else argv)
    if bad is not None:
        print(f"error: {bad} is not valid UTF-8: pass UTF-8 text (or use a UTF-8 file)", file=sys.stderr)
        return EXIT_BAD_INPUT
    args = build_parser().parse_args(argv)
    try:
        with _stop_signals_as_exceptions(args.command != "serve"):  # the server shuts down on its own signals
            try:
                result = args.handler(args)
            except _TerminatedError:  # said while more signals are still ignored: on its own line, and said whole
                print("terminated", file=sys.stderr)
                return 143
            except KeyboardInterrupt:
                print("interrupted", file=sys.stderr)
                return 130
    except PathLensError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except NothingReadError as exc:  # the summary says what was skipped; the error line, why
        try:
            if exc.result is not None:
                common.emit(exc.result)
        except BrokenPipeError:
            return _closed_pipe()
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except NotRecordedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NOT_RECORDED
    except ProblemsFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS_FOUND
    except BrokenPipeError:
        return _closed_pipe()
    if result is not None:
        try:
            common.emit(result)
        except BrokenPipeError:
            return _closed_pipe()
    return 0


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class _TerminatedError(BaseException):
    """SIGTERM (`timeout`, `docker stop`, a CI runner) while a command runs; a BaseException, as KeyboardInterrupt is,
    so that no `except Exception` swallows it."""


@contextmanager
def _stop_signals_as_exceptions(wanted: bool) -> Iterator[None]:
    """SIGTERM raises `_TerminatedError` while a command runs, so that its clean-up runs as on Ctrl-C (an `--out` file's
    `.partial` is removed; before, SIGTERM killed the process and left it). Once one SIGTERM or SIGINT has stopped the
    command, more of either are ignored until its clean-up is done: one raised within it cut it short, e.g. before
    the progress bar's last newline, and "terminated" was glued to the bar. Only in the main thread, where Python lets
    a handler be set; the previous handlers come back after."""
    if not wanted or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> NoReturn:
        for number in STOP_SIGNALS:
            signal.signal(number, signal.SIG_IGN)
        raise _TerminatedError if signum == signal.SIGTERM else KeyboardInterrupt

    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _closed_pipe() -> int:
    """The reader of stdout went away (`... | head`): stop quietly, as Unix tools do, with 128 + SIGPIPE."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # the interpreter's final flush of stdout would raise again
    return 141
