"""The decision record on SQLite: round trip, faults (missing id, locked, read-only, corrupt, full), processes."""

from __future__ import annotations

import hashlib
import socket
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, insert, select

from core.store import (
    AlternativeRecord,
    AlternativeResult,
    DecisionNotFoundError,
    DecisionRecord,
    Resumable,
    StoreCorruptError,
    StoreFullError,
    StoreLockedError,
    StoreReadOnlyError,
    open_store,
    schema,
    worker_id,
)
from core.store.schema import LATEST_VERSION, now_iso
from tests.conftest import decision_record


def make_record(decision_id: str, alternatives: int = 2, text: str | None = None) -> DecisionRecord:
    return decision_record(
        decision_id,
        created_at=f"2025-01-01T00:00:00.{decision_id[-6:]:0>6}+00:00",
        withheld={"email": 1},
        text=text,
        alternatives=tuple(AlternativeRecord(f"depth={k}", f"a{k}") for k in range(alternatives)),
    )


def test_round_trip_keeps_every_field_in_order(tmp_path: Path) -> None:
    store = open_store(tmp_path / "r.sqlite")
    record = replace(make_record("d000001"), group_definitions={"clients": "c" * 32, "vips": "v" * 32})
    store.insert(record, worker_id())
    store.complete("d000001", [AlternativeResult("a0", "negative", {"positive": 0.1, "negative": 0.9}, (0.0, 2.0), {})])
    store.fail("d000001", "boom")
    got = store.get("d000001")
    assert got.probs == record.probs and list(got.probs) == ["positive", "negative"]
    assert got.logits == record.logits and got.withheld == {"email": 1} and got.text is None
    assert got.group_definitions == record.group_definitions
    assert store.history()[0].group_definitions == record.group_definitions
    assert [(a.status, a.label, a.error) for a in got.alternatives] == [
        ("done", "negative", None),
        ("failed", None, "boom"),
    ]
    assert got.comparison_status == "failed"
    assert store.history(label="positive")[0].decision_id == "d000001"
    assert store.history(label="negative") == []


def test_salt_is_per_store_and_fingerprints_are_stable(tmp_path: Path) -> None:
    first, second = open_store(tmp_path / "a.sqlite"), open_store(tmp_path / "b.sqlite")
    assert first.input_fingerprint("hello") == open_store(tmp_path / "a.sqlite").input_fingerprint("hello")
    assert first.input_fingerprint("hello") != second.input_fingerprint("hello")
    assert first.input_fingerprint("hello") != hashlib.sha256(b"hello").hexdigest()[:32]


def test_missing_decision_id_says_where_it_looked(tmp_path: Path) -> None:
    store = open_store(tmp_path / "m.sqlite")
    with pytest.raises(DecisionNotFoundError, match="no decision 'nope'"):
        store.get("nope")


def test_a_store_is_created_with_the_latest_schema_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deep" / "s.sqlite"
    open_store(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == LATEST_VERSION


def test_corrupt_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a database at all" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreCorruptError, match="left untouched"):
        open_store(path)
    assert path.read_bytes() == before


def test_damaged_pages_are_reported_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite"
    store = open_store(path)
    for n in range(50):
        store.insert(make_record(f"d{n:06d}"))
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)  # keep the header page, wreck the rest
    path.write_bytes(bytes(data))
    with pytest.raises(StoreCorruptError):
        open_store(path).history()


def test_another_applications_database_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StoreCorruptError, match="not a PathLens store"):
        open_store(path)
    with sqlite3.connect(path) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["invoices"]


