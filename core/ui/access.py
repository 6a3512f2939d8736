"""The dashboard's optional login: the API's keys and roles (`core.store.keys`), on when PATHLENS_DASHBOARD_AUTH=1.

Without it the dashboard opens as before, for everyone, with every page (the role is `admin`). With it, a key
is asked for first; a viewer gets the History and Model pages, with no kept text and no token text (records are
exported redacted, nothing is reproduced or reopened); analysts and admins get every page.
"""

from __future__ import annotations

import os

from core.errors import InputError
from core.service import DecisionService
from core.store import role_allows, verify_key
from core.ui.groups import key_owner

AUTH_ENV = "PATHLENS_DASHBOARD_AUTH"
ALL_PAGES = ("decide", "compare", "audit", "history", "model")
VIEWER_PAGES = ("history", "model")


def login_required() -> bool:
    """Whether the dashboard asks for a key (PATHLENS_DASHBOARD_AUTH set to 1, true or yes)."""
    return os.environ.get(AUTH_ENV, "").strip().lower() in ("1", "true", "yes")


def login(service: DecisionService, key: str) -> tuple[str, str]:
    """The role of an active key kept in the service's store and the owner tag of its groups; InputError otherwise."""
    if service.store is None:
        raise InputError("the login checks keys kept in the decision record: set PATHLENS_STORE")
    stored = verify_key(service.store, key.strip())
    if stored is None:
        raise InputError("the key is unknown or revoked: ask an admin (`python -m core keys create --role ...`)")
    return stored.role, key_owner(stored.key_id)


def pages_for(role: str) -> tuple[str, ...]:
    """The pages (file stems under pages/) that `role` may open."""
    return ALL_PAGES if role_allows(role, "analyst") else VIEWER_PAGES


def may_read_text(role: str) -> bool:
    return role_allows(role, "analyst")
