"""`python -m core` on tiny checkpoints of every family: decide, train-heads, and the refusal of other types."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import torch
from conftest import TINY_FAMILIES
from transformers import AutoTokenizer, MPNetConfig, MPNetForSequenceClassification

from core.cli import main
from core.errors import ModelLoadError
from core.model import bundled_model_dir, load_model

WORDS = ["good", "bad", "long"]  # three labels, as many as the tiny checkpoints' classifiers have


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("kind", ("bert", *TINY_FAMILIES))
def test_decide_on_a_saved_checkpoint_of_each_family(
    kind: str, tiny_checkpoint: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    directory = tiny_checkpoint(kind)
    code, out, err = run_cli(
        capsys, "decide", "--model", str(directory), "--text", "a fine film", "--path", "heads_off=1.2", "--no-record"
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["cost"]["layers_run"] == 3 and result["cost"]["heads_run"] == 11
    assert set(result["probs"]) == {"LABEL_0", "LABEL_1", "LABEL_2"}


@pytest.mark.parametrize("kind", TINY_FAMILIES)
def test_train_heads_trains_exit_heads_for_each_family(
    kind: str, tiny_checkpoint: Callable[[str], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Frozen random encoder, 45 texts whose label is their last word: the heads fit them, and the trained
    artifact loads and decides at an early exit."""
    table = tmp_path / "train.csv"
    with table.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        for index in range(45):
            writer.writerow([f"the film number {index} was {WORDS[index % 3]}", index % 3])
    out = tmp_path / "heads"
    directory = tiny_checkpoint(kind)
    code, printed, err = run_cli(
        capsys, "train-heads", "--model", str(directory), "--input", str(table), "--out", str(out),
        "--label-names", "positive,negative,neutral",
    )  # fmt: skip
    assert code == 0, err
    report = json.loads(printed)["report"]
    assert len(report["train_accuracy_by_depth"]) == 3 and report["train_accuracy_by_depth"][-1] >= 0.9
    code, printed, err = run_cli(
        capsys, "decide", "--model", str(directory), "--heads", str(out), "--text", "the film was good",
        "--path", "depth=1", "--no-record",
    )  # fmt: skip
    assert code == 0, err
    decision = json.loads(printed)
    assert decision["path"] == "depth=1" and len(decision["probs"]) == 3


def test_an_unsupported_architecture_is_one_line_naming_it_and_the_families(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = MPNetConfig(
        vocab_size=30522, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64
    )
    MPNetForSequenceClassification(config).save_pretrained(tmp_path)
    AutoTokenizer.from_pretrained(bundled_model_dir()).save_pretrained(tmp_path)
    with pytest.raises(ModelLoadError, match=r"model type 'mpnet' is not supported: PathLens runs BERT \(bert, "):
        load_model(tmp_path)
    code, out, err = run_cli(capsys, "decide", "--model", str(tmp_path), "--text", "a fine film")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "'mpnet' is not supported" in err and "ModernBERT (modernbert)" in err


def test_lora_on_gpt2_is_refused_in_one_line(
    tiny_checkpoint: Callable[[str], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "train.csv"
    table.write_text("text,label\na good film,1\na bad film,0\n")
    directory = tiny_checkpoint("gpt2")
    capsys.readouterr()  # what saving the checkpoint printed
    code, out, err = run_cli(
        capsys, "train-heads", "--adapt", "lora", "--model", str(directory), "--input", str(table),
        "--out", str(tmp_path / "heads"),
    )  # fmt: skip
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "lora is not available for GPT-2 models" in err and not (tmp_path / "heads").exists()


@pytest.mark.parametrize("kind", ["qwen2", "modernbert", "deberta"])
def test_lora_adapts_each_family_and_the_merged_adapter_changes_the_model(
    kind: str, tiny_checkpoint: Callable[[str], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "train.csv"
    rows = [f"the film number {index} was {WORDS[index % 3]},{index % 3}" for index in range(30)]
    table.write_text("text,label\n" + "\n".join(rows) + "\n")
    directory = tiny_checkpoint(kind)
    capsys.readouterr()
    code, _, err = run_cli(
        capsys, "train-heads", "--adapt", "lora", "--model", str(directory), "--input", str(table),
        "--out", str(tmp_path / "heads"), "--epochs", "3", "--max-rows", "0", "--lr", "1e-2",
    )  # fmt: skip
    assert code == 0, err
    adapted, plain = load_model(directory, tmp_path / "heads"), load_model(directory)
    layer = adapted.base.layers[0]
    changed = [
        name
        for (name, weight), (_, before) in zip(
            layer.named_parameters(), plain.base.layers[0].named_parameters(), strict=True
        )
        if not torch.equal(weight, before)
    ]
    assert changed, "the merged LoRA factors change the layer's linears"
