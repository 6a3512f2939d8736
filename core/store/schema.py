"""The record's tables (portable SQLAlchemy Core: SQLite and PostgreSQL) and its numbered migrations.

JSON fields are stored as text (the same on every dialect). Times are ISO-8601 UTC strings, which sort in order.
A migration is applied once, in one transaction, and its number written to `schema_version`; a migration creates
or alters only what it names, so an old store is brought up to date step by step.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Connection,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    select,
)

ALTERNATIVE_STATUSES = ("pending", "done", "failed")

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", String(40), nullable=False),
)

store_meta = Table(
    "store_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

decisions = Table(
    "decisions",
    metadata,
    Column("decision_id", String(64), primary_key=True),
    Column("created_at", String(40), nullable=False),
    Column("model_fingerprint", String(64), nullable=False),
    Column("path", Text, nullable=False),
    Column("path_id", String(64), nullable=False),
    Column("input_fingerprint", String(64), nullable=False),
    Column("text", Text, nullable=True),  # only when the user allowed it (keep_text)
    Column("withheld", Text, nullable=False),  # JSON group -> count, never the text
    Column("label", Text, nullable=False),
    Column("probs", Text, nullable=False),  # JSON label -> probability
    Column("logits", Text, nullable=False),  # JSON list
    Column("cost", Text, nullable=False),  # JSON Cost
    Column("tokens", Text, nullable=False),  # JSON {total, kept}
    Column("notes", Text, nullable=False),  # JSON list
    Column("explanations", Text, nullable=True),  # JSON method -> result
    Index("ix_decisions_created_at", "created_at"),
    Index("ix_decisions_path_id", "path_id"),
    Index("ix_decisions_input_fingerprint", "input_fingerprint"),
)

alternatives = Table(
    "alternatives",
    metadata,
    Column("decision_id", String(64), ForeignKey("decisions.decision_id", ondelete="CASCADE"), primary_key=True),
    Column("path_id", String(64), primary_key=True),
    Column("path", Text, nullable=False),
    Column("position", Integer, nullable=False),  # order in the comparison set
    Column("status", String(16), nullable=False),
    Column("worker", String(200), nullable=True),  # host:pid computing a pending row
    Column("updated_at", String(40), nullable=False),
    Column("label", Text, nullable=True),
    Column("probs", Text, nullable=True),
    Column("logits", Text, nullable=True),
    Column("cost", Text, nullable=True),
    Column("explanations", Text, nullable=True),
    Column("error", Text, nullable=True),
    CheckConstraint("status IN ('pending', 'done', 'failed')", name="ck_alternatives_status"),
    Index("ix_alternatives_status", "status"),
)


audit_rows = Table(
    "audit_rows",
    metadata,
    Column("audit_id", String(64), primary_key=True),
    Column("input_row", Integer, primary_key=True, autoincrement=False),  # 0-based row of the audited file
    Column(
        "decision_id",
        String(64),
        ForeignKey("decisions.decision_id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
)


api_keys = Table(
    "api_keys",
    metadata,
    Column("key_id", String(32), primary_key=True),  # the key's public part, also printed in logs
    Column("key_hash", String(64), nullable=False),  # SHA-256 of the whole key; the key itself is never stored
    Column("role", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("revoked_at", String(40), nullable=True),
    CheckConstraint("role IN ('viewer', 'analyst', 'admin')", name="ck_api_keys_role"),
)


group_definitions = Table(
    "group_definitions",
    metadata,
    Column("decision_id", String(64), ForeignKey("decisions.decision_id", ondelete="CASCADE"), primary_key=True),
    Column("group_name", String(64), primary_key=True),
    Column("fingerprint", String(64), nullable=False),  # salted hash of the definition, never the definition
)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _v1_initial(conn: Connection) -> None:
    """Decisions, their alternatives, and the per-store salt of input fingerprints."""
    for table in (store_meta, decisions, alternatives):
        table.create(conn)
    conn.execute(insert(store_meta).values(key="input_salt", value=secrets.token_hex(32)))


def _v2_audit_rows(conn: Connection) -> None:
    """Which decisions a batch audit recorded, by audit and input row (one record per row and audit)."""
    audit_rows.create(conn)


def _v3_api_keys(conn: Connection) -> None:
    """API keys of the HTTP API (`core.api`): hashed, with a role, revocable."""
    api_keys.create(conn)


def _v4_group_definitions(conn: Connection) -> None:
    """Per decision, a salted fingerprint of each user-defined group its path named, so that a reproduction can tell
    when the group now means something else (older decisions have none: their groups are not checked)."""
    group_definitions.create(conn)


MIGRATIONS: tuple[Callable[[Connection], None], ...] = (
    _v1_initial,
    _v2_audit_rows,
    _v3_api_keys,
    _v4_group_definitions,
)
LATEST_VERSION = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    """The applied version; 0 for an empty database (schema_version is created here)."""
    schema_version.create(conn, checkfirst=True)
    found = conn.execute(select(schema_version.c.version).order_by(schema_version.c.version.desc())).first()
    return int(found[0]) if found else 0


def migrate(conn: Connection, version: int) -> None:
    """Apply every migration after `version` (the caller holds a write transaction)."""
    for number in range(version + 1, LATEST_VERSION + 1):
        MIGRATIONS[number - 1](conn)
        conn.execute(insert(schema_version).values(version=number, applied_at=now_iso()))
