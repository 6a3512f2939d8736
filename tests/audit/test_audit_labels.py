"""Audit output for many labels (top-k probabilities) and for gold labels the model does not know."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import build_tiny_classifier
from transformers import AutoTokenizer

from core import cli
from core.audit import run_audit
from core.audit.batch import TOP_LABELS
from core.model import bundled_model_dir, load_model
from core.run import PathEngine

TEXTS = ["where is my card", "my card was stolen", "how do I top up", "exchange rate please", "refund not showing"]


@pytest.fixture(scope="module")
def many_labels(tmp_path_factory: pytest.TempPathFactory) -> tuple[PathEngine, Path]:
    """A tiny random BERT classifier with 8 labels, loaded, and its folder."""
    directory = tmp_path_factory.mktemp("eight-labels")
    build_tiny_classifier("bert", num_labels=8, seed=3).save_pretrained(directory)
    AutoTokenizer.from_pretrained(bundled_model_dir()).save_pretrained(directory)
    return PathEngine(load_model(directory)), directory


def test_many_labels_give_the_top_five_and_the_rest_summed(
    many_labels: tuple[PathEngine, Path], tmp_path: Path
) -> None:
    engine, _ = many_labels
    source = tmp_path / "in.csv"
    pd.DataFrame({"text": TEXTS}).to_csv(source, index=False)
    run_audit(engine, source, "full", against=None, out=tmp_path / "top.csv")
    rows = pd.read_csv(tmp_path / "top.csv")
    assert not [c for c in rows.columns if c.startswith("prob_")]
    assert [c for c in rows.columns if c.startswith("top")] == [
        f"top{k}_{part}" for k in range(1, TOP_LABELS + 1) for part in ("label", "prob")
    ]
    decisions = engine.decide_batch(TEXTS, engine.parse("full"))
    for (_, row), decision in zip(rows.iterrows(), decisions, strict=True):
        ranked = sorted(decision.probs.items(), key=lambda item: -item[1])
        assert [row[f"top{k + 1}_label"] for k in range(TOP_LABELS)] == [name for name, _ in ranked[:TOP_LABELS]]
        assert row["top1_label"] == row["label"] == decision.label
        assert [row[f"top{k + 1}_prob"] for k in range(TOP_LABELS)] == pytest.approx(
            [p for _, p in ranked[:TOP_LABELS]], abs=1e-5
        )
        assert row["others_prob"] == pytest.approx(sum(p for _, p in ranked[TOP_LABELS:]), abs=1e-5)
    run_audit(engine, source, "full", against=None, out=tmp_path / "all.csv", all_probs=True)
    every = pd.read_csv(tmp_path / "all.csv")
    assert [c for c in every.columns if c.startswith("prob_")] == [f"prob_{n}" for n in engine.model.labels]
    assert every["top1_label"].tolist() == rows["top1_label"].tolist()


def test_the_cli_writes_every_probability_with_all_probs(
    many_labels: tuple[PathEngine, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, directory = many_labels
    source = tmp_path / "in.csv"
    pd.DataFrame({"text": TEXTS[:2]}).to_csv(source, index=False)
    base = ["audit", "--model", str(directory), "--input", str(source), "--against", "none", "--no-record"]
    assert cli.main([*base, "--out", str(tmp_path / "all.csv"), "--all-probs"]) == 0
    assert len([c for c in pd.read_csv(tmp_path / "all.csv").columns if c.startswith("prob_")]) == 8
    capsys.readouterr()
    assert cli.main([*base, "--all-probs"]) == 2  # nothing is written without --out: said, not silently ignored
    assert "--all-probs adds columns to the rows --out writes" in capsys.readouterr().err


def test_an_audit_of_another_tasks_numeric_labels_warns_on_stderr_and_in_its_result(
    many_labels: tuple[PathEngine, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An SST-2 file (labels 0/1) audited with a model of 8 labels: read as its first two labels, and said so."""
    engine, directory = many_labels
    source = tmp_path / "sst2.csv"
    pd.DataFrame({"text": TEXTS[:4], "label": [0, 1, 1, 0]}).to_csv(source, index=False)
    assert cli.main(["audit", "--model", str(directory), "--input", str(source), "--no-record"]) == 0
    captured = capsys.readouterr()
    first, second = engine.model.labels[:2]
    [warning] = [line for line in captured.err.splitlines() if line.startswith("warning:")]
    assert f"0 = {first}, 1 = {second}" in warning and "name only 2 of them" in warning
    assert json.loads(captured.out)["gold_warning"] == warning.removeprefix("warning: ")
    assert cli.main(["evaluate", "--model", str(directory), "--input", str(source)]) == 0  # evaluated by the same rule
    evaluated = capsys.readouterr()
    assert f"warning: {json.loads(evaluated.out)['gold_warning']}" == warning
    named = tmp_path / "named.csv"
    pd.DataFrame({"text": TEXTS[:2], "label": list(engine.model.labels[:2])}).to_csv(named, index=False)
    assert run_audit(engine, named, "full", against=None).gold_warning is None


def test_a_row_whose_label_the_model_does_not_know_is_neither_correct_nor_wrong(
    bundled_engine: PathEngine, tmp_path: Path
) -> None:
    source, out = tmp_path / "unknown.csv", tmp_path / "rows.csv"
    gold = ["positive", "maybe", "negative", "MAYBE"]
    pd.DataFrame({"text": ["a masterpiece", "fine", "terrible", "ok"], "label": gold}).to_csv(source, index=False)
    result = run_audit(bundled_engine, source, "full", against=None, out=out)
    rows = pd.read_csv(out, keep_default_na=False)
    assert rows["correct"].tolist()[1] == rows["correct"].tolist()[3] == ""
    known = [value for value in rows["correct"].tolist() if value != ""]
    assert len(known) == 2 and result.accuracy == sum(v == "True" for v in known) / 2
    assert list(rows.columns[rows.columns.str.startswith("prob_")]) == ["prob_negative", "prob_positive"]
    parquet = tmp_path / "rows.parquet"
    run_audit(bundled_engine, source, "full", against=None, out=parquet)
    assert pd.read_parquet(parquet)["correct"].isna().tolist() == [False, True, False, True]


def test_the_batch_page_reads_the_confidence_of_many_labels_from_the_top_label(
    many_labels: tuple[PathEngine, Path],
) -> None:
    from core.service import DecisionService
    from core.ui.audit import run_audit as page_audit

    engine, _ = many_labels
    data = pd.DataFrame({"text": TEXTS}).to_csv(index=False).encode()
    view = page_audit(DecisionService(engine, None), data, "t.csv", "text", None, "full", lambda f, m: None)
    assert view.rows["confidence"].tolist() == view.rows["top1_prob"].tolist()
    assert view.rows["confidence"].tolist() == pytest.approx(
        [max(d.probs.values()) for d in engine.decide_batch(TEXTS, engine.parse("full"))], abs=1e-5
    )
