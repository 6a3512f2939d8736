"""`python -m core decide --explain heads` and `python -m core advise` on a tiny checkpoint."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import torch
from conftest import save_seeded_heads

from core.cli import main


@pytest.fixture(scope="module")
def model_args(tiny_checkpoint: Callable[[str], Path], tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    directory = tiny_checkpoint("roberta")
    out = save_seeded_heads(
        directory, tmp_path_factory.mktemp("cli-heads"), ["neg", "mid", "pos"], seed=4, weight_std=2.0
    )
    return ["--model", str(directory), "--heads", str(out)]


def test_decide_explain_heads_prints_the_importance(model_args: list[str], capsys: pytest.CaptureFixture) -> None:
    assert (
        main(["decide", "--no-record", "--text", "a fine film", "--path", "depth=2", "--explain", "heads", *model_args])
        == 0
    )
    printed = json.loads(capsys.readouterr().out)
    weights = printed["head_importance"]
    assert weights["label"] == printed["label"] and weights["path"] == "depth=2"
    assert [len(row) for row in weights["heads"]] == [4, 4, 4] and weights["heads"][2] == [None] * 4
    assert all(isinstance(value, float) for value in weights["heads"][0])


def test_advise_prints_a_frontier_and_refuses_a_bad_budget(
    model_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    rows = 24
    generator = torch.Generator().manual_seed(0)
    words = ["good", "bad", "film", "dull", "fine", "plot"]
    texts = [" ".join(words[i] for i in torch.randint(6, (5,), generator=generator).tolist()) for _ in range(rows)]
    table = tmp_path / "rows.csv"
    pd.DataFrame({"text": texts, "label": torch.randint(3, (rows,), generator=generator).tolist()}).to_csv(table)
    common = ["advise", "--input", str(table), "--label-col", "label", "--sensitivity-rows", "8", "--batch-size", "8"]
    assert main([*common, "--budget", "loss<=10", "--objective", "flops", "--seed", "3", *model_args]) == 0
    advice = json.loads(capsys.readouterr().out)
    assert advice["rows"]["search"] == 12 and advice["rows"]["held_out"] == 12
    assert advice["recommended"]["path"] in {c["path"] for c in advice["frontier"]} | {"full"}
    assert (advice["full"]["accuracy"] - advice["recommended"]["accuracy"]) * 100 <= 10 + 1e-9
    assert main([*common, "--budget", "speed>=2", *model_args]) == 2
    assert "budget term 'speed>=2' is not understood" in capsys.readouterr().err


def test_decide_refuses_an_unknown_explanation_before_deciding(
    model_args: list[str], capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_model(args: object) -> None:
        raise AssertionError("the model was loaded before the methods were checked")

    monkeypatch.setattr("core.cli.common.load", no_model)
    assert main(["decide", "--no-record", "--text", "a fine film", "--explain", "ig,nosuch", *model_args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    message = captured.err.strip().splitlines()[-1]
    assert "unknown explanation method(s) nosuch" in message
    assert "choose from ig,gxi,saliency,lrp,occlusion,attention,heads" in message


def test_advise_refuses_two_rows_and_warns_on_twenty(
    model_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    table = tmp_path / "few.csv"
    texts = ["good film", "bad plot", "dull film", "fine plot"] * 5
    pd.DataFrame({"text": texts, "label": [0, 2, 0, 2] * 5}).to_csv(table, index=False)
    common = ["advise", "--label-col", "label", "--sensitivity-rows", "8", "--batch-size", "8", *model_args]
    two = tmp_path / "two.csv"
    pd.read_csv(table).iloc[:2].to_csv(two, index=False)
    assert main([*common, "--input", str(two)]) == 2
    assert "1 search row(s) are too few to judge a path (one row would be 100 accuracy points)" in (
        capsys.readouterr().err
    )
    assert main([*common, "--input", str(table), "--objective", "flops"]) == 0
    captured = capsys.readouterr()
    advice = json.loads(captured.out)
    assert advice["confident"] is False
    assert advice["uncertainty"]["held_out_rows"] == 10 and advice["uncertainty"]["one_row_points"] == 10.0
    assert "warning: not confident: on 10 held-out rows one row is 10 accuracy points" in captured.err
    wanted = max(400, math.ceil(round((1 - advice["recommended"]["agreement"]) * 40000, 6)))
    assert f"give at least {wanted} held-out rows" in captured.err and advice["notes"][0].startswith("not confident")


def test_advise_refuses_a_file_of_one_label_before_any_work(
    model_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    table, other = tmp_path / "one.csv", tmp_path / "two.csv"
    pd.DataFrame({"text": ["good film", "fine plot", "great cast"] * 8, "label": [1] * 24}).to_csv(table)
    pd.DataFrame({"text": ["good film", "bad plot"] * 12, "label": [0, 2] * 12}).to_csv(other)

    def no_search(*args: object, **kwargs: object) -> None:
        raise AssertionError("a one-label file was searched")

    monkeypatch.setattr("core.advise.search.advise", no_search)
    common = ["advise", "--label-col", "label", *model_args]
    for files in (["--input", str(table)], ["--input", str(other), "--holdout", str(table)]):
        assert main([*common, *files]) == 2
        [line] = capsys.readouterr().err.strip().splitlines()
        assert line.startswith(f"error: every gold label of {table} is '") and "rows of one label says nothing" in line


def test_advise_names_an_empty_file_and_points_to_the_model_of_other_labels(
    model_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    empty, intents = tmp_path / "empty.csv", tmp_path / "intents.csv"
    empty.write_text("text,label\n")
    pd.DataFrame(
        {"text": ["my card is late", "change my pin"] * 12, "label": ["card_arrival", "change_pin"] * 12}
    ).to_csv(intents)
    for table, message in (
        (empty, "has no row with text in column 'text'"),
        (intents, "choose the model the labels belong to with --model"),
    ):
        assert main(["advise", "--input", str(table), "--label-col", "label", *model_args]) == 2
        [line] = capsys.readouterr().err.strip().splitlines()
        assert message in line
