"""Structured logs: one JSON object per line, and one access line per request, never with input text.

Access lines carry the method, the route template (not the query), status, duration and the caller's role and
key id; bodies are never logged. Uvicorn's own loggers are routed through the same formatter.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime
from typing import Any, TextIO

from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("pathlens.api")

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "color_message"}


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", ...extra fields}` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update({key: value for key, value in vars(record).items() if key not in _STANDARD})
        if record.exc_info and record.exc_info[0] is not None:
            data["exception"] = record.exc_info[0].__name__
        return json.dumps(data, default=str)


def log_config(level: str = "info", stream: TextIO = sys.stderr) -> dict[str, Any]:
    """A `logging.config.dictConfig` (also uvicorn's `log_config`): JSON lines for PathLens and uvicorn."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": stream}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"json": handler},
        "loggers": {
            name: {"handlers": ["json"], "level": level.upper(), "propagate": False}
            for name in ("pathlens.api", "core", "uvicorn", "uvicorn.error")
        },
    }


class AccessLog:
    """ASGI middleware: times every HTTP request, logs it as JSON and feeds the request-duration histogram."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            seconds = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            caller = scope.get("state", {}).get("caller")
            scope["app"].state.context.metrics.observe_request(scope["method"], route, status, seconds)
            logger.info(
                "request",
                extra={
                    "method": scope["method"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 3),
                    "role": getattr(caller, "role", None),
                    "key_id": getattr(caller, "key_id", None),
                },
            )
