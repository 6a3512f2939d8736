"""`GET /v1/models` and `model` in a decision request: other shipped models load on first use, nothing else does."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import LiveServer

INTENT = "I still haven't received my new card"


def test_models_are_listed_with_their_labels(live_server: LiveServer) -> None:
    with live_server.client() as client:
        listed = client.get("/v1/models").json()
    assert listed["served"] == "sst2"
    models = {model["name"]: model for model in listed["models"]}
    assert list(models)[:3] == ["sst2", "banking77", "fintweets"]
    assert models["sst2"]["labels"] == ["negative", "positive"] and models["sst2"]["loaded"] is True
    assert len(models["banking77"]["labels"]) == 77 and models["fintweets"]["labels"] == [
        "bearish",
        "bullish",
        "neutral",
    ]


def test_a_decision_request_names_its_model_and_is_recorded_under_it(live_server: LiveServer) -> None:
    with live_server.client() as client:
        banking = client.post("/v1/decisions", json={"text": INTENT, "model": "banking77", "compare": False})
        sentiment = client.post("/v1/decisions", json={"text": "a warm, funny film", "compare": False})
        listed = client.get("/v1/models").json()
        schema = client.get("/openapi.json").json()
    assert banking.status_code == 201, banking.text
    decided = banking.json()
    labels = next(m["labels"] for m in listed["models"] if m["name"] == "banking77")
    assert decided["model"] == "banking77" and decided["label"] in labels and len(decided["probs"]) == 77
    assert sentiment.json()["model"] == "sst2"
    assert next(m for m in listed["models"] if m["name"] == "banking77")["loaded"] is True
    stored = live_server.store.get(decided["decision_id"])
    assert stored.model_fingerprint == decided["model_fingerprint"] != sentiment.json()["model_fingerprint"]
    described = schema["components"]["schemas"]["DecideRequest"]["properties"]["model"]["description"]
    assert "banking77: Refund_not_showing_up, activate_my_card" in described
    assert "fintweets: bearish, bullish, neutral" in described


def test_a_model_outside_the_catalogue_is_refused(live_server: LiveServer, tmp_path: Path) -> None:
    with live_server.client() as client:
        for name in ("banking78", str(tmp_path)):
            refused = client.post("/v1/decisions", json={"text": INTENT, "model": name})
            assert refused.status_code == 400 and "unknown model" in refused.text and "GET /v1/models" in refused.text
