"""Checks over the whole record: its integrity (for tests and operators) and alternatives by status (monitoring)."""

from __future__ import annotations

from sqlalchemy import func, select, update

from core.store import schema
from core.store.errors import StoreError
from core.store.store import DecisionStore


def check_integrity(store: DecisionStore) -> list[str]:
    """What is wrong with the record; an empty list when nothing is.

    SQLite's own page and foreign-key checks where the store is SQLite; on every dialect the schema version, and
    alternatives or audit rows whose decision is missing.
    """
    problems: list[str] = []
    decisions, alternatives, audit_rows = schema.decisions, schema.alternatives, schema.audit_rows
    with store.transaction() as conn:
        if conn.dialect.name == "sqlite":
            pages = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check").all()]
            if pages != ["ok"]:
                problems.extend(f"sqlite integrity_check: {line}" for line in pages)
            problems.extend(
                f"sqlite foreign_key_check: table {row[0]} row {row[1]} has no {row[2]} row"
                for row in conn.exec_driver_sql("PRAGMA foreign_key_check").all()
            )
        version = conn.execute(select(func.max(schema.schema_version.c.version))).scalar()
        if version != schema.LATEST_VERSION:
            problems.append(f"schema version {version}, expected {schema.LATEST_VERSION}")
        for table in (alternatives, audit_rows):
            orphans = conn.execute(
                select(func.count())
                .select_from(table.outerjoin(decisions, decisions.c.decision_id == table.c.decision_id))
                .where(decisions.c.decision_id.is_(None))
            ).scalar_one()
            if orphans:
                problems.append(f"{orphans} row(s) of {table.name} belong to no decision")
    return problems


def alternative_counts(store: DecisionStore) -> dict[str, int]:
    """Alternatives of every decision in the record, by status (`pending`, `done`, `failed`; zero included)."""
    table = schema.alternatives
    with store.transaction() as conn:
        rows = conn.execute(select(table.c.status, func.count()).group_by(table.c.status)).all()
    counts = dict.fromkeys(schema.ALTERNATIVE_STATUSES, 0)
    counts.update({str(status): int(count) for status, count in rows})
    return counts


class _RollBackProbeError(Exception):
    """Rolls the readiness probe's write back."""


def readiness_problems(store: DecisionStore) -> list[str]:
    """Why the store cannot take decisions now (opened, at the current schema, writable); empty when it can.

    The write is a no-op update of the schema version, rolled back: nothing changes in the record.
    """
    version_table = schema.schema_version
    try:
        with store.transaction(write=True) as conn:
            version = conn.execute(select(func.max(version_table.c.version))).scalar()
            if version != schema.LATEST_VERSION:
                return [
                    f"the store {store.location} is at schema version {version} and this server reads version "
                    f"{schema.LATEST_VERSION}: serve it with the PathLens that wrote it, or restart to migrate"
                ]
            conn.execute(update(version_table).values(version=version_table.c.version))
            raise _RollBackProbeError
    except _RollBackProbeError:
        return []
    except StoreError as exc:
        return [str(exc)]
