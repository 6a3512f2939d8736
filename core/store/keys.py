"""API keys with roles, stored hashed in the decision record (table `api_keys`, schema version 3).

A key reads `plk_<key_id>_<secret>`: `key_id` is its public part (listed, logged, used to revoke), the secret is
32 random bytes. Only the SHA-256 of the whole key is stored; a plain hash is enough for a random 256-bit secret
(nothing to guess), and the key is printed once, when it is created.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import insert, select, update

from core.errors import InputError
from core.store import schema
from core.store.store import DecisionStore

ROLES = ("viewer", "analyst", "admin")  # each role may do everything the roles before it may
KEY_PREFIX = "plk"
MAX_NAME_CHARS = 200


class UnknownKeyError(InputError):
    """No API key with this id in the store."""


@dataclass(frozen=True)
class ApiKey:
    """A stored key, without its secret."""

    key_id: str
    role: str
    name: str
    created_at: str
    revoked_at: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "active": self.active}


def role_allows(role: str, needed: str) -> bool:
    """Whether `role` may do what `needed` may (viewer < analyst < admin)."""
    return ROLES.index(role) >= ROLES.index(needed)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    return role


def check_name(name: str) -> str:
    """A key's name: at most 200 characters, none of them a control character or a lone surrogate."""
    if len(name) > MAX_NAME_CHARS:
        raise InputError(f"the key's name has {len(name)} characters, more than {MAX_NAME_CHARS}: shorten it")
    bad = next((char for char in name if unicodedata.category(char) in ("Cc", "Cs")), None)
    if bad is not None:
        raise InputError(
            f"the key's name holds U+{ord(bad):04X}, a control character or lone surrogate: use printable characters"
        )
    return name


def create_key(store: DecisionStore, role: str, name: str = "") -> tuple[str, ApiKey]:
    """A new key of `role`: (the key, to show once; its stored description)."""
    check_role(role)
    check_name(name)
    key_id = secrets.token_hex(6)
    key = f"{KEY_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
    stored = ApiKey(key_id=key_id, role=role, name=name, created_at=schema.now_iso())
    with store.transaction(write=True) as conn:
        conn.execute(insert(schema.api_keys).values(**asdict(stored), key_hash=_hash(key)))
    return key, stored


def verify_key(store: DecisionStore, key: str) -> ApiKey | None:
    """The active key that `key` is, or None (unknown, malformed, revoked or wrong secret)."""
    prefix, _, rest = key.partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != KEY_PREFIX or not key_id or not secret:
        return None
    table = schema.api_keys
    with store.transaction() as conn:
        row = conn.execute(select(table).where(table.c.key_id == key_id)).mappings().first()
    if row is None or row["revoked_at"] is not None or not hmac.compare_digest(row["key_hash"], _hash(key)):
        return None
    return _key(row)


def list_keys(store: DecisionStore) -> list[ApiKey]:
    """Every key, oldest first (revoked ones included)."""
    table = schema.api_keys
    with store.transaction() as conn:
        rows = conn.execute(select(table).order_by(table.c.created_at)).mappings().all()
    return [_key(row) for row in rows]


def revoke_key(store: DecisionStore, key_id: str) -> ApiKey:
    """Revoke a key (it is kept, marked revoked); InputError when there is no such key."""
    table = schema.api_keys
    with store.transaction(write=True) as conn:
        conn.execute(
            update(table)
            .where(table.c.key_id == key_id, table.c.revoked_at.is_(None))
            .values(revoked_at=schema.now_iso())
        )
        row = conn.execute(select(table).where(table.c.key_id == key_id)).mappings().first()
    if row is None:
        raise UnknownKeyError(f"no API key {key_id!r} in the store {store.location}: list them with `keys list`")
    return _key(row)


def _key(row: Any) -> ApiKey:
    return ApiKey(row["key_id"], row["role"], row["name"], row["created_at"], row["revoked_at"])
