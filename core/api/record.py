"""What the routes need from the record beyond the DecisionService: kept texts, explaining a stored decision."""

from __future__ import annotations

from typing import Any

from core.errors import InputError
from core.explain import explain
from core.service import DecisionService, redact_tokens
from core.store import DecisionStore


def stored_text(store: DecisionStore, decision_id: str) -> str:
    text = store.get(decision_id).text
    if text is None:
        raise InputError(f"the text of decision {decision_id} was not kept (it was decided without keep_text)")
    return text


def explain_stored(
    service: DecisionService, decision_id: str, text: str | None, methods: list[str], target: str | None, n_steps: int
) -> dict[str, Any]:
    """Explain a stored decision along its path and attach the explanation to its record (redacted unless the
    record keeps the text); `text` is needed when the record did not keep it, and must be the decided one."""
    store = require_store(service)
    record = store.get(decision_id)
    engine = service.engine
    text = service.checked_text(record, text, resend='send it as "text"')
    result = explain(
        engine,
        text,
        engine.parse(record.path),
        methods=tuple(methods),
        target=target,
        n_steps=n_steps,
        decided_logits=record.logits,  # same model and text (checked above): the text is not decided a second time
    )
    data = result.to_json()
    store.attach_explanations(decision_id, data if record.text is not None else redact_tokens(data))
    return data


def require_store(service: DecisionService) -> DecisionStore:
    if service.store is None:
        raise InputError("this server has no decision record: start it with --store or PATHLENS_STORE")
    return service.store
