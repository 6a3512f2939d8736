"""Timing two paths alike: both warm, interleaved, the same number of times, their first runs kept apart.

Wall time is noisy and the first run of a path pays one-time set-up (a quantised or pruned variant is built on
first use), so a path's first run is reported apart from its warm runs, and the warm runs of the two paths
alternate so that a change of load slows both alike.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from core.path import PathSpec
from core.run.engine import Decision, PathEngine

REPEATS = 5
BUDGET_S = 1.5  # no new repeat starts after this long (a long text gets fewer repeats, or none)


@dataclass(frozen=True)
class Timing:
    """Warm wall times of one path (ms), plus its first run, which includes any one-time set-up."""

    first_ms: float
    warm_ms: tuple[float, ...]

    @property
    def repeated(self) -> bool:
        return bool(self.warm_ms)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.warm_ms)

    @property
    def low_ms(self) -> float:
        return min(self.warm_ms)

    @property
    def high_ms(self) -> float:
        return max(self.warm_ms)

    @property
    def setup_ms(self) -> float | None:
        """First run minus the slowest warm run, when the first run is slower than every warm one."""
        if not self.repeated:
            return None
        extra = self.first_ms - self.high_ms
        return extra if extra > 0 else None


@dataclass(frozen=True)
class PairTiming:
    """A decided path and its full-path reference, timed alike on the same text."""

    executed: Timing
    full: Timing


def full_reference(spec: PathSpec) -> PathSpec:
    """The full path on the same input, precision and device: every layer in order, every head on, no exit policy."""
    return spec.replace(layers=tuple(range(spec.template.num_layers)), heads_off=frozenset(), exit=None)


def decide_full_and_time(
    engine: PathEngine, text: str, decision: Decision, spec: PathSpec
) -> tuple[Decision, PairTiming]:
    """The full-path reference of `decision` (made on `spec`) and both paths' timings, taken alike.

    The reference's first run and the warm runs all start within BUDGET_S, so a long text is not repeated and the
    answer does not wait for it; the decision's own first run is its recorded latency. A full `spec` is its own
    reference and is timed once.
    """
    full = full_reference(spec)
    deadline = time.perf_counter() + BUDGET_S
    reference = decision if full == spec else engine.decide(text, full)
    mine: list[float] = []
    theirs: list[float] = []
    while len(mine) < REPEATS and time.perf_counter() < deadline:
        mine.append(engine.decide(text, spec).cost.latency_ms)
        if full != spec:
            theirs.append(engine.decide(text, full).cost.latency_ms)
    executed = Timing(decision.cost.latency_ms, tuple(mine))
    timing = PairTiming(executed, executed if full == spec else Timing(reference.cost.latency_ms, tuple(theirs)))
    return reference, timing
