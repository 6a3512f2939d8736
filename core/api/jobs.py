"""Batch audits as background jobs: a submitted file is audited by `core.audit.run_audit` on one worker thread.

Jobs live in this server's memory (their decisions live in the record): a restart forgets the jobs, not what they
recorded. Each job keeps its input and per-row results in its own folder under the server's temporary folder.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.audit import run_audit
from core.audit.io import check_columns
from core.errors import InputError, PathLensError
from core.run import PathEngine
from core.store import DecisionStore

logger = logging.getLogger("pathlens.api")

JOB_STATUSES = ("queued", "running", "done", "failed")


@dataclass(frozen=True)
class AuditOptions:
    path: str = "full"
    against: str | None = "full"
    text_col: str = "text"
    label_col: str | None = None
    record: bool = True
    keep_text: bool = False


@dataclass
class AuditJob:
    job_id: str
    options: AuditOptions
    folder: Path
    status: str = "queued"
    rows_done: int = 0
    rows_total: int | None = None
    summary: dict[str, Any] | None = None
    error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def input(self) -> Path:
        return self.folder / "input.csv"

    @property
    def output(self) -> Path:
        return self.folder / "rows.csv"

    def to_json(self) -> dict[str, Any]:
        with self.lock:
            fraction = self.rows_done / self.rows_total if self.rows_total else None
            return {
                "job_id": self.job_id,
                "status": self.status,
                "rows_done": self.rows_done,
                "rows_total": self.rows_total,
                "fraction": 1.0 if self.status == "done" else fraction,
                "path": self.options.path,
                "summary": self.summary,
                "error": self.error,
            }


class AuditJobs:
    """Queued audit jobs of one server, run one at a time in submission order."""

    def __init__(self, engine: PathEngine, store: DecisionStore | None) -> None:
        self.engine, self.store = engine, store
        self._root = tempfile.TemporaryDirectory(prefix="pathlens-api-audits-")
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pathlens-audit")
        self._jobs: dict[str, AuditJob] = {}
        self._lock = threading.Lock()

    def new_job(self, options: AuditOptions) -> AuditJob:
        """A job with a folder for its input; checks the options first (InputError / InvalidPathError)."""
        self.engine.parse(options.path)
        if options.against is not None:
            self.engine.parse(options.against)
        if options.record and self.store is None:
            raise InputError("this server has no decision record: submit with record=false")
        if options.keep_text and not options.record:
            raise InputError("keep_text keeps the texts in the decision record: leave record on")
        job_id = uuid.uuid4().hex
        folder = Path(self._root.name) / job_id
        folder.mkdir()
        return AuditJob(job_id, options, folder)

    def submit(self, job: AuditJob) -> None:
        """Queue a job whose input file is written; a file without the named columns is refused here."""
        options = job.options
        try:
            check_columns(job.input, options.text_col, options.label_col)
        except InputError:
            shutil.rmtree(job.folder, ignore_errors=True)
            raise
        with self._lock:
            self._jobs[job.job_id] = job
        self._pool.submit(self._run, job)

    def get(self, job_id: str) -> AuditJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def counts(self) -> dict[str, int]:
        with self._lock:
            jobs = list(self._jobs.values())
        return {status: sum(1 for job in jobs if job.status == status) for status in JOB_STATUSES}

    def close(self) -> None:
        """Stop taking jobs, cancel queued ones, wait for the running one, remove the files."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._root.cleanup()

    def _run(self, job: AuditJob) -> None:
        options = job.options
        with job.lock:
            job.status = "running"

        def progress(done: int, total: int | None) -> None:
            with job.lock:
                job.rows_done, job.rows_total = done, total

        try:
            result = run_audit(
                self.engine,
                job.input,
                options.path,
                against=options.against,
                text_col=options.text_col,
                label_col=options.label_col,
                out=job.output,
                progress=progress,
                store=self.store if options.record else None,
                keep_text=options.keep_text,
            )
        except PathLensError as exc:
            self._finish(job, "failed", error=str(exc))
        except Exception as exc:  # a job must never take the worker down: report it on the job
            logger.error("audit job %s failed: %s", job.job_id, type(exc).__name__)  # messages may quote rows
            self._finish(job, "failed", error=f"{type(exc).__name__}: the audit failed unexpectedly")
        else:
            self._finish(job, "done", summary=result.to_json())

    def _finish(
        self, job: AuditJob, status: str, summary: dict[str, Any] | None = None, error: str | None = None
    ) -> None:
        with job.lock:
            job.status, job.summary, job.error = status, summary, error
            if summary is not None:
                job.rows_done = job.rows_total = int(summary["rows_read"])
        logger.info("audit job finished", extra={"job_id": job.job_id, "status": status})
