"""The HTTP API over `core.service.DecisionService`: `create_app` builds it, `serve` runs it with uvicorn.

One thin face over `core/`, like the dashboard's pages: routes check their input, call the DecisionService (or the
store's key functions) and serialise plain results. Routes are plain functions, so FastAPI runs them on its thread pool;
the DecisionService and its engine are thread-safe.
"""

from __future__ import annotations

import contextlib
import logging
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from core.api.context import ApiContext, ApiSettings
from core.api.errors import BodyLimit, install_error_handlers
from core.api.jobs import AuditJobs
from core.api.listening import bound_url
from core.api.logs import AccessLog, log_config
from core.api.metrics import ApiMetrics
from core.api.routes import audits, decisions, importance, keys, models, system
from core.errors import InputError
from core.service import DecisionService, ModelServices
from core.store import list_keys

logger = logging.getLogger("pathlens.api")
CLOSE_TIMEOUT_S = 30.0


def create_app(service: DecisionService, settings: ApiSettings | None = None) -> FastAPI:
    """The API of one DecisionService. The caller owns it; the app's shutdown only waits for its queued work."""
    settings = settings or ApiSettings()
    if settings.auth and service.store is None:
        raise InputError("--auth checks keys kept in the decision record: give --store or set PATHLENS_STORE")
    services = ModelServices(service)  # `model` in a request: other models load on first use
    jobs = AuditJobs(service.engine, service.store, settings.uploads, lambda name: services.service_for(name).engine)
    metrics = ApiMetrics(service, settings.flip_window, jobs.counts)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.close()
        if not (services.close(CLOSE_TIMEOUT_S) and service.wait(CLOSE_TIMEOUT_S)):
            logger.warning("comparison sets still queued at shutdown stay pending in the record")

    app = FastAPI(
        title="PathLens",
        summary="Decide along a chosen computation path, record every decision, compare the paths not taken.",
        version="1",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI and ReDoc load their scripts from a CDN: nothing here may reach the network
        redoc_url=None,
    )
    app.state.context = ApiContext(service, settings, metrics, jobs)
    app.state.models = services
    for router in (decisions.router, audits.router, keys.router, models.router, system.router, importance.router):
        app.include_router(router)
    if not settings.auth:
        _without_keys(app.openapi())
    install_error_handlers(app)
    app.add_middleware(BodyLimit, json_limit=settings.max_body_bytes, upload_limit=settings.max_upload_bytes)
    app.add_middleware(AccessLog)
    return app


def _without_keys(schema: dict[str, Any]) -> None:
    """A server without --auth takes no key: its schema (cached by FastAPI, changed in place) asks for none."""
    schema.get("components", {}).pop("securitySchemes", None)
    for operations in schema["paths"].values():
        for operation in operations.values():
            operation.pop("security", None)


def serve(service: DecisionService, sock: socket.socket, settings: ApiSettings) -> None:
    """Run the API with uvicorn on `sock` (`core.api.listening.listen`) until interrupted (JSON-line logs, stderr)."""
    import uvicorn

    if settings.auth and service.store is not None and not any(key.active for key in list_keys(service.store)):
        raise InputError(
            "--auth is on but the store has no active API key: create one with "
            "`python -m core keys create --role admin` (same --store)"
        )
    server = uvicorn.Server(uvicorn.Config(create_app(service, settings), log_config=log_config(), access_log=False))
    logger.info("listening on %s", bound_url(sock))
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the Ctrl-C it caught once it has shut down
        server.run(sockets=[sock])
