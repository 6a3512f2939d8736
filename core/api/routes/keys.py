"""`/v1/keys`: create, list and revoke API keys (admin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from core.api.auth import Caller, requires
from core.api.context import ApiContext, context
from core.api.schemas import KeyRequest
from core.store.keys import create_key, list_keys, revoke_key

router = APIRouter(prefix="/v1/keys", tags=["keys"])
Context = Annotated[ApiContext, Depends(context)]
Admin = Annotated[Caller, Depends(requires("admin"))]


@router.post("", status_code=201, summary="A new key; the key itself is shown in this answer only")
def create(body: KeyRequest, ctx: Context, _caller: Admin) -> dict[str, Any]:
    key, stored = create_key(ctx.service.require_store(), body.role, body.name)
    return {**stored.to_json(), "key": key}


@router.get("", summary="Every key (without secrets), revoked ones included")
def listing(ctx: Context, _caller: Admin) -> dict[str, Any]:
    return {"keys": [key.to_json() for key in list_keys(ctx.service.require_store())]}


@router.delete("/{key_id}", summary="Revoke a key: it is refused from now on")
def revoke(key_id: str, ctx: Context, _caller: Admin) -> dict[str, Any]:
    return revoke_key(ctx.service.require_store(), key_id).to_json()
