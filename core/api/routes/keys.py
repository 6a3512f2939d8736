"""`/v1/keys`: create, list and revoke API keys (admin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from core.api.auth import Caller, requires
from core.api.context import ApiContext, context
from core.api.models import ApiKey, ApiKeys, NewApiKey, error_responses
from core.api.schemas import KeyRequest
from core.store import create_key, list_keys, revoke_key

router = APIRouter(prefix="/v1/keys", tags=["keys"])
Context = Annotated[ApiContext, Depends(context)]
Admin = Annotated[Caller, Depends(requires("admin"))]
ALWAYS = (400, 401, 403, 422, 503)


@router.post(
    "",
    status_code=201,
    operation_id="createKey",
    summary="A new key; the key itself is shown in this answer only",
    response_model=None,
    responses={201: {"model": NewApiKey, "description": "The new key"}, **error_responses(*ALWAYS, 413)},
)
def create(body: KeyRequest, ctx: Context, _caller: Admin) -> dict[str, Any]:
    key, stored = create_key(ctx.service.require_store(), body.role, body.name)
    return {**stored.to_json(), "key": key}


@router.get(
    "",
    operation_id="listKeys",
    summary="Every key (without secrets), revoked ones included",
    response_model=None,
    responses={200: {"model": ApiKeys, "description": "The keys"}, **error_responses(*ALWAYS)},
)
def listing(ctx: Context, _caller: Admin) -> dict[str, Any]:
    return {"keys": [key.to_json() for key in list_keys(ctx.service.require_store())]}


@router.delete(
    "/{key_id}",
    operation_id="revokeKey",
    summary="Revoke a key: it is refused from now on (404 for a key the store does not hold)",
    response_model=None,
    responses={200: {"model": ApiKey, "description": "The revoked key"}, **error_responses(*ALWAYS, 404, 413)},
)
def revoke(key_id: str, ctx: Context, _caller: Admin) -> dict[str, Any]:
    return revoke_key(ctx.service.require_store(), key_id).to_json()
