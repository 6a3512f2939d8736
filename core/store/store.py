"""The decision record: a SQLite file by default, PostgreSQL by URL, the same schema and SQL on both.

Every operation opens one short-lived connection (NullPool) and one transaction, so threads and processes can
write at once: SQLite runs in WAL mode with a busy timeout and takes its write lock up front (BEGIN IMMEDIATE).
An existing file is never overwritten or recreated: a file that is not a PathLens store is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import socket
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, func, insert, inspect, or_, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from core.store import schema
from core.store.errors import (
    DecisionNotFoundError,
    StoreCorruptError,
    StoreError,
    StoreReadOnlyError,
    StoreUnavailableError,
    translate,
)
from core.store.records import AlternativeRecord, AlternativeResult, DecisionRecord
from core.store.resume import Resumable, grouped, orphaned, process_alive, resume_command

logger = logging.getLogger(__name__)

DEFAULT_LOCATION = Path(".pathlens") / "decisions.sqlite"
DEFAULT_TIMEOUT_S = 10.0
_SQLITE_HEADER = b"SQLite format 3\x00"
_MIGRATION_LOCK = 0x7A7E1E45  # PostgreSQL advisory lock key held while migrating


def worker_id() -> str:
    """`host:pid` of this process: the owner of the alternatives it leaves pending."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _loads(text: str | None) -> Any:
    return json.loads(text) if text is not None else None


