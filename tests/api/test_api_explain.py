"""The API's explain goes through the DecisionService: comparison sets wait while the user waits, IG is adaptive."""

from __future__ import annotations

import threading

import pytest

import core.service.decisions as decisions
from core.explain import explain
from core.run import PathEngine
from tests.api.conftest import LiveServer

TEXT = "The plot drags, but the acting is wonderful."


def test_explain_holds_the_comparison_worker_off_while_the_caller_waits(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with live_server.client() as client:
        decision_id = client.post("/v1/decisions", json={"text": TEXT, "path": "depth=2", "compare": False}).json()[
            "decision_id"
        ]
        explaining = decisions.explain_json
        background_held: list[bool] = []

        def explain_while_a_worker_waits(*args: object, **kwargs: object) -> dict:
            worker = threading.Thread(target=live_server.service.gate.wait_idle)  # the worker, before a layer
            worker.start()
            worker.join(timeout=0.5)
            background_held.append(worker.is_alive())
            return explaining(*args, **kwargs)

        monkeypatch.setattr(decisions, "explain_json", explain_while_a_worker_waits)
        answer = client.post(f"/v1/decisions/{decision_id}/explain", json={"methods": ["gxi"], "text": TEXT})
    assert answer.status_code == 200, answer.text
    assert background_held == [True]
    idle = threading.Thread(target=live_server.service.gate.wait_idle)
    idle.start()
    idle.join(timeout=5)
    assert not idle.is_alive(), "once the explanation is back, background work goes on"


def test_explain_uses_adaptive_ig_by_default_and_fixed_steps_when_asked(
    live_server: LiveServer, bundled_engine: PathEngine
) -> None:
    spec = bundled_engine.parse("depth=3")
    with live_server.client() as client:
        decided = client.post("/v1/decisions", json={"text": TEXT, "path": "depth=3", "keep_text": True})
        decision_id = decided.json()["decision_id"]
        adaptive = client.post(f"/v1/decisions/{decision_id}/explain", json={"methods": ["ig"]})
        fixed = client.post(f"/v1/decisions/{decision_id}/explain", json={"methods": ["ig"], "n_steps": 20})
    assert adaptive.status_code == fixed.status_code == 200, adaptive.text + fixed.text
    ig = adaptive.json()["methods"]["ig"]
    reference = explain(bundled_engine, TEXT, spec, methods=("ig",)).to_json()["methods"]["ig"]
    assert ig["steps"] in (9, 17, 33, 65) and ig["within_tolerance"] is not None  # Clenshaw-Curtis levels
    assert ig["steps"] == reference["steps"] and ig["scores"] == pytest.approx(reference["scores"], abs=1e-5)
    assert fixed.json()["methods"]["ig"]["steps"] == 20
