"""What the routes hand back from the record: viewers get decisions without kept text or token texts.

The same rule as the record itself when a text was not kept (`core.comparison.redact_tokens`): unit texts become
positions (`#3`), so a viewer sees labels, probabilities, costs, scores and flips, never words of the input.
"""

from __future__ import annotations

from typing import Any

from core.comparison import redact_tokens
from core.errors import InputError
from core.explain import explain
from core.service import Auditor
from core.store import DecisionRecord, DecisionStore


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
    outcomes = [comparison["executed"], *comparison["alternatives"]]
    for outcome in outcomes:
        for change in outcome["top_tokens"]:
            for key in ("executed", "alternative", "kept", "dropped", "added"):
                change[key] = [_position_only(name) for name in change[key]]
    return {**comparison, "redacted": True}


def _position_only(name: str) -> str:
    _, _, position = name.rpartition("@")
    return f"#{position}@{position}"


def stored_text(store: DecisionStore, decision_id: str) -> str:
    text = store.get(decision_id).text
    if text is None:
        raise InputError(f"the text of decision {decision_id} was not kept (it was decided without keep_text)")
    return text


def explain_stored(
    auditor: Auditor, decision_id: str, text: str | None, methods: list[str], target: str | None, n_steps: int
) -> dict[str, Any]:
    """Explain a stored decision along its path and attach the explanation to its record (redacted unless the
    record keeps the text); `text` is needed when the record did not keep it, and must be the decided one."""
    store = require_store(auditor)
    record = store.get(decision_id)
    engine = auditor.engine
    if record.model_fingerprint != engine.model.fingerprint:
        raise InputError(
            f"decision {decision_id} was made by model {record.model_fingerprint}, but this server runs model "
            f"{engine.model.fingerprint}"
        )
    text = text if text is not None else record.text
    if text is None:
        raise InputError(f'the text of decision {decision_id} was not kept: send it as "text"')
    if store.input_fingerprint(text) != record.input_fingerprint:
        raise InputError(f"the text given is not the one decision {decision_id} decided (fingerprints differ)")
    result = explain(engine, text, engine.parse(record.path), methods=tuple(methods), target=target, n_steps=n_steps)
    data = result.to_json()
    store.attach_explanations(decision_id, data if record.text is not None else redact_tokens(data))
    return data


def require_store(auditor: Auditor) -> DecisionStore:
    if auditor.store is None:
        raise InputError("this server has no decision record: start it with --store or PATHLENS_STORE")
    return auditor.store
