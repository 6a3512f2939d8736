"""Health and Prometheus metrics (no key needed: neither holds anything of the record's inputs)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from core.api.context import ApiContext, context

router = APIRouter(tags=["system"])
Context = Annotated[ApiContext, Depends(context)]


@router.get("/healthz", summary="The server is up; which model and store it serves")
def health(ctx: Context) -> dict[str, Any]:
    return {
        "status": "ok",
        "model": ctx.service.engine.model.fingerprint,
        "store": ctx.store.location if ctx.store is not None else None,
        "auth": ctx.settings.auth,
    }


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
def metrics(ctx: Context) -> Response:
    return Response(generate_latest(ctx.metrics.registry), media_type=CONTENT_TYPE_LATEST)
