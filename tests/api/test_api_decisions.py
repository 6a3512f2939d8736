"""The API without auth (as on a laptop), over HTTP against a real server: every route and every bad request."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import httpx
import pytest
import torch
from prometheus_client.parser import text_string_to_metric_families

from core.explain import explain
from core.run import PathEngine
from tests.api.conftest import LiveServer

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "audit_sample.csv"
TEXT = "Great film, call me on +44 20 7946 0958 about the screening."


def _sample_texts() -> list[str]:
    with SAMPLE.open(encoding="utf-8") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


def test_decide_matches_the_engine_and_is_recorded(live_server: LiveServer, bundled_engine: PathEngine) -> None:
    with live_server.client() as client:
        answer = client.post("/v1/decisions", json={"text": TEXT, "path": "depth=3; withhold=phone", "keep_text": True})
        assert answer.status_code == 201, answer.text
        decided = answer.json()
        reference = bundled_engine.decide(TEXT, bundled_engine.parse("depth=3; withhold=phone"))
        assert decided["label"] == reference.label and decided["withheld"] == {"phone": 1}
        torch.testing.assert_close(torch.tensor(decided["logits"]), torch.tensor(reference.logits), atol=1e-5, rtol=0)
        assert decided["record"] == {"status": "stored", "alternatives_queued": 5, "error": None}
        decision_id = decided["decision_id"]

        stored = client.get(f"/v1/decisions/{decision_id}").json()
        assert stored["text"] == TEXT and stored["text_kept"] and stored["path"] == "depth=3; withhold=phone"
        assert client.get(f"/v1/decisions/{decision_id}/text").json() == {"decision_id": decision_id, "text": TEXT}
        listed = client.get("/v1/decisions", params={"path": "depth=3; withhold=phone", "limit": 10}).json()
        assert decision_id in [d["decision_id"] for d in listed["decisions"]]


def test_compare_agrees_with_the_full_path_run_directly(live_server: LiveServer, bundled_engine: PathEngine) -> None:
    text = "Flat characters and a script that goes nowhere."
    with live_server.client() as client:
        decision_id = client.post("/v1/decisions", json={"text": text, "path": "depth=1"}).json()["decision_id"]
        compared = client.get(f"/v1/decisions/{decision_id}/compare", params={"wait": 30}).json()
    assert compared["complete"] and compared["decision_id"] == decision_id
    full = next(alt for alt in compared["alternatives"] if alt["path"] == "full")
    reference = bundled_engine.decide(text, bundled_engine.parse("full"))
    assert full["label"] == reference.label
    assert full["flip"] == (reference.label != compared["executed"]["label"])
    assert full["probs"] == pytest.approx(reference.probs, abs=1e-5)


def test_reproduce_needs_the_text_when_it_was_not_kept(live_server: LiveServer) -> None:
    text = "A gripping thriller with a clever twist at the end."
    with live_server.client() as client:
        decision_id = client.post("/v1/decisions", json={"text": text, "path": "depth=2"}).json()["decision_id"]
        live_server.service.wait(30)
        missing = client.post(f"/v1/decisions/{decision_id}/reproduce", json={})
        assert missing.status_code == 400 and 'was not kept: send it as "text"' in missing.json()["error"]
        wrong = client.post(f"/v1/decisions/{decision_id}/reproduce", json={"text": "another text"})
        assert wrong.status_code == 400 and "fingerprints differ" in wrong.json()["error"]
        again = client.post(f"/v1/decisions/{decision_id}/reproduce", json={"text": text}).json()
        not_kept = client.get(f"/v1/decisions/{decision_id}/text")
    assert again["matches"] and again["alternatives_checked"] == again["alternatives_matching"] == 5
    assert not_kept.status_code == 400 and "was not kept" in not_kept.json()["error"]


def test_explain_equals_captum_run_directly_and_is_attached_redacted(
    live_server: LiveServer, bundled_engine: PathEngine
) -> None:
    text = "Absolutely love the new headphones."
    with live_server.client() as client:
        decision_id = client.post("/v1/decisions", json={"text": text, "path": "depth=4"}).json()["decision_id"]
        explained = client.post(f"/v1/decisions/{decision_id}/explain", json={"methods": ["gxi"], "text": text})
        assert explained.status_code == 200, explained.text
        stored = client.get(f"/v1/decisions/{decision_id}").json()["explanations"]
    reference = explain(bundled_engine, text, bundled_engine.parse("depth=4"), methods=("gxi",)).to_json()
    got, expected = explained.json()["methods"]["gxi"]["scores"], reference["methods"]["gxi"]["scores"]
    assert got == pytest.approx(expected, abs=1e-5)
    assert [u["text"] for u in explained.json()["units"]] == [u["text"] for u in reference["units"]]
    assert all(unit["text"] is None for unit in stored["units"])  # the text was not kept: no token texts stored
    assert stored["methods"]["gxi"]["scores"] == pytest.approx(expected, abs=1e-5)


def test_batch_audit_job_runs_in_the_background(live_server: LiveServer, bundled_engine: PathEngine) -> None:
    with live_server.client() as client:
        submitted = client.post(
            "/v1/audits", params={"path": "depth=2"}, content=SAMPLE.read_bytes(), headers={"content-type": "text/csv"}
        )
        assert submitted.status_code == 202, submitted.text
        job_id = submitted.json()["job_id"]
        deadline = time.monotonic() + 120
        status = client.get(f"/v1/audits/{job_id}").json()
        while status["status"] in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.2)
            status = client.get(f"/v1/audits/{job_id}").json()
        rows = list(csv.DictReader(io.StringIO(client.get(f"/v1/audits/{job_id}/result").text)))
        unknown = client.get("/v1/audits/nope")
        bad_column = client.post("/v1/audits", params={"text_col": "review"}, content=SAMPLE.read_bytes())
    texts = _sample_texts()
    assert status["status"] == "done" and status["fraction"] == 1.0 and status["rows_done"] == len(texts)
    summary = status["summary"]
    assert summary["rows"] == len(texts) == len(rows) and summary["recorded"] == len(texts)
    spec = bundled_engine.parse("depth=2")
    assert [row["label"] for row in rows] == [bundled_engine.decide(t, spec).label for t in texts]
    assert len(live_server.service.history(audit_id=summary["audit_id"], limit=100)) == len(texts)
    assert unknown.status_code == 404 and "no audit job" in unknown.json()["error"]
    assert bad_column.status_code == 400 and "no column 'review'" in bad_column.json()["error"]


def test_an_audit_job_of_which_no_row_can_be_read_says_so(live_server: LiveServer) -> None:
    """A Latin-1 export: the job is done (its rows are listed as bad), and its summary says why nothing was read."""
    latin1 = "text,label\nJosé liked it,1\nMuñoz did not,0\n".encode("latin-1")
    with live_server.client() as client:
        submitted = client.post("/v1/audits", content=latin1, headers={"content-type": "text/csv"})
        assert submitted.status_code == 202, submitted.text
        job_id, deadline = submitted.json()["job_id"], time.monotonic() + 120
        status = client.get(f"/v1/audits/{job_id}").json()
        while status["status"] in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.2)
            status = client.get(f"/v1/audits/{job_id}").json()
    assert status["status"] == "done" and status["summary"]["rows"] == 0
    assert status["summary"]["read_warning"] == (
        "none of the 2 rows was read, e.g. text is not valid UTF-8; re-save the file as UTF-8"
    )


def test_metrics_count_decisions_and_report_the_flip_rate(live_server: LiveServer, bundled_engine: PathEngine) -> None:
    texts = _sample_texts()[:8]
    with live_server.client() as client:
        for text in texts:
            assert client.post("/v1/decisions", json={"text": text, "path": "layers=0-4"}).status_code == 201
        live_server.service.wait(60)
        scraped = client.get("/metrics")
    assert scraped.headers["content-type"].startswith("text/plain")
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(scraped.text)
        for s in family.samples
    }
    executed, full = bundled_engine.parse("layers=0-4"), bundled_engine.parse("full")
    labels = [bundled_engine.decide(t, executed).label for t in texts]
    flips = sum(label != bundled_engine.decide(t, full).label for t, label in zip(texts, labels, strict=True))
    assert samples[("pathlens_decisions_total", (("path", "depth=5"),))] == len(texts)
    assert samples[("pathlens_decision_seconds_count", (("path", "depth=5"),))] == len(texts)
    for label in set(labels):
        assert samples[("pathlens_decision_labels_total", (("label", label), ("path", "depth=5")))] == labels.count(
            label
        )
    assert samples[("pathlens_flip_rate", (("path", "depth=5"),))] == pytest.approx(flips / len(texts))
    assert samples[("pathlens_flip_rate_decisions", (("path", "depth=5"),))] == len(texts)
    assert samples[("pathlens_alternatives", (("status", "pending"),))] == 0
    assert samples[("pathlens_comparison_queue", ())] == 0
    route = (("method", "POST"), ("route", "/v1/decisions"), ("status", "201"))
    assert samples[("pathlens_http_request_seconds_count", route)] >= len(texts)


def test_openapi_and_health(live_server: LiveServer) -> None:
    with live_server.client() as client:
        schema = client.get("/openapi.json").json()
        health = client.get("/healthz").json()
        docs = client.get("/docs")
    assert docs.status_code == 404  # no page that would load Swagger UI from a CDN
    assert {"/v1/decisions", "/v1/decisions/{decision_id}/compare", "/v1/audits", "/v1/keys"} <= set(schema["paths"])
    assert health["status"] == "ok" and health["auth"] is False and health["model"]


@pytest.mark.parametrize(
    ("method", "url", "options", "status", "message"),
    [
        (
            "POST",
            "/v1/decisions",
            {"content": b'{"text": "fine", ', "headers": {"content-type": "application/json"}},
            400,
            "not valid JSON",
        ),
        ("POST", "/v1/decisions", {"json": {"path": "depth=2"}}, 422, "the field 'text' is missing"),
        ("POST", "/v1/decisions", {"json": {"text": "fine", "pth": "depth=2"}}, 422, "there is no field 'pth'"),
        ("POST", "/v1/decisions", {"json": ["fine"]}, 422, "must be a JSON object"),
        ("POST", "/v1/decisions", {"json": {"text": "fine", "path": "depth=9"}}, 400, "this model has depths 1-6"),
        ("POST", "/v1/decisions", {"json": {"text": "fine", "path": "withhold=shoe"}}, 400, "shoe"),
        ("POST", "/v1/decisions", {"json": {"text": "   "}}, 400, "the text is empty: type or paste the text"),
        ("POST", "/v1/decisions", {"json": {"text": ""}}, 400, "the text is empty: type or paste the text"),
        ("POST", "/v1/decisions", {"json": {"text": "\u200b"}}, 400, "the text holds no content"),
        ("POST", "/v1/decisions", {"json": {"text": "x" * 70_000}}, 413, "larger than 65,536 bytes"),
        ("GET", "/v1/decisions/0123abc", {}, 404, "no decision '0123abc'"),
        ("GET", "/v1/decisions", {"params": {"limit": 0}}, 422, "limit"),
        ("GET", "/v1/no-such-route", {}, 404, "no such route"),
        ("DELETE", "/v1/decisions", {}, 405, "this route takes GET, POST, not DELETE"),
    ],
)
def test_bad_requests_get_a_clear_json_error(
    live_server: LiveServer, method: str, url: str, options: dict, status: int, message: str
) -> None:
    with live_server.client() as client:
        answer = client.request(method, url, **options)
    assert answer.status_code == status, answer.text
    assert message in answer.json()["error"]


def test_a_streamed_upload_over_the_limit_is_refused(live_server: LiveServer) -> None:
    def chunks() -> object:
        yield b"text\n"
        for _ in range(2048):
            yield b"y" * 65_536 + b"\n"  # 128 MiB in all, sent without a Content-Length

    with live_server.client() as client:
        answer = client.post("/v1/audits", content=chunks(), headers={"content-type": "text/csv"})
    assert answer.status_code == 413 and "larger than 67,108,864 bytes" in answer.json()["error"]


def test_the_server_survives_a_client_that_hangs_up(live_server: LiveServer) -> None:
    with pytest.raises(httpx.TimeoutException), live_server.client(timeout=0.001) as client:
        client.post("/v1/decisions", json={"text": "slow " * 2000, "path": "full"})
    with live_server.client() as client:
        assert client.post("/v1/decisions", json={"text": "still here", "path": "depth=1"}).status_code == 201
