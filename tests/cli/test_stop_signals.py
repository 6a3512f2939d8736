"""`python -m core`'s stop on SIGTERM or Ctrl-C: the command's clean-up runs whole, then one line says why."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from core.cli import common, main


@pytest.mark.parametrize(
    ("signum", "message", "code"), [(signal.SIGTERM, "terminated", 143), (signal.SIGINT, "interrupted", 130)]
)
def test_more_signals_during_the_clean_up_leave_the_message_on_its_own_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    signum: signal.Signals,
    message: str,
    code: int,
) -> None:
    """A second signal was raised within the clean-up the first started, before the bar's last newline: the message
    was glued to the bar (`... 2/2 [00:03<00:00]terminated`)."""

    def load(args: object) -> None:
        try:
            os.kill(os.getpid(), signum)
            time.sleep(5)  # stopped here
        finally:  # the clean-up: a progress bar's last line, ended after another signal or two came
            sys.stderr.write("audit: 100%|##########| 2/2")
            os.kill(os.getpid(), signum)
            os.kill(os.getpid(), signum)
            time.sleep(0.1)
            sys.stderr.write("\n")

    monkeypatch.setattr(common, "load", load)
    source = tmp_path / "rows.csv"
    source.write_text("text\ngood film\nbad film\n")
    before = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    assert main(["audit", "--input", str(source), "--no-record"]) == code
    assert capsys.readouterr().err == f"audit: 100%|##########| 2/2\n{message}\n"
    # the handlers the process had come back (pytest's own Ctrl-C works again)
    assert {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)} == before


@pytest.mark.parametrize(
    ("signum", "message", "code"), [(signal.SIGTERM, "terminated", 143), (signal.SIGINT, "interrupted", 130)]
)
@pytest.mark.parametrize("after", [0.3, 0.8, 1.5])
def test_a_signal_while_starting_says_why_without_a_traceback(
    signum: signal.Signals, message: str, code: int, after: float
) -> None:
    """Importing torch and the model takes seconds: a Ctrl-C then printed a traceback, SIGTERM killed the process
    without a word, and an exit raised within transformers' lazy import became its "Could not import module"."""
    import subprocess

    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "core", "groups", "--text", "Call Anna"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    time.sleep(after)  # within the imports (seconds), after Python's own start (milliseconds)
    process.send_signal(signum)
    process.send_signal(signum)
    _, err = process.communicate(timeout=120)
    assert (process.returncode, err) == (code, f"{message}\n")  # a signal within a lazy import was an import error
