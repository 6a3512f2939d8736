"""What every route works on: the DecisionService, the settings, the metrics and the audit jobs of one server."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import Request

from core.api.jobs import AuditJobs
from core.api.metrics import ApiMetrics
from core.service import DecisionService
from core.store import DecisionStore

MIB = 1024 * 1024


@dataclass(frozen=True)
class ApiSettings:
    """`auth`: require `Authorization: Bearer KEY` (roles in `core.store.keys`); off: everyone acts as admin."""

    auth: bool = False
    max_body_bytes: int = 1 * MIB  # JSON requests (a text may have up to 200,000 characters)
    max_upload_bytes: int = 64 * MIB  # files submitted to POST /v1/audits
    flip_window: int = 500  # newest decisions over which /metrics reports the flip rate vs the full path
    uploads: Path | None = None  # the folder of audit uploads; None: one per store (`core.api.jobs.uploads_folder`)


@dataclass(frozen=True)
class ApiContext:
    service: DecisionService
    settings: ApiSettings
    metrics: ApiMetrics
    jobs: AuditJobs

    @property
    def store(self) -> DecisionStore | None:
        return self.service.store


def context(request: Request) -> ApiContext:
    """The server's context (a FastAPI dependency)."""
    return request.app.state.context
