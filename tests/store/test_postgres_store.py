"""The decision record on a real PostgreSQL server (core/store by URL): schema, restart, concurrent writers.

The server is Debian's `postgresql` (installed by `make test`): a throwaway cluster is initdb'd in a temporary
folder on a free port, run as the `postgres` user when we are root, and removed afterwards.
"""

from __future__ import annotations

import glob
import multiprocessing
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import create_engine, insert, inspect, select
from sqlalchemy.pool import NullPool

from core.audit import run_audit
from core.run import PathEngine
from core.store import AlternativeRecord, AlternativeResult, DecisionRecord, open_store, schema
from core.store.health import alternative_counts, check_integrity, check_store, flip_counts
from core.store.keys import create_key, revoke_key, verify_key
from core.store.schema import now_iso
from tests.conftest import decision_record

pytest.importorskip("psycopg")


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


PG_BIN = _pg_bin()
pytestmark = pytest.mark.skipif(
    PG_BIN is None, reason="PostgreSQL server binaries are absent: `make test` installs Debian's postgresql"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as `postgres` then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="module")
def postgres_server() -> Iterator[str]:
    """A fresh server; yields a function-free base URL `postgresql+psycopg://postgres@127.0.0.1:PORT/`."""
    assert PG_BIN is not None
    root = Path(tempfile.mkdtemp(prefix="pathlens-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    run = {"check": True, "capture_output": True, "timeout": 120}
    subprocess.run(_as_server_user([str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]), **run)
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60"
    pg_ctl = str(PG_BIN / "pg_ctl")
    subprocess.run(
        _as_server_user([pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]), **run
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/"
    finally:
        subprocess.run(_as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def database_url(postgres_server: str) -> str:
    """A new empty database per test."""
    name = f"pathlens_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server + "postgres", poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return postgres_server + name


V1_DECISION = {
    "decision_id": "old",
    "created_at": "2025-01-01T00:00:00+00:00",
    "model_fingerprint": "fp",
    "path": "full",
    "path_id": "pfull",
    "input_fingerprint": "in",
    "withheld": "{}",
    "label": "positive",
    "probs": '{"positive": 1.0}',
    "logits": "[1.0]",
    "cost": "{}",
    "tokens": "{}",
    "notes": "[]",
}


def _record(worker: int, index: int) -> DecisionRecord:
    return decision_record(
        f"w{worker}-{index}-{uuid.uuid4().hex[:8]}",
        created_at=now_iso(),
        model_fingerprint="fp",
        path="depth=3",
        path_id="p3",
        input_fingerprint=f"in{worker}.{index}",
        withheld={"email": 1},
        alternatives=(AlternativeRecord(path="full", path_id="pfull"),),
    )


def test_same_schema_as_sqlite_and_survives_a_restart(database_url: str, tmp_path: Path) -> None:
    store = open_store(database_url)
    record = replace(_record(0, 0), group_definitions={"clients": "c" * 32, "vips": "v" * 32})
    store.insert(record)
    result = AlternativeResult("pfull", "negative", {"negative": 0.6, "positive": 0.4}, (0.2, -0.2), {"flops": 2})
    store.complete(record.decision_id, [result])
    reopened = open_store(database_url)  # a second opening finds the schema and migrates nothing
    stored = reopened.get(record.decision_id)
    assert (stored.label, stored.probs, stored.logits, stored.withheld) == (
        record.label,
        record.probs,
        record.logits,
        record.withheld,
    )
    assert stored.alternatives[0].status == "done" and stored.alternatives[0].label == "negative"
    assert stored.text is None and stored.input_fingerprint == record.input_fingerprint
    assert stored.group_definitions == record.group_definitions

    sqlite_store = open_store(tmp_path / "record.sqlite")

    def columns(store_engine: object) -> dict[str, list[str]]:
        inspector = inspect(store_engine)
        return {t: sorted(c["name"] for c in inspector.get_columns(t)) for t in inspector.get_table_names()}

    assert columns(reopened.engine) == columns(sqlite_store.engine)


def test_pathlens_store_variable_selects_postgres(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATHLENS_STORE", database_url)
    store = open_store()
    assert store.engine.dialect.name == "postgresql" and "postgres" in store.location
    store.insert(_record(1, 1))
    assert open_store(database_url).count() == (1, 1)


def _write_many(url: str, worker: int, count: int) -> list[str]:
    store = open_store(url)  # every process opens (and on a fresh database migrates) at the same time
    ids = []
    for index in range(count):
        record = _record(worker, index)
        store.insert(record)
        store.complete(record.decision_id, [AlternativeResult("pfull", "positive", {"positive": 1.0}, (1.0,), {})])
        ids.append(record.decision_id)
    return ids


def test_concurrent_writers_from_processes_lose_nothing(database_url: str) -> None:
    workers, per_worker = 6, 40
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        written = pool.starmap(_write_many, [(database_url, w, per_worker) for w in range(workers)])
    store = open_store(database_url)
    assert store.count() == (workers * per_worker, workers * per_worker)
    stored = {r.decision_id: r for r in store.history(limit=workers * per_worker + 10)}
    assert set(stored) == {i for ids in written for i in ids}
    assert all(r.alternatives[0].status == "done" and r.probs["positive"] == 0.75 for r in stored.values())


def test_a_version_1_database_is_migrated_in_place(database_url: str) -> None:
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.begin() as conn:  # what PathLens at schema version 1 created, with one decision in it
        schema.current_version(conn)
        schema.MIGRATIONS[0](conn)
        conn.execute(insert(schema.schema_version).values(version=1, applied_at=now_iso()))
        conn.execute(insert(schema.decisions).values(V1_DECISION))
    engine.dispose()
    store = open_store(database_url)
    with store.engine.begin() as conn:
        versions = conn.execute(select(schema.schema_version.c.version)).scalars().all()
    assert versions == list(range(1, schema.LATEST_VERSION + 1))
    old = store.get("old")
    assert (old.label, old.audit_id, old.audit_row, old.group_definitions) == ("positive", None, None, {})
    store.insert(_record(0, 0))
    assert store.count() == (2, 1)


def test_audit_records_on_postgres_without_duplicates(
    bundled_engine: PathEngine, database_url: str, tmp_path: Path
) -> None:
    texts = ["a gripping , moving film", "dull and far too long", "mail me at bob@example.com", "superb", "awful"]
    source, out = tmp_path / "input.csv", tmp_path / "out.csv"
    pd.DataFrame({"text": texts}).to_csv(source, index=False)
    store, spec = open_store(database_url), "depth=2; withhold=email"

    def interrupt(done: int, total: int | None) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_audit(bundled_engine, source, spec, out=out, store=store, chunk_rows=2, progress=interrupt)
    out.with_name(out.name + ".progress.json").unlink()  # as if the process died before saving its progress
    result = run_audit(bundled_engine, source, spec, out=out, store=store, chunk_rows=2)
    assert (result.recorded, result.already_recorded) == (3, 2)
    assert store.count() == (len(texts), len(texts))
    records = sorted(store.history(limit=100, audit_id=result.audit_id), key=lambda r: r.audit_row or 0)
    assert [r.audit_row for r in records] == list(range(len(texts)))
    decisions = bundled_engine.decide_batch(texts, bundled_engine.parse(spec))
    assert [r.label for r in records] == [d.label for d in decisions]
    assert records[2].withheld == {"email": 1} and all(r.text is None for r in records)
    assert {(a.path, a.status) for r in records for a in r.alternatives} == {("withhold=email", "done")}


def test_api_keys_and_integrity_check_on_postgres(database_url: str) -> None:
    store = open_store(database_url)
    key, stored = create_key(store, "admin", "ops")
    assert verify_key(store, key) == stored
    revoke_key(store, stored.key_id)
    assert verify_key(store, key) is None
    store.insert(_record(0, 0))
    assert check_integrity(store) == [] and alternative_counts(store) == {"pending": 1, "done": 0, "failed": 0}


def test_flip_counts_per_path_and_store_check_on_postgres(database_url: str) -> None:
    store = open_store(database_url)
    for index, full_label in enumerate(["negative", "positive", "positive"]):
        record = replace(_record(0, index), created_at=f"2026-01-01T00:00:0{index}.000000+00:00")
        store.insert(record)
        store.complete(record.decision_id, [AlternativeResult("pfull", full_label, {full_label: 1.0}, (1.0,), {})])
    assert flip_counts(store, "fp", window=2, is_full=lambda path: path == "full") == {"depth=3": (0, 2)}
    assert flip_counts(store, "fp", window=3, is_full=lambda path: path == "full") == {"depth=3": (1, 3)}
    report = check_store(database_url)
    assert report["healthy"] is True and report["decisions"] == 3 and report["alternatives"]["done"] == 3
