"""What refusing a hostile path costs: CPU time and peak traced memory of `PathSpec.parse` on paths that name
layers far beyond the model (issue 25, row 1), on the bundled model's template (6 layers × 12 heads).

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.path_refusal [--rounds 20]
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

from core.errors import InputError
from core.path import ModelTemplate, PathSpec

TEMPLATE = ModelTemplate(6, 12, ("email", "phone", "quote"))
HOSTILE = (
    "layers=0-10000000",
    "layers=0-999999999",
    "block=quote@0-999999999",
    "heads_off=999999999.*",
    "layers=0-" + "9" * 4000,
    "exit=confidence>=" + "9" * 6000 + "x",
)


def measure(text: str, rounds: int) -> tuple[float, float, str]:
    """(median CPU ms, peak traced MB, the refusal) of parsing `text`."""
    spent: list[float] = []
    refusal = "accepted"
    for _ in range(rounds):
        started = time.thread_time()
        try:
            PathSpec.parse(text, TEMPLATE)
        except InputError as exc:
            refusal = str(exc)
        spent.append((time.thread_time() - started) * 1000)
    tracemalloc.start()
    try:
        PathSpec.parse(text, TEMPLATE)
    except InputError:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    return statistics.median(spent), peak, refusal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    print("| path | CPU ms (median) | peak MB | refusal |")
    print("| --- | --- | --- | --- |")
    for text in HOSTILE:
        ms, peak, refusal = measure(text, args.rounds)
        shown = text if len(text) <= 30 else f"{text[:24]}... ({len(text)} chars)"
        print(f"| `{shown}` | {ms:.3f} | {peak:.3f} | {refusal[:70]} |")


if __name__ == "__main__":
    main()
