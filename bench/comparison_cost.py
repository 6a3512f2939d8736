"""Cost of the paths not taken: primary latency with the background comparison on vs off, the comparison set's
cost vs one full forward and vs each path run alone, and the record's write/read throughput. One run, ratios.

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.comparison_cost [--rounds 30]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from core.model import load_model
from core.run import PathEngine
from core.service import DecisionService, comparison_set, compute_alternatives
from core.store import AlternativeRecord, DecisionRecord, open_store

TEXTS = [
    "The plot drags, but the lead performance is quietly devastating and worth the ticket.",
    "Customer service never answered my e-mail; I want a refund for this broken kettle.",
    "A warm, funny film that knows exactly when to stop.",
]


def median_ms(run: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def primary_latency(engine: PathEngine, rounds: int, folder: Path) -> tuple[float, float]:
    """Medians, interleaved per round: a primary with nothing in the background (off), and one decided while the
    previous decision's comparison set is being computed in the background (on)."""
    spec = engine.parse("depth=3")
    service = DecisionService(engine, open_store(folder / "latency.sqlite"))
    off, on = [], []
    for round_index in range(rounds):
        text = TEXTS[round_index % len(TEXTS)]
        service.wait()
        off.append(median_ms(lambda t=text: service.decide(t, spec, compare=False), 1))
        service.decide(text, spec)  # queues a comparison set
        on.append(median_ms(lambda t=text: service.decide(t, spec), 1))
    service.close()
    return statistics.median(off), statistics.median(on)


def store_throughput(folder: Path, count: int) -> tuple[float, float]:
    store = open_store(folder / "throughput.sqlite")
    records = [
        DecisionRecord(
            decision_id=f"d{n:08d}",
            created_at=f"2025-01-01T00:00:{n % 60:02d}+00:00",
            model_fingerprint="m",
            path="depth=3",
            path_id="p",
            input_fingerprint=store.input_fingerprint(str(n)),
            withheld={},
            label="positive",
            probs={"negative": 0.2, "positive": 0.8},
            logits=(0.1, 0.9),
            cost={"flops": 1},
            tokens={"total": 20, "kept": 20},
            alternatives=tuple(AlternativeRecord(f"depth={d}", f"a{d}") for d in range(5)),
        )
        for n in range(count)
    ]
    started = time.perf_counter()
    for record in records:
        store.insert(record)
    writes = count / (time.perf_counter() - started)
    started = time.perf_counter()
    for record in records:
        store.get(record.decision_id)
    reads = count / (time.perf_counter() - started)
    return writes, reads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--records", type=int, default=300)
    args = parser.parse_args()
    engine = PathEngine(load_model())
    executed = engine.parse("depth=3")
    alternatives = list(comparison_set(executed))
    full = engine.parse("full")
    text = TEXTS[0]
    engine.decide(text, full)  # warm up
    shared, alone, separate = [], [], []
    for _ in range(args.rounds):  # interleaved, so load from elsewhere hits all three alike
        shared.append(median_ms(lambda: compute_alternatives(engine, [text], alternatives), 1))
        alone.append(median_ms(lambda: engine.decide(text, full), 1))
        separate.append(median_ms(lambda: [engine.decide(text, spec) for spec in alternatives], 1))
    shared_ms, full_ms, separate_ms = (statistics.median(x) for x in (shared, alone, separate))
    with tempfile.TemporaryDirectory() as folder:
        off_ms, on_ms = primary_latency(engine, args.rounds, Path(folder))
        writes, reads = store_throughput(Path(folder), args.records)
    print(f"comparison set of {executed.canonical!r}: {', '.join(s.canonical for s in alternatives)}")
    print(
        f"primary latency (median of {args.rounds}): comparison off {off_ms:.1f} ms, on {on_ms:.1f} ms, "
        f"ratio {on_ms / off_ms:.2f}x (goal <= 1.1x)"
    )
    print(
        f"comparison set {shared_ms:.1f} ms vs one full forward {full_ms:.1f} ms: {shared_ms / full_ms:.2f}x "
        "(goal <= 1.3x)"
    )
    print(
        f"comparison set shared {shared_ms:.1f} ms vs each path alone {separate_ms:.1f} ms: "
        f"{separate_ms / shared_ms:.2f}x faster"
    )
    print(
        f"store (SQLite, one connection per operation): {writes:.0f} decision writes/s (5 alternatives each), "
        f"{reads:.0f} reads/s"
    )


if __name__ == "__main__":
    main()
