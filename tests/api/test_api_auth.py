"""Access control over HTTP (server started with auth): 401 without a valid key, 403 for a refused role."""

from __future__ import annotations

import pytest

from tests.api.conftest import LiveServer

AUTH = True
TEXT = "Write to maria.lopez@example.com, the film was wonderful."


@pytest.fixture(scope="module")
def decided(live_server: LiveServer) -> dict:
    """A decision whose text was kept and explained (so token texts are stored too)."""
    with live_server.client("analyst") as client:
        body = {"text": TEXT, "path": "depth=2", "keep_text": True, "explain": ["gxi"]}
        answer = client.post("/v1/decisions", json=body)
    assert answer.status_code == 201, answer.text
    live_server.service.wait(30)
    return answer.json()


def _calls(decision_id: str) -> list[tuple[str, str, dict, str]]:
    """(method, url, request options, least role allowed) for every /v1 route."""
    return [
        ("POST", "/v1/decisions", {"json": {"text": "fine", "path": "depth=1"}}, "analyst"),
        ("GET", "/v1/decisions", {}, "viewer"),
        ("GET", f"/v1/decisions/{decision_id}", {}, "viewer"),
        ("GET", f"/v1/decisions/{decision_id}/compare", {}, "viewer"),
        ("GET", f"/v1/decisions/{decision_id}/text", {}, "analyst"),
        ("POST", f"/v1/decisions/{decision_id}/explain", {"json": {"methods": ["saliency"]}}, "analyst"),
        ("POST", f"/v1/decisions/{decision_id}/reproduce", {"json": {}}, "analyst"),
        ("POST", "/v1/audits", {"content": b"text\nfine\n", "params": {"record": "false"}}, "analyst"),
        ("GET", "/v1/keys", {}, "admin"),
        ("POST", "/v1/keys", {"json": {"role": "viewer", "name": "x"}}, "admin"),
    ]


ORDER = ("viewer", "analyst", "admin")


@pytest.mark.parametrize("role", [None, "viewer", "analyst", "admin"])
def test_every_route_admits_exactly_the_roles_allowed(live_server: LiveServer, decided: dict, role: str | None) -> None:
    for method, url, options, least in _calls(decided["decision_id"]):
        with live_server.client(role) as client:
            status = client.request(method, url, **options).status_code
        if role is None:
            assert status == 401, (method, url)
        elif ORDER.index(role) < ORDER.index(least):
            assert status == 403, (role, method, url)
        else:
            assert status in (200, 201, 202), (role, method, url, status)


def test_401_and_403_say_what_to_do(live_server: LiveServer, decided: dict) -> None:
    with live_server.client() as client:
        missing = client.get("/v1/decisions")
        bogus = client.get("/v1/decisions", headers={"Authorization": "Bearer plk_abc_def"})
    with live_server.client("viewer") as client:
        refused = client.get(f"/v1/decisions/{decided['decision_id']}/text")
    assert missing.status_code == 401 and "Authorization: Bearer KEY" in missing.json()["error"]
    assert missing.headers["www-authenticate"] == "Bearer"
    assert bogus.status_code == 401 and "unknown or revoked" in bogus.json()["error"]
    assert refused.status_code == 403 and refused.json()["error"] == (
        "this needs the analyst role; your key is a viewer key"
    )


def test_a_viewer_sees_decisions_without_any_text(live_server: LiveServer, decided: dict) -> None:
    decision_id = decided["decision_id"]
    with live_server.client("viewer") as client:
        record = client.get(f"/v1/decisions/{decision_id}").json()
        listed = client.get("/v1/decisions").json()["decisions"]
        compared = client.get(f"/v1/decisions/{decision_id}/compare").json()
    with live_server.client("analyst") as client:
        full_record = client.get(f"/v1/decisions/{decision_id}").json()
    assert full_record["text"] == TEXT and any(u["text"] == "film" for u in full_record["explanations"]["units"])
    assert record["text"] is None and record["text_kept"] and record["redacted"]
    assert record["label"] == full_record["label"] and record["probs"] == full_record["probs"]
    assert all(unit["text"] is None for unit in record["explanations"]["units"])
    methods, full_methods = record["explanations"]["methods"], full_record["explanations"]["methods"]
    assert methods and {m: r["scores"] for m, r in methods.items()} == {m: r["scores"] for m, r in full_methods.items()}
    for word in ("maria", "film", "wonderful"):
        assert word not in str(record) and word not in str(listed) and word not in str(compared)
    assert compared["redacted"] and compared["executed"]["label"] == full_record["label"]


def test_admin_creates_and_revokes_keys(live_server: LiveServer) -> None:
    with live_server.client("admin") as admin:
        created = admin.post("/v1/keys", json={"role": "analyst", "name": "ci"}).json()
        key = created["key"]
        with live_server.client() as anyone:
            headers = {"Authorization": f"Bearer {key}"}
            assert anyone.get("/v1/decisions", headers=headers).status_code == 200
            listed = admin.get("/v1/keys").json()["keys"]
            assert all("key" not in item and "key_hash" not in item for item in listed)
            assert {"key_id": created["key_id"], "role": "analyst", "active": True}.items() <= next(
                item for item in listed if item["key_id"] == created["key_id"]
            ).items()
            revoked = admin.delete(f"/v1/keys/{created['key_id']}").json()
            assert revoked["active"] is False and revoked["revoked_at"]
            assert anyone.get("/v1/decisions", headers=headers).status_code == 401
        assert admin.delete("/v1/keys/nope").status_code == 404
        assert admin.post("/v1/keys", json={"role": "root"}).status_code == 422


def test_keys_are_stored_hashed(live_server: LiveServer) -> None:
    with live_server.store.engine.connect() as conn:
        stored = " ".join(str(value) for row in conn.exec_driver_sql("SELECT * FROM api_keys") for value in row)
    for key in live_server.keys.values():
        secret = key.split("_", 2)[2]  # "pl_<key id>_<secret>": the secret itself may hold "_" (URL-safe base64)
        assert len(secret) >= 40 and secret not in stored