class DecisionStore:
    """Typed access to the record. Holds no connection between calls; safe to share across threads."""

    def __init__(self, engine: Engine, location: str) -> None:
        self.engine = engine
        self.location = location
        self._salt: bytes | None = None

    # -- plumbing -----------------------------------------------------------------------------------------------
    @contextmanager
    def transaction(self, write: bool = False) -> Iterator[Connection]:
        """One connection, one transaction; driver errors become StoreError subclasses."""
        try:
            with self.engine.connect() as conn:
                if write:
                    conn = conn.execution_options(pathlens_write=True)
                with conn.begin():
                    yield conn
        except (SQLAlchemyError, sqlite3.Error) as exc:
            raise translate(exc, self.location) from exc

    def initialise(self) -> None:
        """Create or migrate the schema (refusing a database that is not a PathLens store), then recover orphans."""
        with self.transaction() as conn:
            tables = set(inspect(conn).get_table_names())
            version = self._version(conn, tables)
        if version < schema.LATEST_VERSION:
            with self.transaction(write=True) as conn:
                if conn.dialect.name == "postgresql":  # one migrator at a time (SQLite: BEGIN IMMEDIATE does it)
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
                schema.migrate(conn, schema.current_version(conn))
        try:
            self.recover_orphans()
        except StoreReadOnlyError:
            logger.warning(
                "the store %s is read-only: orphaned pending alternatives were left as they are", self.location
            )

    def _version(self, conn: Connection, tables: set[str]) -> int:
        if "schema_version" not in tables:
            if tables:
                raise StoreCorruptError(
                    f"{self.location} is a database but not a PathLens store (tables: {', '.join(sorted(tables))}); "
                    "it was left untouched: choose another location with --store / PATHLENS_STORE"
                )
            return 0
        version = int(conn.execute(select(func.max(schema.schema_version.c.version))).scalar() or 0)
        if version > schema.LATEST_VERSION:
            raise StoreError(
                f"the store {self.location} has schema version {version}, newer than this PathLens "
                f"({schema.LATEST_VERSION}): upgrade PathLens to use it"
            )
        return version

    # -- writing ------------------------------------------------------------------------------------------------
    def input_fingerprint(self, text: str) -> str:
        """Salted hash (HMAC-SHA256 with this store's salt) of the raw text: recognises it, cannot reveal it."""
        return self._salted(b"", text)

    def group_fingerprints(self, definitions: Mapping[str, str]) -> dict[str, str]:
        """Salted hashes of user-defined groups' definitions, by name: a word list of names is personal data too,
        so the record can recognise a definition but not reveal it."""
        return {name: self._salted(b"group\0" + name.encode() + b"\0", text) for name, text in definitions.items()}

    def _salted(self, domain: bytes, text: str) -> str:
        if self._salt is None:
            with self.transaction() as conn:
                salt = conn.execute(
                    select(schema.store_meta.c.value).where(schema.store_meta.c.key == "input_salt")
                ).scalar_one()
            self._salt = bytes.fromhex(salt)
        return hmac.new(self._salt, domain + text.encode(), hashlib.sha256).hexdigest()[:32]

    def insert(self, record: DecisionRecord, worker: str | None = None) -> None:
        """Store a decision and its alternatives in one transaction: all or nothing."""
        self.insert_many([record], worker)

    def insert_many(self, records: Sequence[DecisionRecord], worker: str | None = None) -> int:
        """Store decisions and their alternatives in one transaction; returns how many were written.

        A record tagged with an audit row (`audit_id`, `audit_row`) that the store already holds is skipped, so a
        resumed or repeated audit never records a row twice. `worker` owns the pending alternatives.
        """
        stamp = schema.now_iso()
        with self.transaction(write=True) as conn:
            recorded = _recorded_audit_rows(conn, records)
            fresh = [record for record in records if (record.audit_id, record.audit_row) not in recorded]
            if not fresh:
                return 0
            conn.execute(insert(schema.decisions), [_decision_row(record) for record in fresh])
            alternative_rows = [row for record in fresh for row in _alternative_rows(record, worker, stamp)]
            if alternative_rows:
                conn.execute(insert(schema.alternatives), alternative_rows)
            audit_rows = [
                {"audit_id": r.audit_id, "input_row": r.audit_row, "decision_id": r.decision_id}
                for r in fresh
                if r.audit_id is not None
            ]
            if audit_rows:
                conn.execute(insert(schema.audit_rows), audit_rows)
            definitions = [
                {"decision_id": r.decision_id, "group_name": name, "fingerprint": fingerprint}
                for r in fresh
                for name, fingerprint in r.group_definitions.items()
            ]
            if definitions:
                conn.execute(insert(schema.group_definitions), definitions)
        return len(fresh)

    def complete(self, decision_id: str, results: Sequence[AlternativeResult]) -> None:
        """Store the outputs of computed alternatives (status `done`) in one transaction."""
        stamp = schema.now_iso()
        table = schema.alternatives
        with self.transaction(write=True) as conn:
            for result in results:
                conn.execute(
                    update(table)
                    .where(table.c.decision_id == decision_id, table.c.path_id == result.path_id)
                    .values(
                        status="done",
                        worker=None,
                        updated_at=stamp,
                        label=result.label,
                        probs=_dumps(result.probs),
                        logits=_dumps(list(result.logits)),
                        cost=_dumps(result.cost),
                        explanations=_dumps(result.explanations) if result.explanations is not None else None,
                        error=None,
                    )
                )

    def fail(self, decision_id: str, error: str, path_ids: Sequence[str] | None = None) -> None:
        """Mark pending alternatives of a decision (all, or those named) `failed` with the reason."""
        table = schema.alternatives
        condition = [table.c.decision_id == decision_id, table.c.status == "pending"]
        if path_ids is not None:
            condition.append(table.c.path_id.in_(list(path_ids)))
        with self.transaction(write=True) as conn:
            conn.execute(
                update(table)
                .where(*condition)
                .values(status="failed", worker=None, updated_at=schema.now_iso(), error=error)
            )

    def attach_explanations(self, decision_id: str, explanations: dict[str, Any], path_id: str | None = None) -> None:
        """Store explanations of the executed path (path_id None) or of one alternative."""
        self.get(decision_id)
        with self.transaction(write=True) as conn:
            if path_id is None:
                table = schema.decisions
                statement = update(table).where(table.c.decision_id == decision_id)
            else:
                table = schema.alternatives
                statement = update(table).where(table.c.decision_id == decision_id, table.c.path_id == path_id)
            conn.execute(statement.values(explanations=_dumps(explanations)))

    def recover_orphans(self, is_alive: Callable[[int], bool] = process_alive) -> int:
        """Fail orphaned pending alternatives (their process ended, or they went stale) of decisions whose text
        was not kept, naming the command that recomputes them; returns how many. Orphans of decisions whose text
        was kept stay pending: the next process with the model takes them over (`claim_orphans`)."""
        alt, dec = schema.alternatives, schema.decisions
        not_kept = select(dec.c.decision_id).where(dec.c.text.is_(None))
        with self.transaction() as conn:
            owners = conn.execute(select(alt.c.worker).where(alt.c.status == "pending").distinct()).scalars().all()
            condition = [alt.c.status == "pending", alt.c.decision_id.in_(not_kept), orphaned(is_alive, owners)]
            decision_ids = conn.execute(select(alt.c.decision_id).where(*condition).distinct()).scalars().all()
        failed = 0
        for decision_id in decision_ids:
            error = (
                "the process computing it ended before it finished and the text was not kept: recompute it with "
                f"`{resume_command(decision_id)}`"
            )
            with self.transaction(write=True) as conn:
                result = conn.execute(
                    update(alt)
                    .where(alt.c.decision_id == decision_id, *condition)
                    .values(status="failed", worker=None, updated_at=schema.now_iso(), error=error)
                )
            failed += int(result.rowcount or 0)
        return failed

    def claim_orphans(
        self, worker: str, model_fingerprint: str, is_alive: Callable[[int], bool] = process_alive
    ) -> list[Resumable]:
        """Take over orphaned pending alternatives of decisions made by this model whose text was kept."""
        alt, dec = schema.alternatives, schema.decisions
        kept = select(dec.c.decision_id).where(dec.c.text.is_not(None), dec.c.model_fingerprint == model_fingerprint)
        with self.transaction() as conn:
            owners = conn.execute(select(alt.c.worker).where(alt.c.status == "pending").distinct()).scalars().all()
            condition = [alt.c.status == "pending", alt.c.decision_id.in_(kept), orphaned(is_alive, owners)]
            if not owners or conn.execute(select(alt.c.decision_id).where(*condition).limit(1)).first() is None:
                return []  # nothing to take over: no write, so a locked store does not matter here
        with self.transaction(write=True) as conn:
            conn.execute(update(alt).where(*condition).values(worker=worker, updated_at=schema.now_iso()))
            rows = conn.execute(
                select(alt.c.decision_id, alt.c.path, dec.c.text)
                .join(dec, dec.c.decision_id == alt.c.decision_id)
                .where(alt.c.status == "pending", alt.c.worker == worker)
                .order_by(alt.c.decision_id, alt.c.position)
            ).all()
        return grouped(rows)

    def reclaim(self, decision_id: str, worker: str, is_alive: Callable[[int], bool] = process_alive) -> Resumable:
        """Take back a decision's failed and orphaned pending alternatives (to recompute them with a given text)."""
        alt = schema.alternatives
        with self.transaction() as conn:
            owners = conn.execute(select(alt.c.worker).where(alt.c.decision_id == decision_id)).scalars().all()
        taken = or_(alt.c.status == "failed", (alt.c.status == "pending") & orphaned(is_alive, owners))
        with self.transaction(write=True) as conn:
            conn.execute(
                update(alt)
                .where(alt.c.decision_id == decision_id, taken)
                .values(status="pending", worker=worker, error=None, updated_at=schema.now_iso())
            )
            paths = conn.execute(
                select(alt.c.path)
                .where(alt.c.decision_id == decision_id, alt.c.status == "pending", alt.c.worker == worker)
                .order_by(alt.c.position)
            ).scalars()
            return Resumable(decision_id, None, tuple(paths))

    # -- reading ------------------------------------------------------------------------------------------------
    def get(self, decision_id: str) -> DecisionRecord:
        """The decision and its alternatives; DecisionNotFoundError when the id is unknown."""
        found = self._records([schema.decisions.c.decision_id == decision_id], limit=1)
        if not found:
            raise DecisionNotFoundError(
                f"no decision {decision_id!r} in the store {self.location}: list recent ones on the dashboard's "
                "History page or with GET /v1/decisions, or point --store / PATHLENS_STORE at the store that "
                "recorded it"
            )
        return found[0]

    def history(
        self,
        limit: int = 50,
        model_fingerprint: str | Sequence[str] | None = None,
        path: str | None = None,
        label: str | None = None,
        since: str | None = None,
        audit_id: str | None = None,
    ) -> list[DecisionRecord]:
        """Newest first, filtered by model (a fingerprint, or any of several), canonical path, label, ISO time
        (`since`, inclusive) or batch audit."""
        table = schema.decisions
        conditions = []
        if audit_id is not None:
            conditions.append(schema.audit_rows.c.audit_id == audit_id)
        if isinstance(model_fingerprint, str):
            conditions.append(table.c.model_fingerprint == model_fingerprint)
        elif model_fingerprint is not None:
            conditions.append(table.c.model_fingerprint.in_(list(model_fingerprint)))
        if path is not None:
            conditions.append(table.c.path == path)
        if label is not None:
            conditions.append(table.c.label == label)
        if since is not None:
            conditions.append(table.c.created_at >= since)
        return self._records(conditions, limit=limit)

    def audit_decision(self, audit_id: str, row: int) -> str | None:
        """Id of the decision a batch audit recorded for its input row `row`, or None."""
        table = schema.audit_rows
        with self.transaction() as conn:
            found = conn.execute(
                select(table.c.decision_id).where(table.c.audit_id == audit_id, table.c.input_row == row)
            ).scalar()
        return None if found is None else str(found)

    def audit_rows(self, audit_id: str) -> int:
        """How many input rows of a batch audit the store holds a decision for."""
        table = schema.audit_rows
        with self.transaction() as conn:
            found = conn.execute(select(func.count()).select_from(table).where(table.c.audit_id == audit_id))
            return int(found.scalar_one())

    def count(self) -> tuple[int, int]:
        """(decisions, alternatives) stored."""
        with self.transaction() as conn:
            decided = conn.execute(select(func.count()).select_from(schema.decisions)).scalar_one()
            alternatives = conn.execute(select(func.count()).select_from(schema.alternatives)).scalar_one()
        return int(decided), int(alternatives)

    def count_history(
        self,
        model_fingerprint: str | None = None,
        path: str | None = None,
        label: str | None = None,
        since: str | None = None,
    ) -> int:
        """How many decisions `history` lists with these filters when no limit cuts the list."""
        table = schema.decisions
        filters = ((table.c.model_fingerprint, model_fingerprint), (table.c.path, path), (table.c.label, label))
        conditions = [column == value for column, value in filters if value is not None]
        if since is not None:
            conditions.append(table.c.created_at >= since)
        with self.transaction() as conn:
            return int(conn.execute(select(func.count()).select_from(table).where(*conditions)).scalar_one())

    def _records(self, conditions: list[Any], limit: int) -> list[DecisionRecord]:
        table, alt, audit, groups = schema.decisions, schema.alternatives, schema.audit_rows, schema.group_definitions
        with self.transaction() as conn:
            query = (
                select(table, audit.c.audit_id, audit.c.input_row)
                .select_from(table.outerjoin(audit, audit.c.decision_id == table.c.decision_id))
                .where(*conditions)
                .order_by(table.c.created_at.desc(), audit.c.input_row)
                .limit(limit)
            )
            rows = conn.execute(query).mappings().all()
            ids = [row["decision_id"] for row in rows]
            alt_rows = (
                conn.execute(select(alt).where(alt.c.decision_id.in_(ids)).order_by(alt.c.position)).mappings().all()
                if ids
                else []
            )
            group_rows = (
                conn.execute(select(groups).where(groups.c.decision_id.in_(ids)).order_by(groups.c.group_name)).all()
                if ids
                else []
            )
        by_decision: dict[str, list[AlternativeRecord]] = {}
        for row in alt_rows:
            by_decision.setdefault(row["decision_id"], []).append(_alternative(row))
        definitions: dict[str, dict[str, str]] = {}
        for decision_id, name, fingerprint in group_rows:
            definitions.setdefault(decision_id, {})[name] = fingerprint
        return [
            _decision(row, tuple(by_decision.get(row["decision_id"], ())), definitions.get(row["decision_id"], {}))
            for row in rows
        ]


