"""What an explanation will cost before it runs: the methods a path allows, cheapest first, and windows × methods.

The estimate counts forward passes of one window (a backward pass as two forwards): a count, not a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.explain import COST_ORDER, DEFAULT_IG_MAX_STEPS, GRADIENT_METHODS, METHODS
from core.path import PathSpec
from core.run import PathEngine, plan_windows

DEFAULT_METHODS = ("gxi", "attention")
FAITHFULNESS_DECISIONS = 11  # ERASER: 5 deletions + 5 keeps + the unchanged text, per method
_BACKWARD = 2  # a backward pass costs about two forward passes


def methods_for(spec: PathSpec) -> tuple[str, ...]:
    """The methods that can explain `spec`, cheapest first (int8 has no gradients: occlusion and attention)."""
    allowed = [m for m in COST_ORDER if m in METHODS]
    if spec.precision == "int8":
        allowed = [m for m in allowed if m not in GRADIENT_METHODS]
    return tuple(allowed)


def default_methods(available: Sequence[str]) -> list[str]:
    """The cheap default (Gradient × Input and attention) among `available`, else the cheapest available one."""
    chosen = [m for m in DEFAULT_METHODS if m in available]
    return chosen or list(available[:1])


def cheapest_first(methods: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted(methods, key=COST_ORDER.index))


@dataclass(frozen=True)
class ExplainCost:
    """The work an explanation of one text will do: `windows` × `methods`, in forward passes of one window."""

    tokens: int
    windows: int
    methods: tuple[str, ...]
    passes: int

    @property
    def window_runs(self) -> int:
        return self.windows * len(self.methods)


def explain_cost(engine: PathEngine, text: str, spec: PathSpec, methods: Sequence[str], n_steps: int) -> ExplainCost:
    """Windows × methods of explaining `text` on `spec` (raises InputError for an empty or too long text)."""
    tokens = len(engine.prepare(text, spec).token_ids) - 2  # content tokens, specials excluded
    windows = len(plan_windows(tokens, engine.model.window))
    per_window = min(tokens, engine.model.window - 2) or 1
    passes = 0
    for method in methods:
        passes += windows * _passes_per_window(method, per_window, n_steps)
        passes += FAITHFULNESS_DECISIONS * windows
    return ExplainCost(tokens, windows, cheapest_first(methods), passes)


def _passes_per_window(method: str, tokens: int, n_steps: int) -> int:
    if method == "ig":  # adaptive IG (n_steps 0) counts its most points
        return (n_steps or DEFAULT_IG_MAX_STEPS) * (1 + _BACKWARD)
    if method in GRADIENT_METHODS:
        return 1 + _BACKWARD
    if method == "occlusion":
        return tokens + 1
    return 1
