"""Hostile and careless requests get a clear 4xx; a store that cannot record is told apart (503, readiness)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.api import ApiSettings, create_app
from core.errors import InputError
from core.run import PathEngine
from core.service import DecisionService
from core.store import StoreFullError, open_store
from core.store.keys import create_key
from tests.api.conftest import LiveServer, start_server

SURROGATE_BODY = b'{"text": "x \\ud800 y"%s}'


@pytest.mark.parametrize("extra", [b"", b', "path": "depth=2"'])
def test_a_lone_surrogate_in_the_text_is_a_400_on_every_route_that_reads_one(
    live_server: LiveServer, extra: bytes
) -> None:
    headers = {"content-type": "application/json"}
    with live_server.client() as client:
        decision_id = client.post("/v1/decisions", json={"text": "fine", "compare": False}).json()["decision_id"]
        answers = [
            client.post("/v1/decisions", content=SURROGATE_BODY % extra, headers=headers),
            client.post(f"/v1/decisions/{decision_id}/reproduce", content=SURROGATE_BODY % b"", headers=headers),
            client.post(f"/v1/decisions/{decision_id}/explain", content=SURROGATE_BODY % b"", headers=headers),
        ]
    for answer in answers:
        assert answer.status_code == 400, answer.text
        assert "lone surrogate (U+D800) at character 2" in answer.json()["error"]


def test_405_answers_list_the_methods_the_route_takes(live_server: LiveServer) -> None:
    with live_server.client() as client:
        trace = client.request("TRACE", "/healthz")
        delete = client.delete("/v1/decisions")
        put = client.put("/v1/decisions/abc/explain")
        head = client.head("/healthz")  # FastAPI's routes take no HEAD: Allow must not offer it
    assert trace.status_code == delete.status_code == put.status_code == head.status_code == 405
    assert head.headers["allow"] == "GET"
    assert trace.headers["allow"] == "GET" and "takes GET, not TRACE" in trace.json()["error"]
    assert delete.headers["allow"] == "GET, POST"
    assert put.headers["allow"] == "POST"


def test_history_takes_only_a_time_for_since(live_server: LiveServer) -> None:
    with live_server.client() as client:
        decision_id = client.post("/v1/decisions", json={"text": "a fine day", "compare": False}).json()["decision_id"]
        created = client.get(f"/v1/decisions/{decision_id}").json()["created_at"]
        bad = client.get("/v1/decisions", params={"since": "not-a-date"})
        same = client.get("/v1/decisions", params={"since": created}).json()["decisions"]
        offset = client.get("/v1/decisions", params={"since": "2999-01-01T01:00:00+01:00"}).json()
    assert bad.status_code == 422 and "since" in bad.json()["error"]
    assert decision_id in [d["decision_id"] for d in same]
    assert offset["count"] == 0


@pytest.mark.parametrize(
    ("url", "options"),
    [
        ("/v1/decisions", {"json": {"text": "fine", "keep_text": "yes"}}),
        ("/v1/decisions", {"json": {"text": "fine", "compare": 1}}),
        ("/v1/audits", {"params": {"keep_text": "yes"}, "content": b"text\nfine\n"}),
        ("/v1/audits", {"params": {"record": "1"}, "content": b"text\nfine\n"}),
    ],
)
def test_flags_are_true_or_false_not_guessed(live_server: LiveServer, url: str, options: dict) -> None:
    with live_server.client() as client:
        answer = client.post(url, **options)
    assert answer.status_code == 422, answer.text
    assert "keep_text" in answer.json()["error"] or "compare" in answer.json()["error"] or "record" in answer.text


def test_key_names_refuse_control_characters_and_unknown_keys_are_404(live_server: LiveServer) -> None:
    with live_server.client() as client:
        nul = client.post("/v1/keys", json={"role": "viewer", "name": "bob\u0000"})
        surrogate = client.post(
            "/v1/keys",
            content=b'{"role": "viewer", "name": "x\\ud800"}',
            headers={"content-type": "application/json"},
        )
        unknown = client.delete("/v1/keys/unknown")
    assert nul.status_code == 422 and "name" in nul.json()["error"]
    assert surrogate.status_code == 400 and "name holds a lone surrogate" in surrogate.json()["error"]
    assert unknown.status_code == 404 and "no API key 'unknown'" in unknown.json()["error"]
    for name, code in (("ding\a", "0007"), ("x\ud800", "D800")):  # the CLI's `keys create` makes the same check
        with pytest.raises(InputError, match=f"U\\+{code}"):
            create_key(live_server.store, "viewer", name)


def test_a_decision_the_store_could_not_record_is_a_503_with_the_decision(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise StoreFullError("the store could not be written: the disk is full; free space and retry")

    monkeypatch.setattr(live_server.store, "insert", full_disk)
    with live_server.client() as client:
        answer = client.post("/v1/decisions", json={"text": "Great film", "path": "depth=2"})
    assert answer.status_code == 503, answer.text
    body = answer.json()
    assert "made but not recorded" in body["error"] and "disk is full" in body["error"]
    assert body["decision"]["record"]["status"] == "failed" and body["decision"]["label"] in ("positive", "negative")


def test_an_unexpected_failure_is_a_json_500(live_server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**_filters: object) -> None:
        raise RuntimeError("a bug that quotes a secret")

    monkeypatch.setattr(live_server.service, "history", broken)
    with live_server.client() as client:
        answer = client.get("/v1/decisions")
    assert answer.status_code == 500
    assert answer.json() == {"error": "the server failed unexpectedly: retry, and report it if it persists"}


@pytest.fixture
def read_only_server(bundled_engine: PathEngine, tmp_path: Path) -> Iterator[str]:
    path = tmp_path / "ro.sqlite"
    open_store(path)
    service = DecisionService(bundled_engine, open_store(f"sqlite:///file:{path}?mode=ro&uri=true"))
    server, thread, url = start_server(create_app(service, ApiSettings(uploads=tmp_path / "uploads")))
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=60)
        service.close(timeout_s=60)


def test_readiness_opens_the_store_and_says_what_is_wrong(live_server: LiveServer, read_only_server: str) -> None:
    with live_server.client() as client:
        ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready", "store": live_server.store.location}
    with httpx.Client(base_url=read_only_server, timeout=60) as client:
        not_ready = client.get("/readyz")
        alive = client.get("/healthz")
        decided = client.post("/v1/decisions", json={"text": "Great film"})
    assert not_ready.status_code == 503 and "read-only" in not_ready.json()["error"]
    assert len(not_ready.json()["problems"]) == 1
    assert alive.status_code == 200  # liveness: the process is up
    assert decided.status_code == 503 and decided.json()["decision"]["record"]["status"] == "failed"