def _alternative(row: Any) -> AlternativeRecord:
    logits = _loads(row["logits"])
    return AlternativeRecord(
        path=row["path"],
        path_id=row["path_id"],
        status=row["status"],
        label=row["label"],
        probs=_loads(row["probs"]),
        logits=tuple(logits) if logits is not None else None,
        cost=_loads(row["cost"]),
        explanations=_loads(row["explanations"]),
        error=row["error"],
        updated_at=row["updated_at"],
    )


def _decision(
    row: Any, alternatives: tuple[AlternativeRecord, ...], group_definitions: dict[str, str]
) -> DecisionRecord:
    return DecisionRecord(
        decision_id=row["decision_id"],
        created_at=row["created_at"],
        model_fingerprint=row["model_fingerprint"],
        path=row["path"],
        path_id=row["path_id"],
        input_fingerprint=row["input_fingerprint"],
        withheld=_loads(row["withheld"]),
        label=row["label"],
        probs=_loads(row["probs"]),
        logits=tuple(_loads(row["logits"])),
        cost=_loads(row["cost"]),
        tokens=_loads(row["tokens"]),
        notes=tuple(_loads(row["notes"])),
        text=row["text"],
        explanations=_loads(row["explanations"]),
        alternatives=alternatives,
        audit_id=row["audit_id"],
        audit_row=row["input_row"],
        group_definitions=group_definitions,
    )


