"""`/v1/decisions`: decide (analyst), read the record and compare (viewer, redacted), explain and reproduce."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from core.api.auth import Caller, requires
from core.api.context import ApiContext, context
from core.api.errors import error_response
from core.api.models import (
    Comparison,
    Decision,
    DecisionText,
    Explanations,
    History,
    Reproduction,
    StoredDecision,
    UnrecordedDecision,
    error_responses,
    links,
)
from core.api.routes.models import Models
from core.api.schemas import DecideRequest, ExplainRequest, IsoTime, ReproduceRequest
from core.errors import InputError
from core.explain import IGOptions
from core.service import comparison_json, record_json

router = APIRouter(prefix="/v1/decisions", tags=["decisions"])
Context = Annotated[ApiContext, Depends(context)]
Viewer = Annotated[Caller, Depends(requires("viewer"))]
Analyst = Annotated[Caller, Depends(requires("analyst"))]
ALWAYS = (400, 401, 403, 422, 503)  # bad input or no store here, key, role, schema, store unusable
SEND_TEXT = 'send it as "text"'  # how an API caller gives the text of a decision that did not keep it
FROM_A_DECISION = links(
    ("getDecision", "decision_id", "decision_id"),
    ("getDecisionText", "decision_id", "decision_id"),
    ("compareDecision", "decision_id", "decision_id"),
    ("explainDecision", "decision_id", "decision_id"),
    ("reproduceDecision", "decision_id", "decision_id"),
)


@router.post(
    "",
    status_code=201,
    operation_id="decide",
    summary="Decide a text along a path; recorded, comparison set queued",
    response_model=None,
    responses={
        201: {"model": Decision, "description": "Decided and recorded", "links": FROM_A_DECISION},
        **error_responses(*ALWAYS, 413),
        503: {
            "model": UnrecordedDecision,
            "description": "Decided but not recorded (the store is locked, read-only, full or unreachable): the "
            "decision is in `decision`, its `record.status` is `failed`",
        },
    },
)
def decide(body: DecideRequest, ctx: Context, models: Models, _caller: Analyst) -> dict[str, Any] | JSONResponse:
    service = models.service_for(body.model)
    engine = service.engine
    spec = engine.parse(body.path)
    extra = [engine.parse(path) for path in body.also]
    started = time.perf_counter()
    audited = service.decide(
        body.text,
        spec,
        keep_text=body.keep_text,
        extra_paths=extra,
        explain=tuple(body.explain),
        compare=body.compare,
        explain_target=body.target,
    )
    ctx.metrics.observe_decision(audited.decision.path, audited.decision.label, time.perf_counter() - started)
    if audited.record.status == "failed":  # made but not recorded: a client reading only the status can tell
        message = f"the decision was made but not recorded: {audited.record.error}; decide again once the store is back"
        return error_response(503, message, decision=audited.to_json())
    return audited.to_json()


@router.get(
    "",
    operation_id="listDecisions",
    summary="The record, newest first, filtered (viewers: without texts)",
    response_model=None,
    responses={200: {"model": History, "description": "Newest first"}, **error_responses(*ALWAYS)},
)
def history(
    ctx: Context,
    caller: Viewer,
    models: Models,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    path: str | None = None,
    label: str | None = None,
    since: Annotated[IsoTime | None, Query(description="RFC 3339 time, inclusive: 2026-01-01T00:00:00Z")] = None,
    model: Annotated[str | None, Query(description="a model's name (GET /v1/models) or fingerprint")] = None,
    audit_id: str | None = None,
) -> dict[str, Any]:
    fingerprints = None if model is None else models.fingerprints_of(model)
    records = ctx.service.history(
        limit=limit, path=path, label=label, since=_utc(since), model_fingerprint=fingerprints, audit_id=audit_id
    )
    redact, names = not caller.may("analyst"), ctx.service.model_names()
    listed = [_named(record_json(record, redact), names) for record in records]
    return {"decisions": listed, "count": len(records)}


@router.get(
    "/{decision_id}",
    operation_id="getDecision",
    summary="One stored decision and its alternatives (viewers: without texts)",
    response_model=None,
    responses={200: {"model": StoredDecision, "description": "The record"}, **error_responses(*ALWAYS, 404)},
)
def get_decision(decision_id: str, ctx: Context, caller: Viewer) -> dict[str, Any]:
    stored = record_json(ctx.service.require_store().get(decision_id), redact=not caller.may("analyst"))
    return _named(stored, ctx.service.model_names())


@router.get(
    "/{decision_id}/text",
    operation_id="getDecisionText",
    summary="The kept text of a decision (analysts); 400 when it was not kept",
    response_model=None,
    responses={200: {"model": DecisionText, "description": "The kept text"}, **error_responses(*ALWAYS, 404)},
)
def get_text(decision_id: str, ctx: Context, _caller: Analyst) -> dict[str, Any]:
    text = ctx.service.stored_text(decision_id)
    if text is None:
        raise InputError(f"the text of decision {decision_id} was not kept (it was decided without keep_text)")
    return {"decision_id": decision_id, "text": text}


@router.get(
    "/{decision_id}/compare",
    operation_id="compareDecision",
    summary="The decision vs its paths not taken",
    response_model=None,
    responses={200: {"model": Comparison, "description": "The comparison"}, **error_responses(*ALWAYS, 404)},
)
def compare(
    decision_id: str,
    ctx: Context,
    caller: Viewer,
    wait: Annotated[float, Query(ge=0, le=60, description="seconds to wait for pending alternatives")] = 0.0,
) -> dict[str, Any]:
    compared = ctx.service.compare(decision_id, wait_s=wait).to_json()
    return comparison_json(compared, redact=not caller.may("analyst"))


@router.post(
    "/{decision_id}/explain",
    operation_id="explainDecision",
    summary="Explain a stored decision along its path (adaptive IG by default); attached to the record",
    response_model=None,
    responses={
        200: {"model": Explanations, "description": "The explanations"},
        **error_responses(*ALWAYS, 404, 413),
    },
)
def explain(decision_id: str, body: ExplainRequest, ctx: Context, models: Models, _caller: Analyst) -> dict[str, Any]:
    ig = IGOptions(body.n_steps, body.ig_tolerance)
    service = models.for_record(ctx.service.require_store().get(decision_id), body.model)
    return service.explain_stored(decision_id, body.text, body.methods, ig, body.target, resend=SEND_TEXT)


@router.post(
    "/{decision_id}/reproduce",
    operation_id="reproduceDecision",
    summary="Re-run a stored decision; `matches` says whether it agrees",
    response_model=None,
    responses={
        200: {"model": Reproduction, "description": "The re-run"},
        **error_responses(*ALWAYS, 404, 413),
    },
)
def reproduce(
    decision_id: str, body: ReproduceRequest, ctx: Context, models: Models, _caller: Analyst
) -> dict[str, Any]:
    service = models.for_record(ctx.service.require_store().get(decision_id), body.model)
    return service.reproduce(decision_id, body.text, resend=SEND_TEXT).to_json()


def _named(stored: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """A stored decision's JSON with the name of the model that made it (None when the record does not know it)."""
    return {**stored, "model": names.get(stored["model_fingerprint"])}


def _utc(moment: datetime | None) -> str | None:
    """As the record writes times (UTC, ISO, microseconds), so that they compare as text."""
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="microseconds")
