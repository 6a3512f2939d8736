"""Schemathesis against the real server (`--auth`): every check, coverage, fuzzing and stateful phases, each role.

The schema must tell the truth: no server error, every status documented with its JSON error body, no request the
schema allows refused as a schema violation (422), none it forbids accepted, 405 answers with `Allow`, links that
chain decide -> read -> explain -> reproduce and submit -> poll. Examples are bounded to fit CI (about 30 s a role
on two cores); `PATHLENS_FUZZ_EXAMPLES` and `PATHLENS_FUZZ_SEED` run it longer or differently.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.api import ApiSettings
from tests.api.conftest import LiveServer

AUTH = True
MAX_BODY_BYTES = ApiSettings().max_body_bytes  # the default, which a 200,000-character text fits as UTF-8
CONFIG = Path(__file__).with_name("schemathesis.toml")
EXAMPLES = os.environ.get("PATHLENS_FUZZ_EXAMPLES", "10")
SEED = os.environ.get("PATHLENS_FUZZ_SEED", "20261205")


@pytest.fixture(scope="module")
def test_data(live_server: LiveServer) -> dict[str, str]:
    """A decision whose text was kept and an audit job, for the routes that read one (see schemathesis.toml)."""
    with live_server.client("analyst") as client:
        decided = client.post("/v1/decisions", json={"text": "A fine film", "path": "depth=2", "keep_text": True})
        submitted = client.post("/v1/audits", content=b"text\nfine\n", headers={"content-type": "text/csv"})
    assert decided.status_code == 201 and submitted.status_code == 202, decided.text + submitted.text
    return {"PATHLENS_TEST_DECISION": decided.json()["decision_id"], "PATHLENS_TEST_JOB": submitted.json()["job_id"]}


@pytest.mark.parametrize("role", ["admin", "analyst", "viewer"])
def test_the_schema_tells_the_truth_to_every_role(
    live_server: LiveServer, test_data: dict[str, str], role: str, tmp_path: Path
) -> None:
    command = [
        *(sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "--no-color", "run"),
        f"{live_server.url}/openapi.json",
        *("--header", f"Authorization: Bearer {live_server.keys[role]}"),
        *("--checks", "all", "--phases", "coverage,fuzzing,stateful"),
        *("--max-examples", EXAMPLES, "--seed", SEED, "--workers", "1"),
        *("--generation-database", "none", "--request-timeout", "120"),
    ]
    run = subprocess.run(
        command, cwd=tmp_path, env={**os.environ, **test_data}, capture_output=True, text=True, timeout=600
    )
    report = "\n".join(line[:400] for line in (run.stdout[-20_000:] + run.stderr[-2_000:]).splitlines())
    assert run.returncode == 0, report
    assert "Failures:" not in report and " passed" in report, report
    if role == "admin":  # the other roles are refused most routes (403), as documented
        assert "No issues found" in report, report