def test_locked_store_gives_a_clear_error_after_the_timeout(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    store = open_store(path, timeout_s=0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreLockedError, match="locked by another process"):
            store.insert(make_record("d000001"))
        assert store.count() == (0, 0)  # readers are not blocked by the writer (WAL)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store.insert(make_record("d000001"))


def test_read_only_store_is_readable_and_refuses_writes_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite"
    open_store(path).insert(make_record("d000001"))
    before = path.read_bytes()
    store = open_store(f"sqlite:///file:{path}?mode=ro&uri=true")
    assert store.get("d000001").label == "positive"
    with pytest.raises(StoreReadOnlyError, match="read-only"):
        store.insert(make_record("d000002"))
    assert path.read_bytes() == before


def test_full_disk_is_reported_and_the_write_rolled_back(tmp_path: Path) -> None:
    store = open_store(tmp_path / "f.sqlite")
    store.insert(make_record("d000001"))

    @event.listens_for(store.engine, "connect")
    def _cap_size(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    big = make_record("d000002", alternatives=300)
    with pytest.raises(StoreFullError, match="disk is full"):
        store.insert(big)
    event.remove(store.engine, "connect", _cap_size)
    assert store.count() == (1, 2)


def test_orphaned_pending_alternatives_are_failed_on_recovery(tmp_path: Path) -> None:
    store = open_store(tmp_path / "o.sqlite")
    store.insert(make_record("d000001"), worker="this-host-is-elsewhere:1")
    store.insert(make_record("d000002"), worker=worker_id())
    assert store.recover_orphans() == 0  # a live local process and a recent remote one keep theirs
    assert store.recover_orphans(is_alive=lambda pid: False) == 2
    assert {a.status for a in store.get("d000002").alternatives} == {"failed"}
    assert "python -m core resume --decision d000002" in (store.get("d000002").alternatives[0].error or "")
    assert {a.status for a in store.get("d000001").alternatives} == {"pending"}


def test_orphans_of_kept_texts_stay_pending_and_are_claimed_once(tmp_path: Path) -> None:
    store = open_store(tmp_path / "c.sqlite")
    dead = f"{socket.gethostname()}:999999999"
    store.insert(make_record("d000001", text="kept text"), worker=dead)
    store.insert(make_record("d000002"), worker=dead)  # text not kept
    store.insert(make_record("d000003", text="mine"), worker=worker_id())  # a live owner keeps its rows
    assert store.recover_orphans() == 2  # only the not-kept decision's rows can be given up
    assert {a.status for a in store.get("d000001").alternatives} == {"pending"}
    assert store.claim_orphans("other:1", "another model") == []
    claimed = store.claim_orphans("new:1", "model")
    assert claimed == [Resumable("d000001", "kept text", ("depth=0", "depth=1"))]
    assert store.claim_orphans("new:2", "model") == []  # already owned by a live claimer
    with store.transaction() as conn:
        owners = conn.execute(select(schema.alternatives.c.decision_id, schema.alternatives.c.worker)).all()
    assert sorted(set(owners)) == [("d000001", "new:1"), ("d000002", None), ("d000003", worker_id())]


_WRITER = """
import sys
from core.store import open_store
from tests.store.test_store import make_record
store = open_store(sys.argv[1])
for n in range(int(sys.argv[3])):
    store.insert(make_record(f"{sys.argv[2]}{n:06d}", alternatives=3))
"""


def test_several_processes_write_at_once(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite"
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(path), f"w{k}", "40"], cwd=Path(__file__).parents[2])
        for k in range(3)
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0]
    store = open_store(path)
    assert store.count() == (120, 360)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_insert_many_skips_audit_rows_already_recorded(tmp_path: Path) -> None:
    store = open_store(tmp_path / "a.sqlite")
    tagged = [replace(make_record(f"d00000{n}"), audit_id="audit-1", audit_row=n) for n in range(4)]
    assert store.insert_many(tagged[:2]) == 2
    rerun = [replace(record, decision_id=f"e00000{n}") for n, record in enumerate(tagged)]  # new ids, same rows
    assert store.insert_many(rerun) == 2
    assert store.count() == (4, 8)
    recorded = {(r.decision_id, r.audit_row) for r in store.history(audit_id="audit-1")}
    assert recorded == {("d000000", 0), ("d000001", 1), ("e000002", 2), ("e000003", 3)}
    assert store.history(audit_id="audit-2") == [] and store.get("d000000").audit_id == "audit-1"


def test_a_version_1_store_is_migrated_in_place(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:  # what PathLens at schema version 1 created, with one decision in it
        schema.current_version(conn)
        schema.MIGRATIONS[0](conn)
        conn.execute(insert(schema.schema_version).values(version=1, applied_at=now_iso()))
        conn.execute(
            insert(schema.decisions).values(
                decision_id="old",
                created_at=now_iso(),
                model_fingerprint="fp",
                path="full",
                path_id="pfull",
                input_fingerprint="in",
                withheld="{}",
                label="positive",
                probs='{"positive": 1.0}',
                logits="[1.0]",
                cost="{}",
                tokens="{}",
                notes="[]",
            )
        )
    engine.dispose()
    store = open_store(path)
    with sqlite3.connect(path) as conn:
        assert [v for (v,) in conn.execute("SELECT version FROM schema_version ORDER BY version")] == list(
            range(1, LATEST_VERSION + 1)
        )
    assert (store.get("old").label, store.get("old").audit_id, store.get("old").group_definitions) == (
        "positive",
        None,
        {},
    )
    store.insert_many([replace(make_record("d000001"), audit_id="audit-1", audit_row=0)])
    assert store.count() == (2, 2) and store.get("d000001").audit_row == 0
