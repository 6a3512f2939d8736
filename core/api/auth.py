"""Who is calling: `Authorization: Bearer KEY` checked against the hashed keys in the store, and role checks.

401 when auth is on and the key is missing or not an active key; 403 when the key's role may not do the call.
Without auth every caller acts as admin (a laptop, as before the API existed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from core.api.context import ApiContext, context
from core.store import role_allows, verify_key


@dataclass(frozen=True)
class Caller:
    role: str
    key_id: str | None = None  # None when auth is off

    def may(self, role: str) -> bool:
        return role_allows(self.role, role)


bearer = HTTPBearer(
    auto_error=False,
    scheme_name="apiKey",
    description="An API key (`python -m core keys create`), on servers started with --auth",
)


def caller(
    request: Request,
    ctx: Annotated[ApiContext, Depends(context)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller:
    """The authenticated caller (a FastAPI dependency); also noted on the request for the access log."""
    if not ctx.settings.auth:
        found = Caller("admin")
    else:
        key = credentials.credentials.strip() if credentials is not None else None
        if not key:
            raise HTTPException(401, "this server requires an API key: send `Authorization: Bearer KEY`")
        assert ctx.store is not None, "auth needs a store"
        stored = verify_key(ctx.store, key)
        if stored is None:
            raise HTTPException(401, "the API key is unknown or revoked: ask an admin for a new one")
        found = Caller(stored.role, stored.key_id)
    request.state.caller = found
    return found


def requires(role: str) -> Callable[..., Caller]:
    """A dependency admitting callers whose role includes `role` (403 otherwise)."""

    def check(found: Annotated[Caller, Depends(caller)]) -> Caller:
        if not found.may(role):
            raise HTTPException(403, f"this needs the {role} role; your key is a {found.role} key")
        return found

    return check
