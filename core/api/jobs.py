"""Batch audits as background jobs: a submitted file is audited by `core.audit.run_audit` on one worker thread.

Jobs live in this server's memory (their decisions live in the record): a restart forgets the jobs, not what they
recorded. Uploads live in a known folder per store (`uploads_folder`), one subfolder per server process
(`HOST_PID`) and per job. A job's upload holds raw text: it is deleted when the job ends (done, failed, or cancelled
at shutdown), and a starting server deletes what a dead server on this host left there. The per-row results
(`rows.csv`, no input text) stay until the server stops. The audit's identity comes from the upload's content and
the options (`core.audit.io.audit_key`), so a file submitted again after a crash never records a row twice.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import socket
import tempfile
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.audit import check_columns, run_audit
from core.errors import InputError, PathLensError
from core.run import PathEngine
from core.store import DecisionStore, process_alive

logger = logging.getLogger("pathlens.api")

UPLOADS_ROOT = Path(tempfile.gettempdir()) / "pathlens-uploads"
UPLOADED = "the uploaded file"  # how messages name an upload (never by the server's path)


def uploads_folder(store: DecisionStore | None) -> Path:
    """The known folder of one store's uploads (a hash of its location names it), under the system's temp folder."""
    location = store.location if store is not None else "no store"
    return UPLOADS_ROOT / hashlib.sha256(location.encode()).hexdigest()[:16]


def sweep_dead_uploads(folder: Path) -> int:
    """Delete the upload folders that dead server processes of this host left in `folder`; returns how many.

    A folder named for this very process is a dead one's too (a container's server restarts with the same pid).
    """
    host, removed = socket.gethostname(), 0
    for owner in folder.glob("*_*") if folder.is_dir() else ():
        owner_host, _, pid = owner.name.rpartition("_")
        if owner_host == host and pid.isdigit() and (int(pid) == os.getpid() or not process_alive(int(pid))):
            shutil.rmtree(owner, ignore_errors=True)
            removed += 1
    return removed


JOB_STATUSES = ("queued", "running", "done", "failed")


@dataclass(frozen=True)
class AuditOptions:
    path: str = "full"
    against: str | None = "full"
    text_col: str = "text"
    label_col: str | None = None
    record: bool = True
    keep_text: bool = False
    model: str | None = None  # a name from GET /v1/models; None: the served model
    all_probs: bool = False  # a prob_LABEL column for every label (`core.audit.run_audit`)


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
    model: str = ""  # the name of the model that audits it
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
                "model": self.model,
                "summary": self.summary,
                "error": self.error,
            }


class AuditJobs:
    """Queued audit jobs of one server, run one at a time in submission order; `engines` gives the engine of a
    model a job names (`AuditOptions.model`; default: `engine`'s model only, any other name refused)."""

    def __init__(
        self,
        engine: PathEngine,
        store: DecisionStore | None,
        uploads: Path | None = None,
        engines: Callable[[str | None], PathEngine] | None = None,
    ) -> None:
        self.engine, self.store = engine, store
        self._engines = engines or self._served_only
        uploads = uploads if uploads is not None else uploads_folder(store)
        swept = sweep_dead_uploads(uploads)
        if swept:
            logger.warning("deleted the uploads of %d dead server process(es) in %s", swept, uploads)
        self.folder = uploads / f"{socket.gethostname()}_{os.getpid()}"
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pathlens-audit")
        self._jobs: dict[str, AuditJob] = {}
        self._lock = threading.Lock()

    def new_job(self, options: AuditOptions) -> AuditJob:
        """A job with a folder for its input; checks the options first (InputError / InvalidPathError) and loads the
        model it names."""
        engine = self._engines(options.model)
        engine.parse(options.path)
        if options.against is not None:
            engine.parse(options.against)
        if options.record and self.store is None:
            raise InputError("this server has no decision record: submit with record=false")
        if options.keep_text and not options.record:
            raise InputError("keep_text keeps the texts in the decision record: leave record on")
        job_id = uuid.uuid4().hex
        folder = self.folder / job_id
        folder.mkdir(mode=0o700)
        return AuditJob(job_id, options, folder, model=engine.model.name)

    def discard(self, job: AuditJob) -> None:
        """Delete a job that was never queued (its upload failed or was refused)."""
        shutil.rmtree(job.folder, ignore_errors=True)

    def submit(self, job: AuditJob) -> None:
        """Queue a job whose input file is written; a file without the named columns is refused here."""
        options = job.options
        try:
            check_columns(job.input, options.text_col, options.label_col)
        except InputError as exc:
            self.discard(job)
            raise InputError(_without_path(str(exc), job.input)) from None
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
        """Stop taking jobs, cancel queued ones, wait for the running one, remove this server's files."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, job: AuditJob) -> None:
        options = job.options
        with job.lock:
            job.status = "running"

        def progress(done: int, total: int | None) -> None:
            with job.lock:
                job.rows_done, job.rows_total = done, total

        try:
            result = run_audit(
                self._engines(options.model),
                job.input,
                options.path,
                against=options.against,
                text_col=options.text_col,
                label_col=options.label_col,
                out=job.output,
                progress=progress,
                store=self.store if options.record else None,
                keep_text=options.keep_text,
                all_probs=options.all_probs,
            )
        except PathLensError as exc:
            self._finish(job, "failed", error=_without_path(str(exc), job.input))
        except Exception as exc:  # a job must never take the worker down: report it on the job
            logger.error("audit job %s failed: %s", job.job_id, type(exc).__name__)  # messages may quote rows
            self._finish(job, "failed", error=f"{type(exc).__name__}: the audit failed unexpectedly")
        else:
            summary = result.to_json()
            summary["out"] = f"/v1/audits/{job.job_id}/result"  # where the client fetches it, not the server's path
            self._finish(job, "done", summary=summary)

    def _served_only(self, name: str | None) -> PathEngine:
        if name is not None and name != self.engine.model.name:
            raise InputError(f"unknown model {name!r}: this server audits with {self.engine.model.name} only")
        return self.engine

    def _finish(
        self, job: AuditJob, status: str, summary: dict[str, Any] | None = None, error: str | None = None
    ) -> None:
        """Delete the raw upload (it does not outlive its job), then say how the job ended."""
        job.input.unlink(missing_ok=True)
        with job.lock:
            job.status, job.summary, job.error = status, summary, error
            if summary is not None:
                job.rows_done = job.rows_total = int(summary["rows_read"])
        logger.info("audit job finished", extra={"job_id": job.job_id, "status": status})


def _without_path(message: str, upload: Path) -> str:
    """A message about an upload that names it as the client knows it, not by where this server keeps it."""
    for name in (str(upload.resolve()), str(upload), upload.name):  # the core's messages name a file by path or name
        message = message.replace(name, UPLOADED)
    return message
