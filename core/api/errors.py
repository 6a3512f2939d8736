"""Errors as JSON, `{"error": "one line saying what to do"}`, with the CLI's messages; request size limits."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.api.schemas import TEXT_REFUSED
from core.errors import PathLensError
from core.store import DecisionNotFoundError, StoreError, UnknownKeyError

logger = logging.getLogger("pathlens.api")


def error_response(status: int, message: str, **extra: Any) -> JSONResponse:
    """`{"error": message, **extra}`; a lone surrogate the message quotes from the request is escaped, not sent."""
    return JSONResponse({"error": _utf8(message), **extra}, status_code=status)


def _utf8(message: str) -> str:
    return message.encode("utf-8", "backslashreplace").decode("utf-8")


def _validation_message(errors: list[dict[str, Any]]) -> tuple[int, str]:
    """(status, message) of FastAPI's validation errors: 400 for a body that is not JSON, else 422."""
    for error in errors:
        if error.get("type") == TEXT_REFUSED:  # the core rule's words, as the service would answer
            return 400, str(error.get("msg"))
        if error.get("type") == "string_unicode":  # pydantic's own refusal of a lone surrogate in a checked string
            field = ".".join(str(part) for part in error.get("loc", ())[1:]) or "a field"
            return 400, f"{field} holds a lone surrogate (an unpaired \\ud800-\\udfff escape): send it as UTF-8"
        if error.get("type") == "json_invalid":
            where = error.get("ctx", {}).get("error", "")
            return 400, f'the request body is not valid JSON ({where}): send a JSON object, e.g. {{"text": "..."}}'
    parts = []
    for error in errors:
        if tuple(error.get("loc", ())) == ("body",) and error.get("type") in ("model_attributes_type", "dict_type"):
            return 422, (
                'the request body must be a JSON object sent as Content-Type: application/json, e.g. {"text": "..."}'
            )
        location = [str(part) for part in error.get("loc", ()) if part != "body"]
        field = ".".join(location[1:] if location[:1] in (["query"], ["path"]) else location) or "body"
        if error.get("type") == "missing":
            parts.append(f"the field {field!r} is missing")
        elif error.get("type") == "extra_forbidden":
            parts.append(f"there is no field {field!r}")
        else:
            parts.append(f"{field}: {error.get('msg', 'invalid')}")
    return 422, "; ".join(parts) + ": see the request schema in /openapi.json"


async def _on_validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
    return error_response(*_validation_message(list(exc.errors())))


async def _on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 404 and exc.detail == "Not Found":
        return error_response(404, "no such route: the routes are listed in /openapi.json")
    if isinstance(exc.__cause__, BodyTooLargeError):
        return _too_large(exc.__cause__.limit)
    if exc.status_code == 405:
        allowed = _allowed_methods(request)
        message = f"this route takes {', '.join(allowed)}, not {request.method}: see /openapi.json"
        response = error_response(405, message)
        response.headers["Allow"] = ", ".join(allowed)  # RFC 9110: a 405 lists the methods the route takes
        return response
    response = error_response(exc.status_code, str(exc.detail))
    if exc.status_code == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def _allowed_methods(request: Request) -> list[str]:
    """The methods of every route whose path template matches the request's (a path may have several routes)."""
    methods: set[str] = set()
    for pattern, allowed in request.app.state.methods_by_path:
        if pattern.match(request.url.path):
            methods.update(allowed)
    return sorted(methods)


def methods_by_path(app: FastAPI) -> list[tuple[re.Pattern[str], frozenset[str]]]:
    """Each route template of the app's schema (and the schema's own) with the methods it takes. FastAPI's routes do
    not answer HEAD (405), so only the schema's own route, a plain Starlette route, lists it."""
    paths: dict[str, Any] = {**app.openapi()["paths"], app.openapi_url or "/openapi.json": {"get": {}, "head": {}}}
    return [(compile_path(path)[0], frozenset(m.upper() for m in operations)) for path, operations in paths.items()]


async def _on_pathlens(_request: Request, exc: PathLensError) -> JSONResponse:
    """404 for an unknown decision or key; 503 when the store cannot serve the request now; 400 for bad input."""
    if isinstance(exc, DecisionNotFoundError | UnknownKeyError):
        return error_response(404, str(exc))
    if isinstance(exc, StoreError):
        logger.warning("store error: %s", type(exc).__name__)
        return error_response(503, str(exc))
    return error_response(400, str(exc))


async def _on_unicode(_request: Request, exc: UnicodeError) -> JSONResponse:
    """A text that is not valid Unicode (a lone surrogate such as "\\ud800" sent as a JSON escape) is bad input."""
    logger.info("request refused: %s", type(exc).__name__)
    return error_response(
        400, "the text is not valid Unicode (it holds a lone surrogate such as \\ud800): send UTF-8 text"
    )


async def _on_unexpected(_request: Request, exc: Exception) -> JSONResponse:
    """Anything else is this server's fault: a JSON body all the same, and the type (never the message) logged."""
    logger.error("request failed: %s", type(exc).__name__)
    return error_response(500, "the server failed unexpectedly: retry, and report it if it persists")


def install_error_handlers(app: FastAPI) -> None:
    """JSON errors for everything; call it once every router is included (405 answers list their methods)."""
    app.state.methods_by_path = methods_by_path(app)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(PathLensError, _on_pathlens)
    app.add_exception_handler(UnicodeError, _on_unicode)
    app.add_exception_handler(Exception, _on_unexpected)


class BodyLimit:
    """ASGI middleware: 413 for a body over the limit, by Content-Length or while it streams in.

    `/v1/audits` uploads get `upload_limit`; every other request `json_limit`.
    """

    def __init__(self, app: ASGIApp, json_limit: int, upload_limit: int) -> None:
        self.app, self.json_limit, self.upload_limit = app, json_limit, upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_limit if scope["path"].rstrip("/") == "/v1/audits" else self.json_limit
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(limit)(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLargeError(limit)
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLargeError:
            await _too_large(limit)(scope, receive, send)


class BodyTooLargeError(Exception):
    """A streamed body passed the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"body over {limit} bytes")
        self.limit = limit


def _too_large(limit: int) -> JSONResponse:
    return error_response(413, f"the request body is larger than {limit:,} bytes: send less (split the file)")
