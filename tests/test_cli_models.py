"""The shipped banking77 and fintweets models on the command line: decide, explain a chosen intent, compare,
evaluate with an exit sweep, audit, reproduce across models, and `models`."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from core.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
INTENT = "I still haven't received my new card"
TWEET = "$AAPL cut to neutral at Morgan Stanley"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_models_lists_every_shipped_model(capsys: pytest.CaptureFixture[str]) -> None:
    names = [model["name"] for model in run_cli(capsys, "models")["models"]]
    assert names[:3] == ["sst2", "banking77", "fintweets"]


def test_banking77_names_an_intent_explains_another_and_compares(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = str(tmp_path / "d.sqlite")
    decided = run_cli(
        capsys,
        "decide",
        "--model",
        "banking77",
        "--text",
        INTENT,
        "--keep-text",
        "--store",
        store,
        "--path",
        "exit=confidence>=0.9",
        "--explain",
        "gxi",
        "--target",
        "card_delivery_estimate",
    )
    assert decided["model"] == "banking77" and len(decided["probs"]) == 77
    assert decided["label"] == max(decided["probs"], key=decided["probs"].get)
    assert decided["explanations"]["target"] == "card_delivery_estimate"
    compared = run_cli(capsys, "compare", "--decision", decided["decision_id"], "--store", store)
    alternatives = compared["alternatives"]  # the full path and every fixed depth, in intents
    assert len(alternatives) == 6 and all(len(alt["probs"]) == 77 for alt in alternatives)
    reproduced = run_cli(capsys, "reproduce", "--decision", decided["decision_id"], "--store", store)
    assert reproduced["matches"] and reproduced["label"] == decided["label"]  # on its own model, as the API does
    code = main(["reproduce", "--decision", decided["decision_id"], "--store", store, "--model", "sst2"])
    err = capsys.readouterr().err
    assert code == 2 and "made by model banking77" in err and "sst2" in err and "--model banking77" in err


def test_fintweets_decides_evaluates_and_audits(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    decided = run_cli(capsys, "decide", "--model", "fintweets", "--text", TWEET, "--no-record")
    assert decided["model"] == "fintweets" and decided["label"] in ("bearish", "bullish", "neutral")
    sample = str(SAMPLES / "fintweets_sample.csv")
    figures = run_cli(capsys, "evaluate", "--model", "fintweets", "--input", sample)
    assert figures["rows"] == 36 and set(figures["macro_f1_by_depth"]) == {"1", "2", "3", "4", "5", "6"}
    assert {row["label"] for row in figures["by_label"]["by_label"]} == {"bearish", "bullish", "neutral"}
    sweep = run_cli(capsys, "evaluate", "--model", "fintweets", "--input", sample, "--exit-sweep")
    assert sweep["rows"] == 36
    out = tmp_path / "audit.csv"
    audited = run_cli(
        capsys,
        "audit",
        "--model",
        "banking77",
        "--input",
        str(SAMPLES / "banking77_sample.csv"),
        "--path",
        "exit=confidence>=0.9",
        "--out",
        str(out),
        "--no-record",
    )
    assert audited["rows"] == 48 and audited["accuracy"] is not None
    assert len(pd.read_csv(out)) == 48
