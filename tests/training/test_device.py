"""Where training runs (`train-heads --device`): CPU by default, CUDA when asked and present, refused when absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from conftest import save_tiny_bert_encoder

from core.cli import main
from core.errors import InputError
from core.model import META_FILE, load_model
from core.run import PathEngine
from core.training import AdaptConfig, LabelledTexts, evaluate_depths, train_adapted, train_frozen_heads
from core.training.device import training_device

TEXTS = ["good great fine", "great lovely", "superb fine good", "lovely great"]
TEXTS += ["bad awful poor", "awful dull", "poor terrible bad", "terrible dull"]
LABELS = [1, 1, 1, 1, 0, 0, 0, 0]
NAMES = ["negative", "positive"]
NEEDS_CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
NO_CUDA = pytest.mark.skipif(torch.cuda.is_available(), reason="checks the refusal on a machine without CUDA")


@pytest.fixture(scope="module")
def tiny_encoder_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_bert_encoder(tmp_path_factory.mktemp("tiny-encoder"), num_layers=2)


def test_auto_is_cuda_only_where_torch_sees_a_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert training_device("auto") == torch.device("cpu") == training_device("cpu")
    with pytest.raises(InputError, match="--device cpu"):
        training_device("cuda")
    with pytest.raises(InputError, match="cpu, cuda, auto"):
        training_device("tpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert training_device("auto") == torch.device("cuda") == training_device("cuda")


@NO_CUDA
def test_cli_refuses_cuda_without_a_gpu_in_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("text,label\n" + "".join(f"{t},{v}\n" for t, v in zip(TEXTS, LABELS, strict=True)))
    out = tmp_path / "out"
    for adapt in ("none", "lora"):
        args = ["train-heads", "--input", str(table), "--out", str(out), "--adapt", adapt, "--device", "cuda"]
        assert main(args) == 2
        err = capsys.readouterr().err
        assert "no CUDA GPU" in err and "--device cpu" in err and len(err.strip().splitlines()) == 1
    assert not out.exists(), "nothing is written when the device is refused"


def test_frozen_heads_on_auto_report_the_device_they_ran_on(tiny_encoder_dir: Path, tmp_path: Path) -> None:
    data = LabelledTexts(TEXTS, LABELS, NAMES, (TEXTS, LABELS))
    report = train_frozen_heads(data, tmp_path, tiny_encoder_dir, device="auto")
    assert report["device"] == training_device("auto").type
    assert load_model(tiny_encoder_dir, tmp_path).labels == tuple(NAMES)


@NEEDS_CUDA
def test_adapted_training_on_cuda_writes_an_artifact_that_the_cpu_reads_as_reported(
    tiny_encoder_dir: Path, tmp_path: Path
) -> None:
    """Trained on the GPU, loaded and evaluated on the CPU: the report's dev figures are the stored weights'."""
    config = AdaptConfig(epochs=6, rank=4, lr=2e-2, batch_size=4, max_rows=None, max_tokens=16, device="cuda")
    data = LabelledTexts(TEXTS, LABELS, NAMES, (TEXTS, LABELS), source="t.csv")
    report = train_adapted(data, tmp_path, tiny_encoder_dir, config).report
    assert report["config"]["device"] == "cuda"
    assert (
        json.loads((tmp_path / META_FILE).read_text())["report"]["dev_accuracy_by_depth"]
        == report["dev_accuracy_by_depth"]
    )
    table = tmp_path / "dev.csv"
    table.write_text("text,label\n" + "".join(f"{t},{v}\n" for t, v in zip(TEXTS, LABELS, strict=True)))
    engine = PathEngine(load_model(tiny_encoder_dir, tmp_path))
    on_cpu = evaluate_depths(engine, table, "text", "label", "device=cpu")
    assert list(on_cpu["accuracy_by_depth"].values()) == pytest.approx(report["dev_accuracy_by_depth"], abs=1 / 8)


def test_cli_lora_alpha_reaches_the_artifact(
    capsys: pytest.CaptureFixture[str], tiny_encoder_dir: Path, tmp_path: Path
) -> None:
    table = tmp_path / "t.csv"
    table.write_text("text,label\n" + "".join(f"{t},{v}\n" for t, v in zip(TEXTS, LABELS, strict=True)))
    out = tmp_path / "out"
    args = ["train-heads", "--input", str(table), "--out", str(out), "--model", str(tiny_encoder_dir)]
    args += ["--adapt", "lora", "--rank", "2", "--alpha", "8", "--epochs", "1", "--device", "auto"]
    assert main(args) == 0
    report = json.loads(capsys.readouterr().out)["report"]
    assert report["config"]["alpha"] == 8.0 and report["config"]["device"] == "auto"
    assert report["device"] == training_device("auto").type
    assert json.loads((out / META_FILE).read_text())["adapter"]["alpha"] == 8.0
