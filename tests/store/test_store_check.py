"""`python -m core store check` (`core.store.health.check_store`): exit 0 when the record is healthy, 1 with its
problems listed (JSON on stdout), and the record is opened as it is: nothing is created, migrated or recovered."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from core.cli import main
from core.store import DecisionRecord, open_store
from core.store.schema import now_iso
from tests.conftest import decision_record


def _check(capsys: pytest.CaptureFixture[str], location: Path | str) -> tuple[int, dict, str]:
    code = main(["store", "check", "--store", str(location)])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def _record(decision_id: str) -> DecisionRecord:
    return decision_record(decision_id, created_at=now_iso())


def test_a_healthy_store_exits_0_and_is_not_written(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "ok.sqlite"
    open_store(path).insert(_record("d000001"))
    before = path.read_bytes()
    code, report, err = _check(capsys, path)
    assert code == 0 and err == ""
    assert report == {
        "store": str(path),
        "healthy": True,
        "problems": [],
        "decisions": 1,
        "alternatives": {"pending": 0, "done": 0, "failed": 0},
    }
    assert path.read_bytes() == before


def test_alternatives_without_a_decision_exit_1_listed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "ghost.sqlite"
    open_store(path)
    with sqlite3.connect(path) as conn:  # foreign keys are off in a plain sqlite3 connection
        conn.execute(
            "INSERT INTO alternatives (decision_id, path_id, path, position, status, updated_at) "
            "VALUES ('ghost', 'p', 'full', 0, 'pending', ?)",
            (now_iso(),),
        )
    code, report, err = _check(capsys, path)
    assert code == 1 and report["healthy"] is False
    assert "1 row(s) of alternatives belong to no decision" in report["problems"]
    assert err.count("\n") == 1 and "problem(s), listed above" in err


def test_damaged_pages_exit_1_listed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite"
    store = open_store(path)
    for n in range(50):
        store.insert(_record(f"d{n:06d}"))
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)  # keep the header page, wreck the rest
    path.write_bytes(bytes(data))
    code, report, _ = _check(capsys, path)
    assert code == 1 and report["problems"] and "Traceback" not in str(report)


@pytest.mark.parametrize("content", [None, b"this is not a database at all" * 100])
def test_a_missing_or_foreign_file_exits_1_and_is_left_as_it_was(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes | None
) -> None:
    path = tmp_path / "nothing.sqlite"
    if content is not None:
        path.write_bytes(content)
    code, report, _ = _check(capsys, path)
    assert code == 1 and len(report["problems"]) == 1
    assert ("there is no store at" if content is None else "not a SQLite database") in report["problems"][0]
    assert (path.read_bytes() if path.exists() else None) == content, "a check neither creates nor changes a file"


def test_an_older_schema_is_reported_not_migrated(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    open_store(path)
    with sqlite3.connect(path) as conn:
        latest = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        conn.execute("DELETE FROM schema_version WHERE version = ?", (latest,))
    code, report, _ = _check(capsys, path)
    assert code == 1 and report["problems"] == [f"schema version {latest - 1}, expected {latest}"]
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == latest - 1


def test_an_empty_file_or_another_programs_database_says_what_it_is(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    empty, foreign = tmp_path / "empty.sqlite", tmp_path / "foreign.sqlite"
    empty.write_bytes(b"")
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    for path, says in ((empty, "is an empty file (0 bytes), not a PathLens store"), (foreign, "holds no PathLens")):
        code, report, err = _check(capsys, path)
        [problem] = report["problems"]
        assert code == 1 and says in problem and "--store" in problem, problem
        assert "OperationalError" not in problem + err
    assert empty.read_bytes() == b"", "a check neither creates nor changes a file"
    with sqlite3.connect(foreign) as conn:
        assert [row[0] for row in conn.execute("SELECT name FROM sqlite_master")] == ["notes"]
