"""The exit-policy trade-off for the Model page: accuracy vs compute of many policies, from one pass over a table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from core.run import PathEngine
from core.training import ExitTable, exit_table, sweep


@dataclass(frozen=True)
class TradeoffView:
    """A sweep of exit policies on one labelled table along one path (its exit policy left aside).

    `point(path)` simulates any policy on the same per-exit outputs, so the current policy's point needs no pass.
    """

    source: str
    path: str
    rows: int
    without_policy: dict[str, Any]
    policies: tuple[dict[str, Any], ...]
    _table: ExitTable

    def point(self, engine: PathEngine, path: str) -> dict[str, Any] | None:
        """The outcome of `path`'s exit policy, when `path` has one and runs the swept path's layers."""
        spec = engine.parse(path)
        if spec.exit is None or spec.replace(exit=None).canonical != self.path:
            return None
        return self._table.outcome(spec.exit)

    def series(self, rule: str) -> list[dict[str, Any]]:
        """The sweep's rows of one rule ('confidence' or 'patience'), in sweep order."""
        return [row for row in self.policies if row["policy"].startswith(f"exit={rule}")]


def exit_tradeoff(
    engine: PathEngine,
    frame: pd.DataFrame,
    text_col: str,
    label_col: str,
    path: str,
    source: str,
    progress: Callable[[float], None],
) -> TradeoffView:
    """Sweep confidence thresholds and patiences on `frame` along `path`'s layers (raises a UserError on bad input)."""
    table = exit_table(engine, frame, text_col, label_col, path, progress=progress)
    result = sweep(table)
    return TradeoffView(
        source, result["path"], result["rows"], result["without_policy"], tuple(result["policies"]), table
    )
