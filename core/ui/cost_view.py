"""The cost of a decision against the full path, measured alike: what is exact first, then warm times.

Layers, heads and FLOPs are exact counts of what ran. Wall time is noisy and the first run of a path pays one-time
set-up (a quantised or pruned variant is built on first use), so both paths are timed warm, interleaved, the same
number of times, and the first run is reported apart. A time ratio is shown only when the two ranges of warm
times do not overlap; otherwise the page says the measurement cannot tell them apart.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from core.engine import PathEngine
from core.paths import PathSpec

REPEATS = 5
BUDGET_S = 1.5  # timing stops starting new repeats after this long (long texts get fewer, or none)


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

    def describe(self) -> str:
        if not self.repeated:
            return "not repeated (a long text: one run took the whole time budget)"
        return f"{self.median_ms:.1f} ms (range {self.low_ms:.1f}–{self.high_ms:.1f}, {len(self.warm_ms)} warm runs)"


@dataclass(frozen=True)
class CostComparison:
    """The executed path's cost beside the full path's (same text, withheld groups, precision and device)."""

    executed: dict[str, Any]  # Cost.to_json() of the executed path
    full: dict[str, Any]
    executed_timing: Timing
    full_timing: Timing

    def rows(self) -> list[dict[str, Any]]:
        """Exact measures (layers, heads, FLOPs): this path, the full path, and the share of the full path's."""
        rows = []
        for key, name in (("layers_run", "layers"), ("heads_run", "heads"), ("flops", "FLOPs")):
            share = self.executed[key] / self.full[key] if self.full[key] else 0.0
            rows.append({"measure": name, "this path": self.executed[key], "full path": self.full[key], "share": share})
        return rows

    @property
    def time_share(self) -> float | None:
        """Warm median time as a share of the full path's, or None when the warm ranges overlap (noise)."""
        mine, full = self.executed_timing, self.full_timing
        if not (mine.repeated and full.repeated):
            return None
        if mine.high_ms < full.low_ms or mine.low_ms > full.high_ms:
            return mine.median_ms / full.median_ms
        return None

    def timing_rows(self) -> list[dict[str, str]]:
        rows = []
        for name, timing in (("this path", self.executed_timing), ("full path", self.full_timing)):
            setup = timing.setup_ms
            rows.append(
                {
                    "path": name,
                    "warm time": timing.describe(),
                    "first run": f"{timing.first_ms:.1f} ms",
                    "one-time set-up": "none measurable" if setup is None else f"≈ {setup:.1f} ms",
                }
            )
        return rows

    def time_verdict(self) -> str:
        share = self.time_share
        if not self.full_timing.repeated:
            return "The text is too long to time both paths repeatedly here: compare them by FLOPs."
        if share is None:
            return "Warm times overlap: this measurement cannot tell the two paths' speed apart."
        return f"Warm time: {share:.0%} of the full path's (the ranges do not overlap)."


def full_path_of(spec: PathSpec) -> PathSpec:
    """Every layer and head on, with the same withheld groups, precision and device."""
    return spec.replace(layers=tuple(range(spec.template.num_layers)), heads_off=frozenset())


def measure_cost(
    engine: PathEngine,
    text: str,
    spec: PathSpec,
    executed: dict[str, Any],
    foreground: Callable[[], AbstractContextManager[None]],
) -> CostComparison:
    """Time `spec` and its full path alike: interleaved warm runs within BUDGET_S, under `foreground`.

    `executed` is the recorded decision's cost (its latency is the first run of the path, set-up included).
    """
    full_spec = full_path_of(spec)
    deadline = time.perf_counter() + BUDGET_S  # a long text gets fewer repeats, or none: the answer waits for this
    with foreground():  # the background worker waits meanwhile, so it does not slow either path
        full_first = engine.decide(text, full_spec)
        mine: list[float] = []
        full: list[float] = []
        while len(mine) < REPEATS and time.perf_counter() < deadline:
            mine.append(engine.decide(text, spec).cost.latency_ms)
            full.append(engine.decide(text, full_spec).cost.latency_ms)
    return CostComparison(
        executed=executed,
        full=full_first.cost.to_json(),
        executed_timing=Timing(float(executed["latency_ms"]), tuple(mine)),
        full_timing=Timing(full_first.cost.latency_ms, tuple(full)),
    )
