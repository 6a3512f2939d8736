"""`python -m core keys create` and `python -m core serve --auth` as a user runs them: a real process and port."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.api.conftest import free_port

SECRET_TEXT = "Zanzibar-quartz-7781 is my password, the film was great"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "core", *args], capture_output=True, text=True, env=env, timeout=120)


def _wait_until_up(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the server did not come up in 120 s")


def test_keys_and_serve_commands(tmp_path: Path) -> None:
    store = str(tmp_path / "record.sqlite")
    created = _cli("keys", "create", "--role", "analyst", "--name", "ci", "--store", store)
    assert created.returncode == 0, created.stderr
    key = json.loads(created.stdout)["key"]
    assert "shown only now" in created.stderr
    refused = _cli("keys", "create", "--role", "root", "--store", store)
    assert refused.returncode == 2 and "invalid choice: 'root'" in refused.stderr

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-m", "core", "serve", "--port", str(port), "--store", store, "--auth"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        _wait_until_up(url, process)
        with httpx.Client(base_url=url, timeout=60) as client:
            assert client.post("/v1/decisions", json={"text": SECRET_TEXT}).status_code == 401
            headers = {"Authorization": f"Bearer {key}"}
            answer = client.post("/v1/decisions", json={"text": SECRET_TEXT, "path": "depth=2"}, headers=headers)
            assert answer.status_code == 201, answer.text
            assert client.post("/v1/decisions", json={"text": SECRET_TEXT, "path": "depth=7"}, headers=headers).json()
            assert "/v1/decisions" in client.get("/openapi.json").json()["paths"]
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    lines = [json.loads(line) for line in stderr.splitlines() if line.strip()]  # every line is one JSON object
    requests = [line for line in lines if line["message"] == "request" and line["route"] == "/v1/decisions"]
    assert [r["status"] for r in requests] == [401, 201, 400]
    assert requests[1]["role"] == "analyst" and requests[1]["key_id"] == json.loads(created.stdout)["key_id"]
    for word in ("Zanzibar", "quartz", "7781", "password"):
        assert word not in stderr
    listed = json.loads(_cli("keys", "list", "--store", store).stdout)["keys"]
    assert [(k["role"], k["name"], k["active"]) for k in listed] == [("analyst", "ci", True)]


def test_serve_on_a_busy_port_or_an_unknown_host_says_so_in_one_line_with_exit_2(tmp_path: Path) -> None:
    store = str(tmp_path / "record.sqlite")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = _cli("serve", "--port", str(port), "--store", store)
    unknown = _cli("serve", "--host", "no-such-host.invalid", "--store", store)
    assert busy.returncode == unknown.returncode == 2, busy.stderr + unknown.stderr  # 3 means decided, not recorded
    assert busy.stderr.splitlines() == [
        f"error: cannot listen on 127.0.0.1:{port}: Address already in use: choose another --port (0: any free port) "
        "or stop what listens there"
    ]
    [line] = unknown.stderr.splitlines()
    assert line.startswith("error: --host no-such-host.invalid: the name does not resolve (") and "0.0.0.0" in line
