"""Explanations of a decision along the path that ran: Captum attributions, attention maps, their faithfulness."""

from core.explain.attention_maps import LayerMaps
from core.explain.explainer import ALL_METHODS, ExplanationCancelledError, Progress, explain
from core.explain.faithfulness import Faithfulness
from core.explain.methods import (
    ADAPTIVE_IG,
    COST_ORDER,
    DEFAULT_IG_MAX_STEPS,
    DEFAULT_IG_TOLERANCE,
    GRADIENT_METHODS,
    METHODS,
    IGOptions,
)
from core.explain.result import ExplanationSet, MethodResult
from core.explain.units import Unit

__all__ = [
    "ADAPTIVE_IG",
    "ALL_METHODS",
    "COST_ORDER",
    "DEFAULT_IG_MAX_STEPS",
    "DEFAULT_IG_TOLERANCE",
    "GRADIENT_METHODS",
    "METHODS",
    "ExplanationCancelledError",
    "ExplanationSet",
    "Faithfulness",
    "IGOptions",
    "LayerMaps",
    "MethodResult",
    "Progress",
    "Unit",
    "explain",
]
