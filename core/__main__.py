"""Entry point for `python -m core`.

SIGTERM and Ctrl-C are answered from the first moment: importing torch and transformers takes seconds, and a signal
then gave a traceback (Ctrl-C) or a silent death (SIGTERM). Once a command runs, `core.cli.main` handles them itself.
"""

import signal
import sys
from types import FrameType


def _stopped_while_starting(signum: int, frame: FrameType | None) -> None:
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, signal.SIG_IGN)  # a second signal while exiting says nothing more
    terminated = signum == signal.SIGTERM
    print("terminated" if terminated else "interrupted", file=sys.stderr)
    sys.exit(143 if terminated else 130)


for _number in (signal.SIGTERM, signal.SIGINT):
    signal.signal(_number, _stopped_while_starting)

from core.cli import main  # noqa: E402  (after the handlers: the import is what takes long)

sys.exit(main())