def _decision_row(record: DecisionRecord) -> dict[str, Any]:
    return {
        "decision_id": record.decision_id,
        "created_at": record.created_at,
        "model_fingerprint": record.model_fingerprint,
        "path": record.path,
        "path_id": record.path_id,
        "input_fingerprint": record.input_fingerprint,
        "text": record.text,
        "withheld": _dumps(record.withheld),
        "label": record.label,
        "probs": _dumps(record.probs),
        "logits": _dumps(list(record.logits)),
        "cost": _dumps(record.cost),
        "tokens": _dumps(record.tokens),
        "notes": _dumps(list(record.notes)),
        "explanations": _dumps(record.explanations) if record.explanations is not None else None,
    }


def _alternative_rows(record: DecisionRecord, worker: str | None, stamp: str) -> list[dict[str, Any]]:
    """Rows of a record's alternatives: pending ones owned by `worker`, computed ones with their outputs."""

    def dumped(value: Any) -> str | None:
        return _dumps(value) if value is not None else None

    return [
        {
            "decision_id": record.decision_id,
            "path_id": alt.path_id,
            "path": alt.path,
            "position": position,
            "status": alt.status,
            "worker": worker if alt.status == "pending" else None,
            "updated_at": alt.updated_at or stamp,
            "label": alt.label,
            "probs": dumped(alt.probs),
            "logits": dumped(list(alt.logits) if alt.logits is not None else None),
            "cost": dumped(alt.cost),
            "explanations": dumped(alt.explanations),
            "error": alt.error,
        }
        for position, alt in enumerate(record.alternatives)
    ]


