"""A client generated from the server's /openapi.json (openapi-python-client) decides, reads, explains and
reproduces with typed models, and gets typed errors: the schema is one a team can build on."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from types import ModuleType

import pytest

from tests.api.conftest import LiveServer

AUTH = True
PACKAGE = "pathlens_generated_client"
TEXT = "A gripping thriller with a clever twist at the end."


@pytest.fixture(scope="module")
def generated(live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The client package generated from the running server's schema, importable for this module's tests."""
    folder = tmp_path_factory.mktemp("client")
    schema = folder / "openapi.json"
    with live_server.client() as client:
        schema.write_text(client.get("/openapi.json").text)
    config = folder / "config.yaml"
    config.write_text(f"post_hooks: []\nproject_name_override: {PACKAGE}\npackage_name_override: {PACKAGE}\n")
    command = [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(schema), "--meta", "none"]
    command += ["--config", str(config), "--output-path", str(folder / PACKAGE)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.{name}")


def test_a_generated_client_decides_reads_explains_and_reproduces_with_typed_models(
    live_server: LiveServer, generated: ModuleType
) -> None:
    models = _module("models")
    decide, get_decision, get_text, explain, reproduce = (
        _module(f"api.decisions.{name}")
        for name in ("decide", "get_decision", "get_decision_text", "explain_decision", "reproduce_decision")
    )
    with generated.AuthenticatedClient(base_url=live_server.url, token=live_server.keys["analyst"]) as client:
        decided = decide.sync(client=client, body=models.DecideRequest(text=TEXT, path="depth=3", keep_text=True))
        assert isinstance(decided, models.Decision), decided
        assert decided.record.status == models.RecordStatusStatus.STORED and decided.path == "depth=3"
        assert decided.label in decided.probs.additional_properties and decided.tokens.windows == 1
        stored = get_decision.sync(decided.decision_id, client=client)
        assert isinstance(stored, models.StoredDecision) and stored.text_kept and stored.label == decided.label
        kept = get_text.sync(decided.decision_id, client=client)
        assert isinstance(kept, models.DecisionText) and kept.text == TEXT
        method = models.ExplainRequestMethodsItem.GXI
        explained = explain.sync(decided.decision_id, client=client, body=models.ExplainRequest(methods=[method]))
        assert isinstance(explained, models.Explanations), explained
        scores = explained.methods.additional_properties["gxi"].scores
        assert len(scores) == len(explained.units) and explained.units[0].text is not None
        again = reproduce.sync(decided.decision_id, client=client, body=models.ReproduceRequest())
        assert isinstance(again, models.Reproduction) and again.matches and again.stored_label == decided.label


def test_a_generated_client_gets_typed_errors(live_server: LiveServer, generated: ModuleType) -> None:
    models = _module("models")
    decide, get_decision = _module("api.decisions.decide"), _module("api.decisions.get_decision")
    revoke = _module("api.keys.revoke_key")
    with generated.AuthenticatedClient(base_url=live_server.url, token=live_server.keys["admin"]) as admin:
        impossible = decide.sync_detailed(client=admin, body=models.DecideRequest(text=TEXT, path="depth=9"))
        unknown = get_decision.sync_detailed("0123abc", client=admin)
        no_key = revoke.sync_detailed("unknown", client=admin)
    with generated.AuthenticatedClient(base_url=live_server.url, token=live_server.keys["viewer"]) as viewer:
        forbidden = decide.sync_detailed(client=viewer, body=models.DecideRequest(text=TEXT))
    with generated.AuthenticatedClient(base_url=live_server.url, token="plk_nope_nope") as stranger:
        unauthorised = get_decision.sync_detailed("0123abc", client=stranger)
    for answer, status, message in [
        (impossible, 400, "this model has depths 1-6"),
        (unknown, 404, "no decision '0123abc'"),
        (no_key, 404, "no API key 'unknown'"),
        (forbidden, 403, "needs the analyst role"),
        (unauthorised, 401, "unknown or revoked"),
    ]:
        assert answer.status_code == status, answer.content
        assert isinstance(answer.parsed, models.ErrorBody) and message in answer.parsed.error
