"""Explanations for the dashboard: the JSON of `core.explain` (computed by the DecisionService) read into plain views.

The view is built from `ExplanationSet.to_json()` (the form the record stores), so an explanation computed for
the page, in the background or read from the record draws the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.explain import ExplanationSet, MethodResult
from core.ui.text import ScoredUnit, Segment, scored_segments

METHOD_NAMES = {
    "ig": "Integrated Gradients",
    "gxi": "Gradient × Input",
    "saliency": "Saliency",
    "lrp": "AttnLRP",
    "occlusion": "Occlusion",
    "attention": "Attention rollout",
}
RANDOM = "random (floor)"


@dataclass(frozen=True)
class MethodView:
    """One method's score per unit, its ERASER figures (None when not computed) and, for IG, its delta."""

    method: str
    scores: tuple[float, ...]
    seconds: float
    comprehensiveness: float | None
    sufficiency: float | None
    convergence_delta: float | None = None
    relative_delta: float | None = None


@dataclass(frozen=True, eq=False)
class ExplanationView:
    """Every method's explanation of one decision, ready to draw; `maps` hold (T, T) per head that ran."""

    target: str
    units: tuple[ScoredUnit, ...]  # scores of the unit are 0; a method's scores are in `methods`
    unit_texts: tuple[str, ...]  # what each unit reads as (`[group]` for a withheld span)
    methods: dict[str, MethodView]
    agreement: dict[str, float]
    random_floor: tuple[float, float] | None  # (comprehensiveness, sufficiency) of a random ranking
    maps: dict[tuple[int, int], np.ndarray]
    map_tokens: tuple[str, ...]
    executed_layers: tuple[int, ...]
    notes: tuple[str, ...]
    programmed: frozenset[tuple[int, int]] = frozenset()  # (layer, head) whose attention block=/emphasize= changed

    def segments(self, text: str, method: str) -> list[Segment]:
        """The original text with `method`'s score shaded over each unit, withheld spans boxed."""
        scores = self.methods[method].scores
        units = [ScoredUnit(u.start, u.end, s, u.withheld) for u, s in zip(self.units, scores, strict=True)]
        return scored_segments(text, units)

    def withheld_flags(self) -> tuple[bool, ...]:
        return tuple(unit.withheld is not None for unit in self.units)

    def faithfulness_rows(self, with_floor: bool = True) -> list[dict[str, Any]]:
        """One row per method (and the random floor): comprehensiveness (higher better), sufficiency (lower)."""
        floor = self.random_floor
        rows = [
            {
                "method": METHOD_NAMES.get(name, name),
                "comprehensiveness": view.comprehensiveness,
                "sufficiency": view.sufficiency,
                "beats random": None
                if floor is None or view.comprehensiveness is None or view.sufficiency is None
                else view.comprehensiveness > floor[0] and view.sufficiency < floor[1],
                "seconds": round(view.seconds, 3),
            }
            for name, view in self.methods.items()
        ]
        if with_floor and floor is not None:
            rows.append({"method": RANDOM, "comprehensiveness": floor[0], "sufficiency": floor[1]})
        return rows

    def agreement_matrix(self) -> tuple[list[str], np.ndarray]:
        """Method names and their symmetric Spearman matrix (1 on the diagonal)."""
        names = list(self.methods)
        matrix = np.eye(len(names))
        for pair, value in self.agreement.items():
            first, second = pair.split("~")
            if first in names and second in names:
                matrix[names.index(first), names.index(second)] = matrix[names.index(second), names.index(first)] = (
                    value
                )
        return [METHOD_NAMES.get(n, n) for n in names], matrix


def explanation_view(data: Mapping[str, Any], executed_layers: tuple[int, ...]) -> ExplanationView:
    """The view of an explanation's JSON (`ExplanationSet.to_json()`); unit texts may be redacted (`#i`)."""
    explanations = ExplanationSet.from_json(data)
    units = tuple(ScoredUnit(u.start, u.end, 0.0, u.withheld) for u in explanations.units)
    texts = tuple(f"[{u.withheld}]" if u.withheld else (u.text or f"#{i}") for i, u in enumerate(explanations.units))
    maps: dict[tuple[int, int], np.ndarray] = {}
    programmed: set[tuple[int, int]] = set()
    for layer_maps in explanations.attention_maps:
        for head, matrix in zip(layer_maps.heads, layer_maps.weights, strict=True):
            maps[(layer_maps.layer, head)] = matrix  # (T, T)
        programmed.update((layer_maps.layer, head) for head in layer_maps.programmed)
    floor = explanations.random_ranking
    return ExplanationView(
        target=explanations.target,
        units=units,
        unit_texts=texts,
        methods={name: _method_view(result) for name, result in explanations.methods.items()},
        agreement=explanations.agreement,
        random_floor=None if floor is None else (floor.comprehensiveness, floor.sufficiency),
        maps=maps,
        map_tokens=explanations.attention_tokens,
        executed_layers=executed_layers,
        notes=explanations.notes,
        programmed=frozenset(programmed),
    )


def _method_view(result: MethodResult) -> MethodView:
    figures = result.faithfulness
    return MethodView(
        method=result.method,
        scores=result.scores,
        seconds=result.seconds,
        comprehensiveness=None if figures is None else figures.comprehensiveness,
        sufficiency=None if figures is None else figures.sufficiency,
        convergence_delta=result.convergence_delta,
        relative_delta=result.relative_delta,
    )
