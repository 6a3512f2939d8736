"""`core.store.health.flip_counts`: the flip rate's window is per executed path (the newest N decisions of each)."""

from __future__ import annotations

from pathlib import Path

from core.store import AlternativeRecord, AlternativeResult, DecisionRecord, DecisionStore, open_store
from core.store.health import flip_counts
from tests.conftest import decision_record


def _record(decision_id: str, second: int, path: str, label: str, model: str = "model") -> DecisionRecord:
    return decision_record(
        decision_id,
        created_at=f"2026-01-01T00:00:{second:02d}.000000+00:00",
        model_fingerprint=model,
        path=path,
        path_id=path,
        label=label,
        alternatives=(AlternativeRecord("depth=1", "d1"), AlternativeRecord("full", "f")),
    )


def _decided(store: DecisionStore, decision_id: str, full_label: str | None) -> None:
    results = [AlternativeResult("d1", "negative", {"negative": 1.0}, (1.0,), {"flops": 1})]
    if full_label is not None:
        results.append(AlternativeResult("f", full_label, {full_label: 1.0}, (1.0,), {"flops": 1}))
    store.complete(decision_id, results)


def test_each_path_has_its_own_window_of_newest_decisions(tmp_path: Path) -> None:
    store = open_store(tmp_path / "flips.sqlite")
    rare = [("r1", 1, "positive", "negative"), ("r2", 2, "positive", "positive")]  # older than every busy one
    busy_old = [("b1", 10, "positive", "negative"), ("b2", 11, "positive", "negative")]  # flips, out of the window
    busy_new = [("b3", 20, "positive", "positive"), ("b4", 21, "positive", None), ("b5", 22, "positive", "positive")]
    for decision_id, second, label, full in rare:
        store.insert(_record(decision_id, second, "depth=2", label))
        _decided(store, decision_id, full)
    for decision_id, second, label, full in busy_old + busy_new:
        store.insert(_record(decision_id, second, "depth=3", label))
        _decided(store, decision_id, full)
    store.insert(_record("other", 30, "depth=3", "positive", model="another model"))
    counts = flip_counts(store, "model", window=3, is_full=lambda path: path == "full")
    # depth=3: its newest 3 are b3, b4 (full path not stored: not counted), b5, none flips; b1 and b2 are older
    # depth=2: both of its decisions, although 5 decisions of depth=3 are newer (one window overall would drop it)
    assert counts == {"depth=3": (0, 2), "depth=2": (1, 2)}
    assert flip_counts(store, "model", window=1, is_full=lambda path: path == "full") == {
        "depth=3": (0, 1),
        "depth=2": (0, 1),
    }
    assert flip_counts(store, "nobody", window=3, is_full=lambda path: True) == {}
