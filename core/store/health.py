"""Checks over the whole record: its integrity (`python -m core store check`, tests, operators), alternatives by
status and flip rates per path (monitoring)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, inspect, select, update

from core.store import schema
from core.store.errors import StoreCorruptError, StoreError
from core.store.store import DecisionStore, open_store, store_location


def check_store(location: str | Path | None = None) -> dict[str, Any]:
    """`python -m core store check`: the record at `location` (default as `open_store`), opened as it is (nothing
    created, migrated or recovered) and checked. `problems` lists what is wrong, including a store that cannot be
    opened or read; `decisions` and `alternatives` (by status) are given when it can be read."""
    report: dict[str, Any] = {"store": store_location(location), "healthy": False, "problems": []}
    try:
        store = open_store(location, as_it_is=True)
        report["store"] = store.location
        if not holds_a_record(store):
            raise StoreCorruptError(
                f"{store.location} holds no PathLens record (no {schema.schema_version.name} table: an empty file or "
                "another program's database): give the path of a PathLens store with --store / PATHLENS_STORE, or "
                "move the file aside and let `python -m core decide` create a store there"
            )
        report["problems"] = check_integrity(store)
        report["decisions"] = store.count()[0]
        report["alternatives"] = alternative_counts(store)
    except StoreError as exc:
        report["problems"].append(str(exc))
    report["healthy"] = not report["problems"]
    return report


def holds_a_record(store: DecisionStore) -> bool:
    """Whether the store's database holds PathLens's tables (a 0-byte file opens as an empty SQLite database)."""
    with store.transaction() as conn:
        return inspect(conn).has_table(schema.schema_version.name)


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


def flip_counts(
    store: DecisionStore, model_fingerprint: str, window: int, is_full: Callable[[str], bool]
) -> dict[str, tuple[int, int]]:
    """Per executed path: (flips, decisions) over the newest `window` decisions of that path made by this model,
    counting those whose full path (a `done` alternative whose canonical path `is_full` accepts) is stored, and as
    a flip when it decided another label. Each path has its own window, so a rarely used path keeps its figure
    beside a busy one. One query over labels only: no record is decoded."""
    dec, alt = schema.decisions, schema.alternatives
    newest_first = (dec.c.created_at.desc(), dec.c.decision_id.desc())
    ranked = (
        select(
            dec.c.decision_id,
            dec.c.path,
            dec.c.label,
            func.row_number().over(partition_by=dec.c.path, order_by=newest_first).label("rank"),
        )
        .where(dec.c.model_fingerprint == model_fingerprint)
        .subquery()
    )
    query = (
        select(ranked.c.decision_id, ranked.c.path, ranked.c.label, alt.c.path, alt.c.label)
        .join(alt, alt.c.decision_id == ranked.c.decision_id)
        .where(ranked.c.rank <= window, alt.c.status == "done")
        .order_by(ranked.c.decision_id, alt.c.position)
    )
    with store.transaction() as conn:
        rows = conn.execute(query).all()
    flipped: dict[str, tuple[str, bool]] = {}  # decision -> (its path, whether its full path decided otherwise)
    for decision_id, path, label, alt_path, alt_label in rows:
        if decision_id not in flipped and is_full(alt_path):
            flipped[decision_id] = (path, label != alt_label)
    counts: dict[str, tuple[int, int]] = {}
    for path, flip in flipped.values():
        flips, total = counts.get(path, (0, 0))
        counts[path] = (flips + int(flip), total + 1)
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
