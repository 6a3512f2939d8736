"""Entry point for `python -m core`.

SIGTERM and Ctrl-C are answered from the first moment: importing torch and transformers takes seconds, and a signal
then gave a traceback (Ctrl-C) or a silent death (SIGTERM). While importing, nothing is written yet, so the process
says why and ends at once (an exception raised there would be wrapped by a library's lazy import as an import error).
Once the imports are done the previous handlers come back, and a running command handles both (`core.cli.main`).
"""

import os
import signal
import sys
from types import FrameType

_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


_answered: list[int] = []  # the signal being answered: a second one before os._exit says nothing more


def _stopped_while_starting(signum: int, frame: FrameType | None) -> None:
    if _answered:  # Python may run the next signal's handler between os.write and os._exit: "terminated" twice
        return
    _answered.append(signum)
    terminated = signum == signal.SIGTERM
    os.write(2, b"terminated\n" if terminated else b"interrupted\n")
    os._exit(143 if terminated else 130)


_previous = {number: signal.signal(number, _stopped_while_starting) for number in _STOP_SIGNALS}

from core.cli import main  # noqa: E402  (after the handlers: the import is what takes long)

for _number, _handler in _previous.items():
    signal.signal(_number, _handler)
sys.exit(main())
