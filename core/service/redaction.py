"""What a viewer may read: decisions and comparisons without kept text or token texts (API and dashboard alike).

The same rule as the record itself when a text was not kept (`core.service.comparison.redact_tokens`): unit texts become
positions (`#3`), so a viewer sees labels, probabilities, costs, scores and flips, never words of the input.
"""

from __future__ import annotations

from typing import Any

from core.service.comparison import redact_tokens
from core.store import DecisionRecord


def record_json(record: DecisionRecord, redact: bool) -> dict[str, Any]:
    """A stored decision as JSON; `redact` drops its kept text and every token text (`text_kept` still says)."""
    data = record.to_json()
    data["text_kept"] = record.text is not None
    if redact:
        data["text"] = None
        data["explanations"] = redact_tokens(data["explanations"])
        for alternative in data["alternatives"]:
            alternative["explanations"] = redact_tokens(alternative["explanations"])
        data["redacted"] = True
    return data


def comparison_json(comparison: dict[str, Any], redact: bool) -> dict[str, Any]:
    """A comparison's JSON; `redact` names top tokens by position only (`#3@3` for `film@3`)."""
    if not redact:
        return comparison
    for outcome in [comparison["executed"], *comparison["alternatives"]]:
        for change in outcome["top_tokens"]:
            for key in ("executed", "alternative", "kept", "dropped", "added"):
                change[key] = [_position_only(name) for name in change[key]]
    return {**comparison, "redacted": True}


def _position_only(name: str) -> str:
    _, _, position = name.rpartition("@")
    return f"#{position}@{position}"
