"""The `path` label of the API's metrics is bounded: a client trying many paths cannot grow the scrape without end."""

from __future__ import annotations

import pytest
from prometheus_client.exposition import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from core.api import metrics
from core.run import PathEngine
from core.service import DecisionService


def test_paths_past_the_limit_share_one_series(bundled_engine: PathEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metrics, "MAX_PATH_LABELS", 3)
    api_metrics = metrics.ApiMetrics(DecisionService(bundled_engine, store=None), 500, dict)
    paths = [f"depth={depth}" for depth in range(1, 7)]
    for path in paths + paths[:2]:  # the first paths keep their series when seen again after the limit
        api_metrics.observe_decision(path, "positive", 0.01)
    scraped = text_string_to_metric_families(generate_latest(api_metrics.registry).decode())
    counts = {s.labels["path"]: s.value for f in scraped if f.name == "pathlens_decisions" for s in f.samples}
    assert counts == {"depth=1": 2, "depth=2": 2, "depth=3": 1, "other": 3}
