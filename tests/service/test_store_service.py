"""The record through the service: restarts, concurrency, privacy, kill -9 with pending alternatives, full disk."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import event

from core.errors import InputError
from core.run import PathEngine
from core.service import DecisionService
from core.store import DecisionStore, open_store
from tests.conftest import recorded_bytes

ROOT = Path(__file__).parents[2]
ENV = {**os.environ, "HF_HUB_OFFLINE": "1"}
EMAIL, PHONE, CARD = "jane.roe@example.com", "+44 20 7946 0958", "4111 1111 1111 1111"
PRIVATE_TEXT = f"Zanzibarian service was awful, refund card {CARD}, mail {EMAIL} or call {PHONE}"


def _cli(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "core", *args], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_record_survives_a_restart_and_reproduces(tmp_path: Path) -> None:
    store = str(tmp_path / "restart.sqlite")
    decided = _cli("decide", "--text", "A gentle, moving film.", "--path", "depth=3", "--keep-text", "--store", store)
    assert decided["record"]["status"] == "stored" and decided["record"]["alternatives_queued"] == 5
    record = open_store(store).get(decided["decision_id"])  # this process reads what the first one wrote
    assert record.label == decided["label"] and record.comparison_status == "done"
    assert record.text == "A gentle, moving film."
    reproduced = _cli("reproduce", "--decision", decided["decision_id"], "--store", store)
    assert reproduced["matches"] is True and reproduced["alternatives_matching"] == 5


def test_eight_threads_of_fifty_decisions_store_everything(bundled_engine: PathEngine, tmp_path: Path) -> None:
    store = open_store(tmp_path / "threads.sqlite")
    service = DecisionService(bundled_engine, store)
    paths = [bundled_engine.parse(p) for p in ("full", "depth=2", "depth=4; withhold=number", "layers=0,2")]
    ids: list[str] = []
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for n in range(50):
                audited = service.decide(f"review {worker}-{n}: it was fine", paths[(worker + n) % len(paths)])
                assert audited.record.status == "stored"
                ids.append(audited.decision.decision_id)
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert service.close(timeout_s=150)
    records = store.history(limit=1000)
    assert len(ids) == len(set(ids)) == len(records) == 400
    for record in records:
        assert record.comparison_status == "done", record.alternatives
        assert len(record.alternatives) == (6 if record.path == "layers=0,2" else 5)
        assert all(abs(sum(alt.probs.values()) - 1) < 1e-4 for alt in record.alternatives if alt.probs)
    with sqlite3.connect(tmp_path / "threads.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_withheld_data_and_raw_text_never_reach_the_store_or_logs(
    bundled_engine: PathEngine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path, also = "depth=3; withhold=email,phone,card", ["layers=0,2"]
    audited, blob = recorded_bytes(bundled_engine, tmp_path, PRIVATE_TEXT, path, also, caplog)
    assert audited.decision.withheld == {"card": 1, "email": 1, "phone": 1}
    for secret in (EMAIL, PHONE, CARD, CARD.replace(" ", ""), PRIVATE_TEXT, "Zanzibarian"):
        assert secret.encode() not in blob, secret


_KILLED = (
    "import sys, threading\n"
    "from core.run.engine import PathEngine\n"
    "from core.model.loading import load_model\n"
    "from core.service.decisions import DecisionService\n"
    "from core.store import open_store\n"
    "service = DecisionService(PathEngine(load_model()), open_store(sys.argv[1]))\n"
    "spec = service.engine.parse('depth=2')\n"
    "audited = service.decide('Good.', spec)\n"
    "service.gate.foreground().__enter__()  # a primary that never ends: the worker waits before its layers\n"
    "audited = service.decide(sys.argv[2], spec, keep_text=sys.argv[3] == 'keep')\n"
    "print(audited.decision.decision_id, flush=True)\n"
    "threading.Event().wait()\n"
)


def _kill_during_the_comparison_set(path: str, text: str, keep: bool) -> str:
    """Decide `text` in a child process, SIGKILL it while its comparison set is queued; the decision's id."""
    args = [sys.executable, "-c", _KILLED, path, text, "keep" if keep else "drop"]
    child = subprocess.Popen(args, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    decision_id = child.stdout.readline().strip()
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    return decision_id


def _assert_alternatives_match(engine: PathEngine, store: DecisionStore, decision_id: str, text: str) -> None:
    record = store.get(decision_id)
    assert [alt.status for alt in record.alternatives] == ["done"] * len(record.alternatives)
    for alt in record.alternatives:  # recomputed, not copied: each equals a fresh decision on that path
        fresh = engine.decide(text, engine.parse(alt.path))
        assert alt.label == fresh.label
        assert alt.logits == pytest.approx(fresh.logits, abs=1e-4)


def test_kill_nine_then_the_next_process_resumes_a_kept_text_comparison_set(
    bundled_engine: PathEngine, tmp_path: Path
) -> None:
    path, text = str(tmp_path / "killed.sqlite"), "Bad, slow and rude."
    decision_id = _kill_during_the_comparison_set(path, text, keep=True)
    store = open_store(path)
    assert {alt.status for alt in store.get(decision_id).alternatives} == {"pending"}  # left for resumption
    service = DecisionService(bundled_engine, store)  # the next process with the model takes them over
    assert service.resumed == 1
    assert service.close(timeout_s=120)
    _assert_alternatives_match(bundled_engine, store, decision_id, text)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_kill_nine_without_the_text_names_the_command_that_recomputes(
    bundled_engine: PathEngine, tmp_path: Path
) -> None:
    path, text = str(tmp_path / "killed.sqlite"), "Bad."
    decision_id = _kill_during_the_comparison_set(path, text, keep=False)
    store: DecisionStore = open_store(path)  # reopening fails the orphans it cannot recompute, saying how to
    record = store.get(decision_id)
    assert record.label in ("negative", "positive") and store.count()[0] == 2
    assert {alt.status for alt in record.alternatives} == {"failed"}
    command = f'python -m core resume --decision {decision_id} --text "THE TEXT"'
    assert command in (record.alternatives[0].error or "")
    assert DecisionService(bundled_engine, store).resumed == 0  # nothing it can recompute without the text
    result = _cli("resume", "--store", path, "--decision", decision_id, "--text", text)
    assert result["recomputed_alternatives"] == len(record.alternatives)
    assert result["comparison"]["pending"] == []
    _assert_alternatives_match(bundled_engine, store, decision_id, text)


def test_full_disk_still_returns_the_decision_and_reports_the_failed_write(
    bundled_engine: PathEngine, tmp_path: Path
) -> None:
    store = open_store(tmp_path / "full.sqlite")
    service = DecisionService(bundled_engine, store)
    service.decide("first", bundled_engine.parse("full"), compare=False)

    @event.listens_for(store.engine, "connect")
    def _cap_size(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    audited = service.decide("A long review. " * 300, bundled_engine.parse("depth=2"), keep_text=True)
    event.remove(store.engine, "connect", _cap_size)
    data = audited.to_json()
    assert data["label"] in ("negative", "positive")
    assert data["record"]["status"] == "failed" and "disk is full" in data["record"]["error"]
    assert service.pending() == 0 and store.count()[0] == 1


def test_reproduce_refuses_a_different_text(bundled_engine: PathEngine, tmp_path: Path) -> None:
    service = DecisionService(bundled_engine, open_store(tmp_path / "text.sqlite"))
    audited = service.decide("Lovely.", bundled_engine.parse("depth=1"), compare=False)
    with pytest.raises(InputError, match="not kept"):
        service.reproduce(audited.decision.decision_id)
    with pytest.raises(InputError, match="fingerprints differ"):
        service.reproduce(audited.decision.decision_id, text="Lovely!")
    assert service.reproduce(audited.decision.decision_id, text="Lovely.").matches


def _read_only(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.execute("PRAGMA query_only = ON")  # every write fails as on a read-only file


def _statuses(store: DecisionStore, decision_id: str) -> set[str]:
    return {alt.status for alt in store.get(decision_id).alternatives}


def _eventually(condition: Callable[[], bool], timeout_s: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.mark.parametrize("give_up_s", [600.0, 0.0])
def test_alternatives_the_store_refused_are_written_when_it_recovers_or_failed_with_the_reason(
    bundled_engine: PathEngine, tmp_path: Path, give_up_s: float
) -> None:
    """Issue 25, row 6: they stayed `pending` forever, owned by the live process, until it was restarted."""
    store = open_store(tmp_path / "refused.sqlite")
    service = DecisionService(bundled_engine, store)
    assert service.worker is not None
    unwritten = service.worker.unwritten
    unwritten.first_delay_s, unwritten.give_up_s = 0.05, give_up_s
    with service.gate.foreground():  # the worker computes and writes nothing until the store has become read-only
        audited = service.decide("Bad, slow and rude.", bundled_engine.parse("depth=2"))
        event.listen(store.engine, "connect", _read_only)
    decision_id = audited.decision.decision_id
    assert audited.record.status == "stored" and service.wait(timeout_s=120)
    assert _eventually(lambda: len(unwritten) == 1)
    assert _statuses(store, decision_id) == {"pending"}  # refused: kept in memory, retried meanwhile
    event.remove(store.engine, "connect", _read_only)  # the store recovers
    assert _eventually(lambda: len(unwritten) == 0)
    alternatives = store.get(decision_id).alternatives
    if give_up_s:
        assert {alt.status for alt in alternatives} == {"done"} and all(alt.label for alt in alternatives)
    else:
        assert {alt.status for alt in alternatives} == {"failed"}
        error = alternatives[0].error or ""
        assert "computed, but not stored" in error and "read-only" in error
        assert f"python -m core resume --decision {decision_id}" in error
    service.close()


def test_closing_the_service_tries_a_refused_write_once_more(bundled_engine: PathEngine, tmp_path: Path) -> None:
    store = open_store(tmp_path / "closing.sqlite")
    service = DecisionService(bundled_engine, store)
    assert service.worker is not None
    service.worker.unwritten.first_delay_s = 3600.0  # no retry of its own before the service closes
    with service.gate.foreground():
        audited = service.decide("Lovely food.", bundled_engine.parse("depth=2"))
        event.listen(store.engine, "connect", _read_only)
    assert service.wait(timeout_s=120) and _eventually(lambda: len(service.worker.unwritten) == 1)
    event.remove(store.engine, "connect", _read_only)
    assert _statuses(store, audited.decision.decision_id) == {"pending"}
    assert service.close()
    assert _statuses(store, audited.decision.decision_id) == {"done"}
