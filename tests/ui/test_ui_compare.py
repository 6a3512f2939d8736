"""Compare paths as the page shapes it: the executed path's unprogrammed twin is named as such."""

from __future__ import annotations

from pathlib import Path

from core.run import PathEngine
from core.service import DecisionService
from core.store import open_store
from core.ui import compared_path_name, comparison

TEXT = "Lovely film; write to ann@example.org for the tickets."


def test_compare_marks_the_executed_path_without_its_program(bundled_engine: PathEngine, tmp_path: Path) -> None:
    service = DecisionService(bundled_engine, open_store(tmp_path / "d.sqlite"))
    audited = service.decide(TEXT, bundled_engine.parse("block=email"))
    service.close(120)
    view = comparison(service, audited.decision.decision_id)
    twins = [row for row in view.rows if row["unprogrammed"]]
    assert [row["path"] for row in twins] == ["full"]
    assert compared_path_name(twins[0]) == "full  (the executed path without its attention program)"
    assert compared_path_name(view.rows[0]) == "▶ block=email"
