"""The one entry point for decisions: the DecisionService, its comparison set, compare and reproduce."""

from core.service.comparison import (
    TIME_BASIS,
    Comparison,
    compare_record,
    comparison_set,
    compute_alternatives,
    redact_tokens,
    top_tokens,
)
from core.service.decisions import DecisionService, RecordedDecision, Reproduction, compare_decision
from core.service.models import ModelServices, own_model
from core.service.redaction import comparison_json, record_json

__all__ = [
    "TIME_BASIS",
    "Comparison",
    "DecisionService",
    "ModelServices",
    "RecordedDecision",
    "Reproduction",
    "compare_decision",
    "compare_record",
    "comparison_json",
    "comparison_set",
    "compute_alternatives",
    "own_model",
    "record_json",
    "redact_tokens",
    "top_tokens",
]
