"""`/v1/decisions`: decide (analyst), read the record and compare (viewer, redacted), explain and reproduce."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from core.api.auth import Caller, requires
from core.api.context import ApiContext, context
from core.api.record import explain_stored, require_store, stored_text
from core.api.routes.models import Models
from core.api.schemas import DecideRequest, ExplainRequest, ReproduceRequest
from core.service import comparison_json, record_json

router = APIRouter(prefix="/v1/decisions", tags=["decisions"])
Context = Annotated[ApiContext, Depends(context)]
Viewer = Annotated[Caller, Depends(requires("viewer"))]
Analyst = Annotated[Caller, Depends(requires("analyst"))]


@router.post("", status_code=201, summary="Decide a text along a path; recorded, comparison set queued")
def decide(body: DecideRequest, ctx: Context, models: Models, _caller: Analyst) -> dict[str, Any]:
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
    return audited.to_json()


@router.get("", summary="The record, newest first, filtered (viewers: without texts)")
def history(
    ctx: Context,
    caller: Viewer,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    path: str | None = None,
    label: str | None = None,
    since: Annotated[str | None, Query(description="ISO time, inclusive")] = None,
    model: Annotated[str | None, Query(description="model fingerprint")] = None,
    audit_id: str | None = None,
) -> dict[str, Any]:
    require_store(ctx.service)
    records = ctx.service.history(
        limit=limit, path=path, label=label, since=since, model_fingerprint=model, audit_id=audit_id
    )
    redact = not caller.may("analyst")
    return {"decisions": [record_json(record, redact) for record in records], "count": len(records)}


@router.get("/{decision_id}", summary="One stored decision and its alternatives (viewers: without texts)")
def get_decision(decision_id: str, ctx: Context, caller: Viewer) -> dict[str, Any]:
    return record_json(require_store(ctx.service).get(decision_id), redact=not caller.may("analyst"))


@router.get("/{decision_id}/text", summary="The kept text of a decision (analysts)")
def get_text(decision_id: str, ctx: Context, _caller: Analyst) -> dict[str, Any]:
    return {"decision_id": decision_id, "text": stored_text(require_store(ctx.service), decision_id)}


@router.get("/{decision_id}/compare", summary="The decision vs its paths not taken")
def compare(
    decision_id: str,
    ctx: Context,
    caller: Viewer,
    wait: Annotated[float, Query(ge=0, le=60, description="seconds to wait for pending alternatives")] = 0.0,
) -> dict[str, Any]:
    require_store(ctx.service)
    compared = ctx.service.compare(decision_id, wait_s=wait).to_json()
    return comparison_json(compared, redact=not caller.may("analyst"))


@router.post("/{decision_id}/explain", summary="Explain a stored decision along its path; attached to the record")
def explain(decision_id: str, body: ExplainRequest, ctx: Context, _caller: Analyst) -> dict[str, Any]:
    return explain_stored(ctx.service, decision_id, body.text, body.methods, body.target, body.n_steps)


@router.post("/{decision_id}/reproduce", summary="Re-run a stored decision; `matches` says whether it agrees")
def reproduce(decision_id: str, body: ReproduceRequest, ctx: Context, _caller: Analyst) -> dict[str, Any]:
    require_store(ctx.service)
    return ctx.service.reproduce(decision_id, body.text).to_json()