def _recorded_audit_rows(conn: Connection, records: Sequence[DecisionRecord]) -> set[tuple[str | None, int | None]]:
    """(audit id, row) of the records' audit rows that the store already holds (one range query per audit)."""
    table = schema.audit_rows
    wanted: dict[str, set[int]] = {}
    for record in records:
        if record.audit_id is not None and record.audit_row is not None:
            wanted.setdefault(record.audit_id, set()).add(record.audit_row)
    found: set[tuple[str | None, int | None]] = set()
    for audit_id, rows in wanted.items():
        in_range = table.c.input_row.between(min(rows), max(rows))
        stored = conn.execute(select(table.c.input_row).where(table.c.audit_id == audit_id, in_range)).scalars()
        found.update((audit_id, int(row)) for row in stored if int(row) in rows)
    return found


# -- opening ------------------------------------------------------------------------------------------------------
def store_location(location: str | Path | None = None) -> str:
    """Where decisions are recorded: `location`, else `PATHLENS_STORE`, else `.pathlens/decisions.sqlite`."""
    return str(location or os.environ.get("PATHLENS_STORE") or DEFAULT_LOCATION)


def open_store(
    location: str | Path | None = None, timeout_s: float | None = None, as_it_is: bool = False
) -> DecisionStore:
    """Open (creating on first use) the store at a file path or database URL.

    Default location: `PATHLENS_STORE`, else `.pathlens/decisions.sqlite` in the working directory. `timeout_s`
    (default `PATHLENS_STORE_TIMEOUT` or 10 s) is how long a write waits for another writer's lock. `as_it_is`
    opens an existing store without writing to it (for checks): nothing is created, migrated or recovered.
    """
    chosen = store_location(location)
    timeout = timeout_s if timeout_s is not None else float(os.environ.get("PATHLENS_STORE_TIMEOUT", DEFAULT_TIMEOUT_S))
    url = make_url(chosen) if "://" in chosen else make_url(f"sqlite:///{Path(chosen).expanduser().resolve()}")
    display = url.render_as_string(hide_password=True) if "://" in chosen else chosen
    if url.get_backend_name() == "sqlite":
        _check_sqlite_file(url.database, url.query, display, create=not as_it_is)
        engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": timeout})
        _configure_sqlite(engine, timeout)
    else:
        try:
            engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": max(1, int(timeout))})
        except (SQLAlchemyError, ImportError) as exc:
            raise StoreUnavailableError(f"cannot use the store URL {display}: {exc}") from exc
    store = DecisionStore(engine, display)
    if not as_it_is:
        store.initialise()
    return store


