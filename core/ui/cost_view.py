"""The cost of a decision against the full path, for the page: what is exact first, then the warm times; and the
cost of every depth (the Model page).

Layers, heads and FLOPs are exact counts of what ran. The times come from the DecisionService, which times both paths
alike (`core.run.timing`); a time ratio is shown only when the two ranges of warm times do not overlap, otherwise the
page says the measurement cannot tell them apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.path import PathSpec
from core.run import PathEngine, Timing
from core.service import RecordedDecision
from core.ui.text import format_flops


@dataclass(frozen=True)
class CostComparison:
    """The executed path's cost beside the full path's (same text, withheld groups, precision and device)."""

    executed: dict[str, Any]  # Cost.to_json() of the executed path
    full: dict[str, Any]
    executed_timing: Timing
    full_timing: Timing
    own_reference: bool = False  # the path is its own full-path reference (full, withhold-only, block=, ...)

    def rows(self) -> list[dict[str, Any]]:
        """Exact measures (layers, heads, FLOPs): this path, the full path, and the share of the full path's."""
        rows = []
        for key, name in (("layers_run", "layers"), ("heads_run", "heads"), ("flops", "FLOPs")):
            share = self.executed[key] / self.full[key] if self.full[key] else 0.0
            rows.append({"measure": name, "this path": self.executed[key], "full path": self.full[key], "share": share})
        return rows

    def readable_rows(self) -> list[dict[str, Any]]:
        """`rows()` as a person reads them: FLOPs with units (108.7 GFLOP), counts as they are."""
        return [
            {
                **row,
                "this path": format_flops(row["this path"]) if row["measure"] == "FLOPs" else f"{row['this path']:,}",
                "full path": format_flops(row["full path"]) if row["measure"] == "FLOPs" else f"{row['full path']:,}",
            }
            for row in self.rows()
        ]

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
        """One row per timed path: two, or one when the path is its own reference (it was timed once)."""
        rows = []
        timed = [("this path", self.executed_timing)]
        if self.own_reference:
            timed = [("this path (its own full-path reference)", self.executed_timing)]
        else:
            timed.append(("full path", self.full_timing))
        for name, timing in timed:
            setup = timing.setup_ms
            rows.append(
                {
                    "path": name,
                    "warm time": describe(timing),
                    "first run": f"{timing.first_ms:.1f} ms",
                    "one-time set-up": "none measurable" if setup is None else f"≈ {setup:.1f} ms",
                }
            )
        return rows

    def time_verdict(self) -> str:
        share = self.time_share
        if self.own_reference:
            return "This path is its own full-path reference (every layer and head runs): nothing to compare."
        if not self.full_timing.repeated:
            return "The text is too long to time both paths repeatedly here: compare them by FLOPs."
        if share is None:
            return "Warm times overlap: this measurement cannot tell the two paths' speed apart."
        return f"Warm time: {share:.0%} of the full path's (the ranges do not overlap)."


def describe(timing: Timing) -> str:
    """A path's warm time for the table: median and range, or why it was not repeated."""
    if not timing.repeated:
        return "not repeated (a long text: one run took the whole time budget)"
    spread = f"range {timing.low_ms:.1f}–{timing.high_ms:.1f}, {len(timing.warm_ms)} warm runs"
    return f"{timing.median_ms:.1f} ms ({spread})"


def cost_comparison(audited: RecordedDecision) -> CostComparison:
    """The cost comparison of a decision the DecisionService made with `reference=True` (its reference and timings)."""
    assert audited.reference is not None and audited.timing is not None, "decide with reference=True"
    return CostComparison(
        executed=audited.decision.cost.to_json(),
        full=audited.reference.cost.to_json(),
        executed_timing=audited.timing.executed,
        full_timing=audited.timing.full,
        own_reference=audited.reference.path == audited.decision.path,
    )


def cost_by_depth(engine: PathEngine, tokens: int = 64) -> list[dict[str, Any]]:
    """FLOPs of every depth with an exit head on one text of `tokens` tokens, and its share of the full path's."""
    model = engine.model
    template = model.template
    full = PathSpec.full(template)
    exits = template.exit_layers or tuple(range(template.num_layers))
    specs = [full.replace(layers=tuple(range(layer + 1))) for layer in exits]
    full_flops = model.path_flops(full, tokens)
    rows = []
    for spec in specs:
        flops = model.path_flops(spec, tokens)
        rows.append(
            {"depth": len(spec.layers), "GFLOPs": round(flops / 1e9, 3), "share of full": round(flops / full_flops, 3)}
        )
    return rows
