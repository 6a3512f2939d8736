"""Health and Prometheus metrics (no key needed: neither holds anything of the record's inputs)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool

from core.api.context import ApiContext, context
from core.api.errors import error_response
from core.api.models import Health, NotReady, Ready
from core.store import readiness_problems

router = APIRouter(tags=["system"])
Context = Annotated[ApiContext, Depends(context)]


@router.get(
    "/healthz",
    operation_id="health",
    summary="Liveness: the server is up; which model and store it serves",
    response_model=None,
    responses={200: {"model": Health, "description": "Up"}},
)
def health(ctx: Context) -> dict[str, Any]:
    return {
        "status": "ok",
        "model": ctx.service.engine.model.fingerprint,
        "store": ctx.store.location if ctx.store is not None else None,
        "auth": ctx.settings.auth,
    }


@router.get(
    "/readyz",
    operation_id="ready",
    summary="Readiness: the store opens, is at this server's schema and can be written",
    response_model=None,
    responses={
        200: {"model": Ready, "description": "Decisions can be recorded now"},
        503: {"model": NotReady, "description": "Not ready: what is wrong with the store"},
    },
)
async def ready(ctx: Context) -> dict[str, Any] | JSONResponse:
    """200 when decisions can be recorded now (or the server has no store); 503 saying what is wrong otherwise."""
    problems = await run_in_threadpool(readiness_problems, ctx.store) if ctx.store is not None else []
    if problems:
        return error_response(503, f"not ready: {'; '.join(problems)}", problems=problems)
    return {"status": "ready", "store": ctx.store.location if ctx.store is not None else None}


@router.get(
    "/metrics",
    operation_id="metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST.split(";")[0]: {"schema": {"type": "string"}}}}},
)
def metrics(ctx: Context) -> Response:
    return Response(generate_latest(ctx.metrics.registry), media_type=CONTENT_TYPE_LATEST)
