"""50 concurrent clients x 10 decisions against one server: every decision answered, stored and intact.

Every fifth decision also queues its comparison set, so the background worker writes while clients decide
(all 500 would triple the test's time on a 2-core machine without testing anything more).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from core.store.health import check_integrity
from tests.api.conftest import LiveServer

CLIENTS, DECISIONS = 50, 10


def _client_run(server: LiveServer, client_index: int) -> list[tuple[str, str, str, bool]]:
    """(text, path, decision id, compared) of this client's decisions, each checked as answered and stored."""
    made = []
    with server.client() as client:
        for index in range(DECISIONS):
            text = f"Client {client_index} review {index}: {'good' if index % 2 else 'dull'} film."
            path = f"depth={1 + (client_index + index) % 6}"
            body = {"text": text, "path": path, "keep_text": True, "compare": index % 5 == 0}
            answer = client.post("/v1/decisions", json=body)
            assert answer.status_code == 201, answer.text
            assert answer.json()["record"]["status"] == "stored"
            made.append((text, answer.json()["path"], answer.json()["decision_id"], body["compare"]))
    return made


def test_concurrent_clients_lose_nothing(live_server: LiveServer) -> None:
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        made = [item for batch in pool.map(lambda i: _client_run(live_server, i), range(CLIENTS)) for item in batch]
    assert len({decision_id for _, _, decision_id, _ in made}) == CLIENTS * DECISIONS
    assert live_server.service.wait(180), "comparison sets still queued after 3 minutes"
    store = live_server.store
    for text, path, decision_id, compared in made:
        record = store.get(decision_id)
        assert (record.text, record.path) == (text, path)
        assert record.comparison_status == ("done" if compared else "none")
        assert len(record.alternatives) == (5 if compared else 0)
    assert store.count()[0] == CLIENTS * DECISIONS
    assert check_integrity(store) == []
