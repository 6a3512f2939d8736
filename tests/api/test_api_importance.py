"""`/v1/importance` over HTTP against a real server on the bundled model."""

from __future__ import annotations

import pytest

from core.advise.importance import head_importance
from core.run import PathEngine
from tests.api.conftest import LiveServer

TEXT = "a charming and often affecting journey"


def test_importance_is_the_engines_and_refuses_bad_input(live_server: LiveServer, bundled_engine: PathEngine) -> None:
    with live_server.client() as client:
        answer = client.post("/v1/importance", json={"text": TEXT, "path": "depth=4"})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        reference = head_importance(bundled_engine, TEXT, bundled_engine.parse("depth=4"))
        assert body["label"] == reference.label and body["path"] == "depth=4"
        assert len(body["heads"]) == 6 and body["heads"][5] == [None] * 12 and body["layers"][4] is None
        assert body["heads"][1][3] == pytest.approx(reference.heads[1][3], abs=1e-5)
        assert client.post("/v1/importance", json={"text": TEXT, "path": "depth=9"}).status_code == 400
        assert client.post("/v1/importance", json={"text": TEXT, "steps": 0}).status_code == 422
        assert client.post("/v1/importance", json={"text": "  "}).status_code == 400
