"""README's API section and /openapi.json agree: every route, its statuses and the limits the server enforces."""

from __future__ import annotations

import re
from pathlib import Path

from core.api import ApiSettings
from core.api.schemas import MAX_PATH_CHARS
from core.errors import MAX_TEXT_CHARS
from core.store.keys import MAX_NAME_CHARS
from tests.api.conftest import LiveServer

README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(r"^\| `(GET|POST|DELETE|PUT|PATCH) (/[^`]*)` \| [a-z]+ \| ([0-9; ]+) \|", re.MULTILINE)


def _api_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index("## HTTP API") : text.index("\n## ", text.index("## HTTP API") + 1)]


def test_the_readme_lists_every_route_with_exactly_its_statuses(live_server: LiveServer) -> None:
    with live_server.client() as client:
        schema = client.get("/openapi.json").json()
    documented = {
        (method.upper(), path): sorted(int(status) for status in operation["responses"])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }
    documented[("GET", "/openapi.json")] = [200]
    listed = {
        (method, path): sorted(int(status) for status in statuses.replace(";", " ").split())
        for method, path, statuses in ROW.findall(_api_section())
    }
    assert listed == documented


def test_the_readme_states_the_limits_the_server_enforces() -> None:
    section, settings = _api_section(), ApiSettings()
    assert f"`text` (1–{MAX_TEXT_CHARS:,} characters)" in section
    assert f"JSON {settings.max_body_bytes // 2**20} MiB, uploads {settings.max_upload_bytes // 2**20} MiB" in section
    assert f"at most {MAX_PATH_CHARS:,} of them" in section
    assert f"`name` (at most {MAX_NAME_CHARS} printable characters)" in section
