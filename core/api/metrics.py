"""Prometheus metrics of one server (its own registry): decisions, latency, labels, flips, alternatives, jobs.

Counters and histograms are updated by the routes. The flip rate and the alternatives by status are read from the
record when /metrics is scraped, so they also cover decisions made by other processes on the same store (the
dashboard, the CLI, other API servers).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from functools import lru_cache

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from core.errors import PathLensError
from core.run import PathEngine
from core.service import DecisionService
from core.store import StoreError, alternative_counts, flip_counts

logger = logging.getLogger("pathlens.api")

MAX_PATH_LABELS = 100  # distinct executed paths with their own series; later ones are counted under "other"
OTHER_PATHS = "other"
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class ApiMetrics:
    """The server's registry; `observe_decision` and `observe_request` are called by the routes."""

    def __init__(self, service: DecisionService, flip_window: int, job_counts: Callable[[], dict[str, int]]) -> None:
        self.registry = CollectorRegistry()
        self.decisions = Counter(
            "pathlens_decisions", "Decisions made through the API, by executed path", ["path"], registry=self.registry
        )
        self.labels = Counter(
            "pathlens_decision_labels", "Decided labels, by executed path", ["path", "label"], registry=self.registry
        )
        self.decision_seconds = Histogram(
            "pathlens_decision_seconds",
            "Time to decide and record one decision (its comparison set runs afterwards), by executed path",
            ["path"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.request_seconds = Histogram(
            "pathlens_http_request_seconds",
            "HTTP request duration, by method, route template and status",
            ["method", "route", "status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.registry.register(RecordCollector(service, flip_window, job_counts))
        self._paths = PathLabels(MAX_PATH_LABELS)

    def observe_decision(self, path: str, label: str, seconds: float) -> None:
        path = self._paths.label(path)
        self.decisions.labels(path).inc()
        self.labels.labels(path, label).inc()
        self.decision_seconds.labels(path).observe(seconds)

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.request_seconds.labels(method, route, str(status)).observe(seconds)


class PathLabels:
    """Bounds the `path` label's values: the first `limit` distinct paths keep their own series, later ones share
    "other", so a client trying many paths cannot grow the server's memory and the scrape without end."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def label(self, path: str) -> str:
        with self._lock:
            if path in self._seen:
                return path
            if len(self._seen) < self.limit:
                self._seen.add(path)
                return path
        return OTHER_PATHS


class RecordCollector(Collector):
    """Gauges computed at scrape time from the record and from this process's queues."""

    def __init__(self, service: DecisionService, window: int, job_counts: Callable[[], dict[str, int]]) -> None:
        self.service, self.window, self.job_counts = service, window, job_counts
        engine = service.engine
        self._is_full = lru_cache(maxsize=4096)(lambda path: _is_full_path(engine, path))

    def collect(self) -> Iterator[Metric]:
        queue = GaugeMetricFamily("pathlens_comparison_queue", "Comparison sets queued in this server, not yet stored")
        queue.add_metric([], self.service.pending())
        yield queue
        jobs = GaugeMetricFamily("pathlens_audit_jobs", "Batch audit jobs of this server, by status", labels=["status"])
        for status, count in self.job_counts().items():
            jobs.add_metric([status], count)
        yield jobs
        if self.service.store is None:
            return
        try:
            yield from self._from_record()
        except StoreError as exc:
            logger.warning("metrics from the record are unavailable: %s", exc)

    def _from_record(self) -> Iterator[Metric]:
        assert self.service.store is not None, "needs a store"
        alternatives = GaugeMetricFamily(
            "pathlens_alternatives", "Alternatives in the record, by status (pending, done, failed)", labels=["status"]
        )
        for status, count in alternative_counts(self.service.store).items():
            alternatives.add_metric([status], count)
        yield alternatives
        fingerprint = self.service.engine.model.fingerprint
        rates = GaugeMetricFamily(
            "pathlens_flip_rate",
            f"Share of the newest {self.window} decisions of each executed path whose stored full path decided "
            "another label",
            labels=["path"],
        )
        compared = GaugeMetricFamily(
            "pathlens_flip_rate_decisions",
            "Decisions behind pathlens_flip_rate (those whose full path is stored), by executed path",
            labels=["path"],
        )
        for path, (flips, total) in sorted(
            flip_counts(self.service.store, fingerprint, self.window, self._is_full).items()
        ):
            rates.add_metric([path], flips / total)
            compared.add_metric([path], total)
        yield rates
        yield compared


def _is_full_path(engine: PathEngine, path: str) -> bool:
    """Every layer and head (withheld groups, precision and device may differ: they are carried from the decision)."""
    try:
        spec = engine.parse(path)
    except PathLensError:
        return False
    return spec.is_full_depth and not spec.heads_off
