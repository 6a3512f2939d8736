"""API keys in the store (schema version 3) and the record's integrity check."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert

from core.errors import InputError
from core.store import open_store, schema
from core.store.health import alternative_counts, check_integrity
from core.store.keys import ROLES, create_key, list_keys, revoke_key, role_allows, verify_key
from core.store.schema import now_iso


def test_a_key_verifies_until_revoked_and_only_its_hash_is_stored(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.sqlite")
    key, stored = create_key(store, "analyst", "ci")
    assert verify_key(store, key) == stored and stored.role == "analyst"
    assert verify_key(store, key[:-1] + ("A" if key[-1] != "A" else "B")) is None  # same id, wrong secret
    assert verify_key(store, "plk_" + stored.key_id) is None and verify_key(store, "Bearer nonsense") is None
    with sqlite3.connect(tmp_path / "s.sqlite") as conn:
        (row,) = conn.execute("SELECT key_id, key_hash, role FROM api_keys").fetchall()
    assert row[0] == stored.key_id and row[2] == "analyst" and key.rsplit("_", 1)[1] not in row[1]
    revoked = revoke_key(store, stored.key_id)
    assert not revoked.active and verify_key(store, key) is None
    assert [k.key_id for k in list_keys(store)] == [stored.key_id]


def test_roles_are_ordered_and_unknown_ones_refused(tmp_path: Path) -> None:
    assert [role_allows(role, "analyst") for role in ROLES] == [False, True, True]
    with pytest.raises(InputError, match="unknown role 'root': choose one of viewer, analyst, admin"):
        create_key(open_store(tmp_path / "s.sqlite"), "root")
    with pytest.raises(InputError, match="no API key 'nope'"):
        revoke_key(open_store(tmp_path / "s.sqlite"), "nope")


def test_a_version_2_store_gains_the_keys_table_in_place(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:  # what PathLens at schema version 2 created
        schema.current_version(conn)
        for number in (1, 2):
            schema.MIGRATIONS[number - 1](conn)
            conn.execute(insert(schema.schema_version).values(version=number, applied_at=now_iso()))
    engine.dispose()
    store = open_store(path)
    key, _ = create_key(store, "viewer")
    assert verify_key(store, key) is not None
    with sqlite3.connect(path) as conn:
        assert [v for (v,) in conn.execute("SELECT version FROM schema_version ORDER BY version")] == list(
            range(1, schema.LATEST_VERSION + 1)
        )


def test_integrity_check_finds_alternatives_without_a_decision(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    store = open_store(path)
    assert check_integrity(store) == [] and alternative_counts(store) == {"pending": 0, "done": 0, "failed": 0}
    with sqlite3.connect(path) as conn:  # foreign keys are off in a plain sqlite3 connection
        conn.execute(
            "INSERT INTO alternatives (decision_id, path_id, path, position, status, updated_at) "
            "VALUES ('ghost', 'p', 'full', 0, 'pending', ?)",
            (now_iso(),),
        )
    problems = check_integrity(store)
    assert "1 row(s) of alternatives belong to no decision" in problems
    assert any(p.startswith("sqlite foreign_key_check: table alternatives") for p in problems)
    assert alternative_counts(store)["pending"] == 1
