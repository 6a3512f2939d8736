"""API throughput: decisions/s through the HTTP API (`python -m core serve`) vs the same decisions through
`core.service.DecisionService` in-process, on the bundled model.

Run from the project root: `HF_HUB_OFFLINE=1 .venv/bin/python -m bench.api_throughput [--rounds 5] [--per-round 100]`.
The server is a real `python -m core serve` process on a free local port (no auth, and with `--auth` a second
one); clients are httpx with keep-alive, one at a time or `--clients` at once. Every decision is recorded in a
throwaway SQLite store; comparison sets are off on both sides (`compare: false`), so the figure is the answer
path: parse, decide, record. Rounds interleave the contenders, so machine noise hits all alike; rates are medians.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pandas as pd

from core.model import load_model
from core.run import PathEngine
from core.service import DecisionService
from core.store import open_store
from core.store.keys import create_key

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "sst2" / "dev.csv"
PATH = "depth=3"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(store: str, auth: bool) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-m", "core", "serve", "--port", str(port), "--store", store]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    server = subprocess.Popen([*command, *(["--auth"] if auth else [])], cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return server, url
        except httpx.TransportError:
            time.sleep(0.3)
    raise RuntimeError("the API server did not start in 180 s")


def in_process(service: DecisionService, engine: PathEngine) -> Callable[[str], None]:
    spec = engine.parse(PATH)

    def decide(text: str) -> None:
        service.decide(text, spec, compare=False)

    return decide


def over_http(url: str, key: str | None) -> Callable[[str], None]:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    clients: dict[int, httpx.Client] = {}

    def decide(text: str) -> None:
        client = clients.get(threading.get_ident())
        if client is None:  # one keep-alive client per calling thread
            client = clients[threading.get_ident()] = httpx.Client(base_url=url, headers=headers, timeout=60)
        answer = client.post("/v1/decisions", json={"text": text, "path": PATH, "compare": False})
        answer.raise_for_status()

    return decide


def rate(decide: Callable[[str], None], texts: list[str], clients: int) -> float:
    """Decisions per second of deciding every text, with `clients` callers at once."""
    started = time.perf_counter()
    if clients == 1:
        for text in texts:
            decide(text)
    else:
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(decide, texts))
    return len(texts) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-round", type=int, default=100)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    texts = pd.read_csv(DEV)["text"].astype(str).tolist()
    folder = Path(tempfile.mkdtemp(prefix="pathlens-bench-api-"))
    engine = PathEngine(load_model())
    service = DecisionService(engine, open_store(folder / "in_process.sqlite"))
    auth_store = str(folder / "auth.sqlite")
    key, _ = create_key(open_store(auth_store), "analyst", "bench")
    servers = [start_server(str(folder / "api.sqlite"), auth=False), start_server(auth_store, auth=True)]
    contenders = {
        "DecisionService in-process": in_process(service, engine),
        "HTTP API": over_http(servers[0][1], None),
        "HTTP API, --auth (key checked in the store)": over_http(servers[1][1], key),
    }
    results: dict[str, list[float]] = {f"{name} | {c}": [] for name in contenders for c in (1, args.clients)}
    try:
        for decide in contenders.values():  # warm-up
            rate(decide, texts[:20], 1)
        for round_index in range(args.rounds):
            batch = texts[round_index * args.per_round : (round_index + 1) * args.per_round]
            for clients in (1, args.clients):
                for name, decide in contenders.items():
                    results[f"{name} | {clients}"].append(rate(decide, batch, clients))
    finally:
        for server, _ in servers:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=60)
    medians = {name: statistics.median(values) for name, values in results.items()}
    report = {}
    for name, value in medians.items():
        clients = name.split(" | ")[1]
        baseline = medians[f"DecisionService in-process | {clients}"]
        report[name] = {"decisions_per_s": round(value, 1), "ratio_vs_in_process": round(value / baseline, 3)}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
