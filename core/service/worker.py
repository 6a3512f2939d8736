"""The background half of the DecisionService: the comparison worker (one thread, its own queue and, on GPU, its own
CUDA stream) that computes the paths not taken, and the gate that holds it off while a user waits for a decision or
an explanation (`ForegroundGate`: background work waits before each layer until no foreground work is in flight).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass
from typing import Any

import torch

from core.explain import ADAPTIVE_IG, IGOptions, Progress, explain
from core.path import PathSpec
from core.run import PathEngine
from core.service.comparison import PendingWrites, compute_alternatives, redact_tokens
from core.store import DecisionStore, StoreError

logger = logging.getLogger(__name__)


class ForegroundGate:
    """Counts primary decisions in flight; background work waits until there are none before each layer."""

    def __init__(self) -> None:
        self._idle = threading.Condition()
        self._active = 0

    @contextmanager
    def foreground(self) -> Iterator[None]:
        with self._idle:
            self._active += 1
        try:
            yield
        finally:
            with self._idle:
                self._active -= 1
                self._idle.notify_all()

    def wait_idle(self) -> None:
        with self._idle:
            self._idle.wait_for(lambda: self._active == 0)


@dataclass(frozen=True)
class ComparisonJob:
    """One decision's comparison set, queued for the worker."""

    decision_id: str
    text: str  # in memory only, to re-tokenize; never stored unless keep_text
    specs: tuple[PathSpec, ...]
    explain: tuple[str, ...]
    keep_text: bool


class ComparisonWorker:
    """One background thread with its own queue; jobs with the same comparison set are batched together."""

    def __init__(self, engine: PathEngine, store: DecisionStore, gate: ForegroundGate, max_batch: int = 16) -> None:
        self.engine, self.store, self.gate, self.max_batch = engine, store, gate, max_batch
        self._queue: queue.Queue[ComparisonJob | None] = queue.Queue()
        self._outstanding = 0
        self._done = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stream: Any = None
        self.unwritten = PendingWrites(store)  # sets the store refused: written again when it recovers, or failed

    def submit(self, job: ComparisonJob) -> None:
        with self._done:
            self._outstanding += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="pathlens-comparison", daemon=True)
                self._thread.start()
        self._queue.put(job)

    def outstanding(self) -> int:
        with self._done:
            return self._outstanding

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until every submitted job is stored (True) or the timeout passes (False)."""
        with self._done:
            return self._done.wait_for(lambda: self._outstanding == 0, timeout=timeout_s)

    def stop(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        self.unwritten.retry(everything=True)  # a last try; what the store still refuses is a dead owner's orphan

    def _run(self) -> None:
        while True:
            try:
                job = self._queue.get(timeout=self.unwritten.due_in())
            except queue.Empty:  # nothing queued, and a refused write is due again
                self.unwritten.retry(self.gate.wait_idle)
                continue
            if job is None:
                return
            jobs = [job]
            while len(jobs) < self.max_batch:
                try:
                    follower = self._queue.get_nowait()
                except queue.Empty:
                    break
                if follower is None:
                    self._queue.put(None)
                    break
                jobs.append(follower)
            by_set: dict[tuple[str, ...], list[ComparisonJob]] = {}
            for item in jobs:
                by_set.setdefault(tuple(s.canonical for s in item.specs), []).append(item)
            for group in by_set.values():
                self._process(group)
                with self._done:
                    self._outstanding -= len(group)
                    self._done.notify_all()
            self.unwritten.retry(self.gate.wait_idle)

    def _process(self, jobs: list[ComparisonJob]) -> None:
        specs = jobs[0].specs
        try:
            with self._cuda_stream(specs[0]):
                rows = compute_alternatives(
                    self.engine, [j.text for j in jobs], specs, before_layer=self.gate.wait_idle
                )
            for job, results in zip(jobs, rows, strict=True):
                if job.explain:
                    results = [
                        _with_explanations(self.engine, job, spec, result)
                        for spec, result in zip(specs, results, strict=True)
                    ]
                self.gate.wait_idle()  # a primary decision's record write goes first
                try:
                    self.store.complete(job.decision_id, results)
                except StoreError as exc:  # kept and written again when the store recovers (or failed)
                    logger.warning("alternatives of decision %s were not stored, will retry: %s", job.decision_id, exc)
                    self.unwritten.add(job.decision_id, results, str(exc))
        except Exception as exc:  # the worker must outlive any failure: record it on the decisions instead
            logger.warning("alternatives of %d decision(s) failed: %s", len(jobs), type(exc).__name__)
            for job in jobs:
                error = f"{type(exc).__name__}: {str(exc)[:300]}"
                try:
                    self.store.fail(job.decision_id, error)
                except StoreError as store_exc:
                    logger.warning(
                        "decision %s: could not record the failure, will retry: %s", job.decision_id, store_exc
                    )
                    self.unwritten.add(job.decision_id, None, error)

    def _cuda_stream(self, spec: PathSpec) -> Any:
        if self.engine.model.resolve_device(spec.device) != "cuda":
            return nullcontext()
        if self._stream is None:
            self._stream = torch.cuda.Stream()
        return torch.cuda.stream(self._stream)


def explain_json(
    engine: PathEngine,
    text: str,
    spec: PathSpec,
    methods: Sequence[str],
    target: str | None = None,
    progress: Progress | None = None,
    ig: IGOptions = ADAPTIVE_IG,
    decided_logits: Sequence[float] | None = None,
) -> dict[str, Any]:
    """The explanations as JSON; with the logits of a decision this model made on this text, it is not decided
    again."""
    return explain(
        engine,
        text,
        spec,
        methods=tuple(methods),
        target=target,
        progress=progress,
        ig=ig,
        decided_logits=decided_logits,
    ).to_json()


def _with_explanations(engine: PathEngine, job: ComparisonJob, spec: PathSpec, result: Any) -> Any:
    explanations = explain_json(engine, job.text, spec, job.explain)
    stored = explanations if job.keep_text else redact_tokens(explanations)
    return type(result)(**{**asdict(result), "logits": tuple(result.logits), "explanations": stored})
