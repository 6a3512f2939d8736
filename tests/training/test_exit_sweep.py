"""The exit sweep: policies simulated on one pass agree with running them; the CLI prints the trade-off."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from core.cli import main
from core.run import PathEngine
from core.training import evaluate_depths, exit_table, sweep

SAMPLE = Path(__file__).parents[2] / "sample_data" / "audit_sample.csv"


@pytest.mark.parametrize("policy", ["exit=confidence>=0.97", "exit=patience:2", "depth=4; exit=confidence>=0.9"])
def test_simulated_policy_equals_running_it(bundled_engine: PathEngine, policy: str) -> None:
    spec = bundled_engine.parse(policy)
    frame = pd.read_csv(SAMPLE)
    table = exit_table(bundled_engine, SAMPLE, "text", "label", spec.canonical, batch_size=7)
    simulated = table.outcome(spec.exit)
    decisions = bundled_engine.decide_batch(frame["text"].tolist(), spec)
    layers = [d.cost.layers_run for d in decisions]
    correct = [d.label == gold for d, gold in zip(decisions, frame["label"], strict=True)]
    assert simulated["mean_layers_run"] == pytest.approx(sum(layers) / len(layers), abs=1e-3)
    assert simulated["accuracy"] == pytest.approx(sum(correct) / len(correct), abs=1e-4)
    alone = [bundled_engine.decide(text, spec).cost.flops for text in frame["text"]]  # each at its own length
    fixed = [bundled_engine.decide(text, spec.replace(exit=None)).cost.flops for text in frame["text"]]
    assert 0 < simulated["compute_saved"] == pytest.approx(1 - sum(alone) / sum(fixed), abs=1e-4)


def test_without_a_policy_the_sweep_is_the_path_run_to_its_end(bundled_engine: PathEngine) -> None:
    result = sweep(exit_table(bundled_engine, SAMPLE, "text", "label", "depth=5"))
    by_depth = evaluate_depths(bundled_engine, SAMPLE, "text", "label", "depth=5")["accuracy_by_depth"]
    assert result["without_policy"] == {
        "policy": "none",
        "accuracy": by_depth["5"],
        "mean_layers_run": 5.0,
        "compute_saved": 0.0,
        "speedup_by_flops": 1.0,
    }
    names = [row["policy"] for row in result["policies"]]
    assert "exit=confidence>=0.9" in names and names[-4:] == [f"exit=patience:{p}" for p in range(1, 5)]
    strict = next(row for row in result["policies"] if row["policy"] == "exit=confidence>=1.0")
    assert strict["accuracy"] == by_depth["5"] and strict["mean_layers_run"] == 5.0


def test_cli_exit_sweep_prints_json_and_refuses_a_bad_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "--input", str(SAMPLE), "--exit-sweep"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["rows"] == 20 and result["exits"] == 6 and len(result["policies"]) == 13 + 5
    assert result["without_policy"]["speedup_by_flops"] == 1.0 and "not measured time" in result["speedup_note"]
    for row in result["policies"]:  # the speed-up the saved FLOPs imply, consistent with compute_saved
        assert row["speedup_by_flops"] == pytest.approx(1 / (1 - row["compute_saved"]), rel=1e-3)
    assert main(["evaluate", "--input", str(SAMPLE), "--exit-sweep", "--path", "depth=1"]) == 2
    assert "needs a path with at least two exits" in capsys.readouterr().err
