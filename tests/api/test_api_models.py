"""`GET /v1/models` and `model` in a decision request: other shipped models load on first use, nothing else does."""

from __future__ import annotations

import csv
import io
import time
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


def test_the_record_filters_and_names_decisions_by_model(live_server: LiveServer) -> None:
    with live_server.client() as client:
        banking = client.post("/v1/decisions", json={"text": INTENT, "model": "banking77", "compare": False}).json()
        client.post("/v1/decisions", json={"text": "a dull film", "compare": False})
        by_name = client.get("/v1/decisions", params={"model": "banking77", "limit": 1000}).json()
        by_fingerprint = client.get("/v1/decisions", params={"model": banking["model_fingerprint"]}).json()
        never_recorded = client.get("/v1/decisions", params={"model": "fintweets"}).json()
        typo = client.get("/v1/decisions", params={"model": "banking-77"})
        one = client.get(f"/v1/decisions/{banking['decision_id']}").json()
        everything = client.get("/v1/decisions", params={"limit": 1000}).json()
    assert by_name["count"] >= 1 and {d["model"] for d in by_name["decisions"]} == {"banking77"}
    assert banking["decision_id"] in {d["decision_id"] for d in by_name["decisions"]}
    assert by_fingerprint["decisions"] == by_name["decisions"][: by_fingerprint["count"]]
    assert never_recorded["count"] == 0 and one["model"] == "banking77"
    assert typo.status_code == 400 and "unknown model 'banking-77'" in typo.text and "banking77" in typo.text
    assert {d["model"] for d in everything["decisions"]} >= {"banking77", "sst2"}


def test_explain_and_reproduce_run_the_model_that_decided_and_refuse_another(live_server: LiveServer) -> None:
    body = {"text": INTENT, "model": "banking77", "compare": False, "keep_text": True}
    with live_server.client() as client:
        decided = client.post("/v1/decisions", json=body).json()
        url = f"/v1/decisions/{decided['decision_id']}"
        reproduced = client.post(f"{url}/reproduce", json={})
        named = client.post(f"{url}/reproduce", json={"model": "banking77"})
        mixed = client.post(f"{url}/reproduce", json={"model": "sst2"})
        explained = client.post(f"{url}/explain", json={"methods": ["gxi"]})
        refused = client.post(f"{url}/explain", json={"methods": ["gxi"], "model": "fintweets"})
    assert reproduced.status_code == 200, reproduced.text
    assert reproduced.json()["matches"] is True and reproduced.json()["label"] == decided["label"]
    assert named.status_code == 200 and named.json()["matches"] is True
    assert explained.status_code == 200, explained.text
    assert explained.json()["target"] == decided["label"] and "gxi" in explained.json()["methods"]
    for answer, other in ((mixed, "sst2"), (refused, "fintweets")):
        message = answer.json()["error"]
        assert answer.status_code == 400 and f"made by model banking77 ({decided['model_fingerprint']})" in message
        assert f"not by {other} (" in message and 'send "model": "banking77"' in message


def test_an_audit_job_names_its_model(live_server: LiveServer) -> None:
    table = "text,label\n$AAPL cut to neutral at Morgan Stanley,bearish\nStocks rally as yields fall,bullish\n"
    with live_server.client() as client:
        submitted = client.post(
            "/v1/audits",
            params={"model": "fintweets", "against": "none"},
            content=table.encode(),
            headers={"content-type": "text/csv"},
        )
        assert submitted.status_code == 202, submitted.text
        job_id = submitted.json()["job_id"]
        deadline = time.monotonic() + 300
        status = client.get(f"/v1/audits/{job_id}").json()
        while status["status"] in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.2)
            status = client.get(f"/v1/audits/{job_id}").json()
        rows = list(csv.DictReader(io.StringIO(client.get(f"/v1/audits/{job_id}/result").text)))
        unknown = client.post("/v1/audits", params={"model": "banking78"}, content=table.encode())
    assert submitted.json()["model"] == "fintweets" and status["status"] == "done", status
    assert {row["label"] for row in rows} <= {"bearish", "bullish", "neutral"} and len(rows) == 2
    assert unknown.status_code == 400 and "unknown model 'banking78'" in unknown.json()["error"]
