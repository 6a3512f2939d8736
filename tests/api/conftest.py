"""A real PathLens API server (uvicorn in a thread) on a free local port, over the bundled model."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from core.api import ApiSettings, create_app
from core.run import PathEngine
from core.service import DecisionService
from core.store import DecisionStore, open_store
from core.store.keys import create_key


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    service: DecisionService
    store: DecisionStore
    keys: dict[str, str]  # role -> key (auth servers only)
    app: FastAPI

    def client(self, role: str | None = None, timeout: float = 60.0) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.keys[role]}"} if role else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=timeout)


def start_server(app: FastAPI) -> tuple[uvicorn.Server, threading.Thread, str]:
    """Serve `app` on a free local port in a thread; stop it with `server.should_exit = True` and a join."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, name="api-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the API server did not start"
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def live_server(
    bundled_engine: PathEngine, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[LiveServer]:
    """A server with a fresh SQLite store; `auth` from the test module's `AUTH` (default False), the JSON body limit
    from its `MAX_BODY_BYTES` (default 64 KiB, so that the 413 tests send little)."""
    auth = bool(getattr(request.module, "AUTH", False))
    max_body = int(getattr(request.module, "MAX_BODY_BYTES", 64 * 1024))
    store = open_store(Path(tmp_path_factory.mktemp("api")) / "decisions.sqlite")
    keys = {role: create_key(store, role, f"test {role}")[0] for role in ("viewer", "analyst", "admin")}
    service = DecisionService(bundled_engine, store)
    app = create_app(service, ApiSettings(auth=auth, max_body_bytes=max_body))
    server, thread, url = start_server(app)
    try:
        yield LiveServer(url, service, store, keys, app)
    finally:
        server.should_exit = True
        thread.join(timeout=60)
        service.close(timeout_s=60)