def _check_sqlite_file(database: str | None, query: Any, display: str, create: bool = True) -> None:
    """Refuse a folder or a file that is not SQLite; create the parent folder of a new store (unless not `create`:
    then a missing file is refused)."""
    if not database or database == ":memory:" or "uri" in query:
        return
    path = Path(database)
    if path.is_dir():
        raise StoreUnavailableError(
            f"the store {display} is a folder: give a file path, e.g. {path / 'decisions.sqlite'}"
        )
    if path.exists():
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
        if not header and not create:  # SQLite would open it as an empty database, and write to it
            raise StoreCorruptError(
                f"{display} is an empty file (0 bytes), not a PathLens store: give the path of a store with --store / "
                "PATHLENS_STORE, or remove the file and let `python -m core decide` create a store there"
            )
        if header and header != _SQLITE_HEADER:
            raise StoreCorruptError(
                f"{display} is not a SQLite database (corrupt or another kind of file); it was left untouched: "
                "move it aside or choose another location with --store / PATHLENS_STORE"
            )
        return
    if not create:
        raise StoreUnavailableError(f"there is no store at {display}: check the path (--store / PATHLENS_STORE)")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreUnavailableError(f"cannot create the folder of the store {display}: {exc.strerror}") from exc


def _configure_sqlite(engine: Engine, timeout_s: float) -> None:
    """WAL, busy timeout and foreign keys on every connection; BEGIN IMMEDIATE for write transactions."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun explicitly below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(timeout_s * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("pathlens_write") else "BEGIN")
