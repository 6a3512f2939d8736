"""Audit uploads are owned by their job: deleted when it ends, swept after a dead server, identified by content."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

import core.api.jobs as jobs_module
from core.api.jobs import AuditJobs
from core.run import PathEngine
from tests.api.conftest import LiveServer

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "audit_sample.csv"
CSV = {"content-type": "text/csv"}


def _finished(client: httpx.Client, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    status = client.get(f"/v1/audits/{job_id}").json()
    while status["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.1)
        status = client.get(f"/v1/audits/{job_id}").json()
    return status


def _uploads(live_server: LiveServer) -> Path:
    return live_server.app.state.context.jobs.folder


def test_the_upload_is_deleted_when_its_job_ends_and_resubmitting_records_nothing_twice(
    live_server: LiveServer,
) -> None:
    body = SAMPLE.read_bytes()
    with live_server.client() as client:
        first = _finished(client, client.post("/v1/audits", params={"path": "depth=1"}, content=body).json()["job_id"])
        folder = _uploads(live_server) / first["job_id"]
        left = sorted(path.name for path in folder.iterdir())
        result = client.get(f"/v1/audits/{first['job_id']}/result").text
        again = _finished(client, client.post("/v1/audits", params={"path": "depth=1"}, content=body).json()["job_id"])
    rows = first["summary"]["rows"]
    assert first["status"] == again["status"] == "done"
    assert left == ["rows.csv"], "the raw upload and the finished audit's progress are gone; the per-row results stay"
    assert "gripping thriller" in body.decode() and "gripping thriller" not in result  # results hold no text
    assert first["summary"]["out"] == f"/v1/audits/{first['job_id']}/result"
    assert again["summary"]["audit_id"] == first["summary"]["audit_id"], "the same content is the same audit"
    assert (again["summary"]["recorded"], again["summary"]["already_recorded"]) == (0, rows)
    assert len(live_server.service.history(audit_id=first["summary"]["audit_id"], limit=1000)) == rows


def test_a_failed_or_refused_upload_leaves_nothing_and_messages_do_not_show_the_server_path(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the scorer broke")

    before = set(_uploads(live_server).iterdir())
    with live_server.client() as client:
        refused = client.post("/v1/audits", params={"text_col": "review"}, content=SAMPLE.read_bytes(), headers=CSV)
        unreadable = client.post("/v1/audits", content=b"\x00\x01", headers=CSV)
        wrong_type = client.post("/v1/audits", content=b'{"text": "x"}', headers={"content-type": "application/json"})
        monkeypatch.setattr(jobs_module, "run_audit", broken)
        failed = _finished(client, client.post("/v1/audits", content=SAMPLE.read_bytes(), headers=CSV).json()["job_id"])
    server_path = str(_uploads(live_server))
    assert refused.status_code == 400 and "the uploaded file has no column 'review'" in refused.json()["error"]
    assert unreadable.status_code == 400, unreadable.text
    for answer in (refused.json()["error"], unreadable.json()["error"]):
        assert server_path not in answer and "input.csv" not in answer
    assert wrong_type.status_code == 415 and "text/csv" in wrong_type.json()["error"]
    assert failed["status"] == "failed" and "RuntimeError" in failed["error"]
    assert not (_uploads(live_server) / failed["job_id"] / "input.csv").exists()
    assert set(_uploads(live_server).iterdir()) - before == {_uploads(live_server) / failed["job_id"]}


def test_a_starting_server_sweeps_the_uploads_dead_servers_left(bundled_engine: PathEngine, tmp_path: Path) -> None:
    host = socket.gethostname()
    dead = tmp_path / f"{host}_{2**22 + 12345}" / "job"  # above the kernel's pid_max default: no such process
    reused = tmp_path / f"{host}_{os.getpid()}" / "job"  # a dead server with this process's pid (a container's)
    alive = tmp_path / f"{host}_1" / "job"  # a live process of this host
    elsewhere = tmp_path / "another-host_123" / "job"
    for folder in (dead, reused, alive, elsewhere):
        folder.mkdir(parents=True)
        (folder / "input.csv").write_text("text\nJane Roe, jane@example.com, +44 20 7946 0958\n")
    jobs = AuditJobs(bundled_engine, None, tmp_path)
    try:
        assert not dead.exists() and not reused.exists()
        assert (alive / "input.csv").exists() and (elsewhere / "input.csv").exists()
        assert jobs.folder == tmp_path / f"{host}_{os.getpid()}" and jobs.folder.is_dir()
    finally:
        jobs.close()
    assert not jobs.folder.exists(), "a server that stops removes its own uploads"
