"""The result types of an explanation: plain data (floats, strings, numpy), with a JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.errors import InputError
from core.explain.attention_maps import MAP_SCALE, LayerMaps
from core.explain.faithfulness import Faithfulness
from core.explain.methods import DEFAULT_IG_TOLERANCE
from core.explain.units import Unit


@dataclass(frozen=True)
class MethodResult:
    """One method's score per unit, its faithfulness and time; IG adds its convergence delta.

    For a text read in several windows, `convergence_delta` and `relative_delta` are those of the window whose
    relative delta (|delta| / |f(x) - f(baseline)|) is largest. IG also records `steps` (the most points any
    window evaluated) and `within_tolerance` (False flags a window whose relative delta exceeds the tolerance).
    """

    method: str
    scores: tuple[float, ...]
    seconds: float
    faithfulness: Faithfulness | None
    convergence_delta: float | None = None
    relative_delta: float | None = None
    steps: int | None = None
    within_tolerance: bool | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "scores": [round(score, 6) for score in self.scores],
            "seconds": round(self.seconds, 4),
            "faithfulness": None if self.faithfulness is None else self.faithfulness.to_json(),
        }
        if self.convergence_delta is not None:
            data["convergence_delta"] = round(self.convergence_delta, 8)
            data["relative_delta"] = None if self.relative_delta is None else round(self.relative_delta, 8)
            data["steps"] = self.steps
            data["within_tolerance"] = self.within_tolerance
        return data

    @classmethod
    def from_json(cls, method: str, data: Mapping[str, Any]) -> MethodResult:
        """The result `to_json` wrote for `method`."""
        figures = data["faithfulness"]
        delta = data.get("convergence_delta")
        return cls(
            method=method,
            scores=tuple(float(score) for score in data["scores"]),
            seconds=float(data["seconds"]),
            faithfulness=None if figures is None else _faithfulness(figures),
            convergence_delta=None if delta is None else float(delta),
            relative_delta=data.get("relative_delta"),
            steps=data.get("steps"),
            within_tolerance=data.get("within_tolerance"),
        )


@dataclass(frozen=True, eq=False)
class ExplanationSet:
    """Every asked method's explanation of one decision along one path, over the same units of the text.

    `attention_maps` holds the maps of the executed layers (only heads that ran) when attention was asked and
    the text fit in one window; `attention_tokens` labels their axes (specials included, withheld spans as the
    placeholder). `agreement` is the Spearman rank correlation of each pair of methods ("ig~attention").
    `random_ranking` is the faithfulness of a seeded random ranking, the floor a method should beat. Faithfulness
    figures are None when they were not asked for.
    """

    label: str
    target: str
    probs: dict[str, float]
    path: str
    path_id: str
    windows: int
    n_steps: int | None  # IG's fixed steps; None: adaptive to `ig_tolerance`
    ig_tolerance: float
    units: tuple[Unit, ...]
    methods: dict[str, MethodResult]
    attention_maps: tuple[LayerMaps, ...]
    attention_tokens: tuple[str, ...]
    skipped_layers: tuple[int, ...]
    agreement: dict[str, float]
    random_ranking: Faithfulness | None
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "label": self.label,
            "target": self.target,
            "probs": self.probs,
            "path": self.path,
            "path_id": self.path_id,
            "windows": self.windows,
            "n_steps": self.n_steps,
            "ig_tolerance": self.ig_tolerance,
            "units": [unit.to_json() for unit in self.units],
            "methods": {name: result.to_json() for name, result in self.methods.items()},
            "agreement": {pair: round(value, 4) for pair, value in self.agreement.items()},
            "random_ranking": None if self.random_ranking is None else self.random_ranking.to_json(),
            "notes": list(self.notes),
        }
        if "attention" in self.methods:
            data["attention"] = {
                "tokens": list(self.attention_tokens),
                "skipped_layers": list(self.skipped_layers),
                "scale": MAP_SCALE,
                "layers": [layer_maps.to_json() for layer_maps in self.attention_maps],
            }
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ExplanationSet:
        """The explanations `to_json` wrote (as the record stores them, unit texts None when redacted): the one
        reader of stored explanations. Raises InputError, naming what is missing, for anything else."""
        try:
            return cls._from_json(data)
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise InputError(
                f"stored explanations are not an ExplanationSet's JSON ({type(error).__name__}: {error}): "
                "explain the decision again"
            ) from error

    @classmethod
    def _from_json(cls, data: Mapping[str, Any]) -> ExplanationSet:
        attention = data.get("attention") or {}
        scale = float(attention.get("scale", MAP_SCALE))
        floor = data["random_ranking"]
        return cls(
            label=str(data["label"]),
            target=str(data["target"]),
            probs={label: float(p) for label, p in data["probs"].items()},
            path=str(data["path"]),
            path_id=str(data["path_id"]),
            windows=int(data["windows"]),
            n_steps=data["n_steps"],
            ig_tolerance=float(data.get("ig_tolerance", DEFAULT_IG_TOLERANCE)),  # records before adaptive IG lack it
            units=tuple(_unit(unit) for unit in data["units"]),
            methods={name: MethodResult.from_json(name, result) for name, result in data["methods"].items()},
            attention_maps=tuple(_layer_maps(layer, scale) for layer in attention.get("layers", ())),
            attention_tokens=tuple(attention.get("tokens", ())),
            skipped_layers=tuple(int(layer) for layer in attention.get("skipped_layers", ())),
            agreement={pair: float(value) for pair, value in data["agreement"].items()},
            random_ranking=None if floor is None else _faithfulness(floor),
            notes=tuple(data["notes"]),
        )


def _unit(data: Mapping[str, Any]) -> Unit:
    return Unit(data["text"], int(data["start"]), int(data["end"]), int(data["word"]), data.get("withheld"))


def _faithfulness(data: Mapping[str, Any]) -> Faithfulness:
    return Faithfulness(
        comprehensiveness=float(data["comprehensiveness"]),
        sufficiency=float(data["sufficiency"]),
        comprehensiveness_by_fraction=tuple(data["comprehensiveness_by_fraction"]),
        sufficiency_by_fraction=tuple(data["sufficiency_by_fraction"]),
        fractions=tuple(data["fractions"]),
    )


def _layer_maps(data: Mapping[str, Any], scale: float) -> LayerMaps:
    return LayerMaps(
        layer=int(data["layer"]),
        heads=tuple(int(head) for head in data["heads"]),
        heads_off=tuple(int(head) for head in data["heads_off"]),
        weights=np.asarray(data["maps"], dtype=np.float32) / scale,  # (h_ran, T, T)
        programmed=tuple(int(head) for head in data.get("programmed", ())),  # records before programs lack it
    )
