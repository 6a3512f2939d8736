"""Dev labels are numbered as the training table numbers them (`core.training.frozen.encode_like`)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from conftest import save_tiny_bert_encoder

from core.errors import InputError
from core.training import AdaptConfig, LabelledTexts, train_adapted, train_frozen_heads
from core.training.frozen import encode_like

TEXTS = ["good great", "great fine", "bad awful", "awful poor", "so so", "meh fine"]
LABELS = [2, 2, 0, 0, 1, 1]


@pytest.fixture(scope="module")
def tiny_encoder_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_bert_encoder(tmp_path_factory.mktemp("tiny-encoder"), num_layers=2)


def test_a_dev_table_may_lack_labels_and_keeps_the_training_numbering() -> None:
    torch.testing.assert_close(encode_like([2, "1", 2], LABELS), torch.tensor([2, 1, 2]))
    with pytest.raises(InputError, match="'7'"):
        encode_like([7, 1], LABELS)


@pytest.mark.parametrize("adapt", [False, True])
def test_training_reports_dev_accuracy_on_a_dev_table_with_fewer_labels(
    tiny_encoder_dir: Path, tmp_path: Path, adapt: bool
) -> None:
    dev = (TEXTS[:2], LABELS[:2])  # only label 2: numbered 2 as in training, not 0
    data = LabelledTexts(TEXTS, LABELS, ["negative", "neutral", "positive"], dev)
    if adapt:
        config = AdaptConfig(epochs=1, rank=2, batch_size=4, max_rows=None, max_tokens=16)
        report = train_adapted(data, tmp_path, tiny_encoder_dir, config).report
    else:
        report = train_frozen_heads(data, tmp_path, tiny_encoder_dir)
        assert report["train_accuracy_by_depth"][-1] == 1.0  # six separable texts, fitted to convergence
        assert report["dev_accuracy_by_depth"][-1] == 1.0  # the dev rows are training rows, labelled alike
    assert report["dev_rows"] == 2 and len(report["dev_accuracy_by_depth"]) == 2
