"""The rule that picks which trained artifact ships (bench/train_sweep.py), on made-up figures."""

from __future__ import annotations

from bench.train_sweep import CONFIGS, LABEL_COL, eligible, ranked


def _figures(accuracy: float, macro_f1: float, policy_accuracy: float, layers: float, size: int = 2_000_000) -> dict:
    return {
        "accuracy": accuracy,
        "macro_f1": macro_f1,
        "policy_accuracy": policy_accuracy,
        "policy_layers": layers,
        "artifact_bytes": size,
    }


def test_eligibility_needs_the_policy_within_a_point_under_3_6_layers_and_5_mb() -> None:
    assert eligible(_figures(0.92, 0.9, 0.91, 3.6))
    assert not eligible(_figures(0.92, 0.9, 0.9099, 2.0))  # policy more than a point below the full path
    assert not eligible(_figures(0.92, 0.9, 0.92, 3.61))
    assert not eligible(_figures(0.92, 0.9, 0.92, 2.0, size=5_000_001))


def test_the_key_ranks_and_a_tie_within_0_3_points_goes_to_fewer_layers() -> None:
    candidates = {
        "today": _figures(0.9143, 0.91, 0.9123, 2.02),
        "close": _figures(0.9170, 0.93, 0.9160, 2.50),  # +0.27 points: tied with today, which runs fewer layers
        "better": _figures(0.9250, 0.80, 0.9240, 3.00),
        "fast-but-late": _figures(0.9300, 0.95, 0.9300, 3.70),  # best key, not eligible
    }
    assert ranked(candidates, "banking77") == ["better", "today", "close"]
    assert ranked(candidates, "fintweets")[0] == "close"  # fintweets ranks by macro-F1
    assert ranked({"only-late": candidates["fast-but-late"]}, "banking77") == []


def test_the_configurations_are_named_once_and_fit_the_size_limit() -> None:
    assert len({c.name for c in CONFIGS}) == len(CONFIGS)
    assert {c.model for c in CONFIGS} == set(LABEL_COL)
    assert all(c.rank <= 48 for c in CONFIGS), "a 77-label artifact over rank 48 passes 5 MB"
