"""Calibrated exits: temperature scaling, refitting the early heads, and artifacts with and without temperatures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch
from conftest import save_tiny_bert_encoder

from core.cli import main
from core.errors import InputError, ModelLoadError
from core.model import BUNDLED_HEADS_DIR, META_FILE, LoadedModel, load_model
from core.run import PathEngine, pad_ids, path_logits
from core.training import LabelledTexts, RefitConfig, refit_heads, train_adapted, train_frozen_heads
from core.training.adapted import AdaptConfig, exit_losses, label_weights, trained_rows
from core.training.calibration import expected_calibration_error, fit_temperature, negative_log_likelihood
from core.training.frozen import layer_features
from core.training.holdout import hold_out_sentences, sub_phrase_rows
from core.training.refit import complete_sentences, fit_early_heads, untrained_rows

GOOD, BAD = ["good", "great", "fine", "lovely", "superb"], ["bad", "awful", "poor", "terrible", "dull"]


def _noisy_table(count: int, seed: int, flip: float = 0.3) -> tuple[list[str], list[int]]:
    """Three-word texts of good or bad words; a share `flip` of the labels is wrong, so no head can be sure."""
    generator = torch.Generator().manual_seed(seed)
    texts, labels = [], []
    for _ in range(count):
        label = int(torch.randint(2, (1,), generator=generator))
        words = GOOD if label else BAD
        texts.append(" ".join(words[int(i)] for i in torch.randint(len(words), (3,), generator=generator)))
        labels.append(label if float(torch.rand(1, generator=generator)) > flip else 1 - label)
    return texts, labels


@pytest.fixture(scope="module")
def tiny_encoder_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_bert_encoder(tmp_path_factory.mktemp("tiny-encoder"), num_layers=3)


@pytest.fixture(scope="module")
def artifacts(tiny_encoder_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(heads fitted to convergence on 8 clean texts: over-confident, the same refit and calibrated on noisy rows)."""
    plain, refit = tmp_path_factory.mktemp("plain"), tmp_path_factory.mktemp("refit")
    clean = ["good great fine", "great lovely", "superb fine good", "lovely great"]
    clean += ["bad awful poor", "awful dull", "poor terrible bad", "terrible dull"]
    names = ["negative", "positive"]
    train_frozen_heads(LabelledTexts(clean, [1] * 4 + [0] * 4, names, source="clean"), plain, tiny_encoder_dir)
    texts, labels = _noisy_table(200, seed=1)
    refit_heads(texts, labels, plain, refit, tiny_encoder_dir, config=RefitConfig(), source="noisy.csv")
    return plain, refit


def _exit_logits(model: LoadedModel, texts: list[str]) -> torch.Tensor:
    """(L, N, C) logits of every fixed depth, through the executor."""
    engine = PathEngine(model)
    outputs = []
    for depth in range(1, model.num_layers + 1):
        spec = engine.parse(f"depth={depth}")
        batch = pad_ids([engine.prepare(t, spec).token_ids for t in texts], model.pad_id, torch.device("cpu"))
        with torch.no_grad():
            outputs.append(path_logits(model.base, batch, spec))
    return torch.stack(outputs)


def test_fit_temperature_recovers_the_temperature_that_made_logits_over_confident() -> None:
    generator = torch.Generator().manual_seed(0)
    true_logits = 2 * torch.randn(8000, 3, generator=generator)
    labels = torch.multinomial(true_logits.softmax(-1), 1, generator=generator).squeeze(1)
    shown = 3 * true_logits  # over-confident by a factor 3
    temperature = fit_temperature(shown[:4000], labels[:4000])
    assert temperature == pytest.approx(3.0, rel=0.1)
    held_out, held_labels = shown[4000:], labels[4000:]
    assert negative_log_likelihood(held_out / temperature, held_labels) < negative_log_likelihood(held_out, held_labels)
    assert expected_calibration_error(held_out / temperature, held_labels) < 0.5 * expected_calibration_error(
        held_out, held_labels
    )
    assert torch.equal((held_out / temperature).argmax(-1), held_out.argmax(-1))


def test_expected_calibration_error_by_hand() -> None:
    probs = torch.tensor([[0.9, 0.1], [0.9, 0.1], [0.4, 0.6], [0.4, 0.6]])
    labels = torch.tensor([0, 1, 1, 1])  # confident pair: 0.9 vs accuracy 0.5; the other: 0.6 vs 1.0
    assert expected_calibration_error(probs.log(), labels, bins=10) == pytest.approx(0.5 * 0.4 + 0.5 * 0.4, abs=1e-6)


def test_calibration_lowers_nll_and_ece_on_rows_it_never_saw(
    tiny_encoder_dir: Path, artifacts: tuple[Path, Path]
) -> None:
    plain, refit = (load_model(tiny_encoder_dir, artifact) for artifact in artifacts)
    assert refit.base.exit_heads is not None
    temperatures = json.loads((artifacts[1] / META_FILE).read_text())["calibration"]["temperatures"]
    torch.testing.assert_close(refit.base.exit_heads.temperature, torch.tensor(temperatures))
    texts, labels = _noisy_table(300, seed=2)  # another draw: not the refit's rows
    gold = torch.tensor(labels)
    last_plain, last_refit = _exit_logits(plain, texts)[-1], _exit_logits(refit, texts)[-1]  # same head, now with T
    assert negative_log_likelihood(last_refit, gold) < negative_log_likelihood(last_plain, gold)
    assert expected_calibration_error(last_refit, gold) < expected_calibration_error(last_plain, gold)


def test_temperature_divides_the_logits_and_keeps_every_argmax(
    tiny_encoder_dir: Path, artifacts: tuple[Path, Path], tmp_path: Path
) -> None:
    uncalibrated = tmp_path / "uncalibrated"
    shutil.copytree(artifacts[1], uncalibrated)
    meta = json.loads((uncalibrated / META_FILE).read_text())
    temperatures = torch.tensor(meta.pop("calibration")["temperatures"])
    (uncalibrated / META_FILE).write_text(json.dumps(meta))  # an artifact as written before temperatures existed
    raw_model, calibrated_model = load_model(tiny_encoder_dir, uncalibrated), load_model(tiny_encoder_dir, artifacts[1])
    assert raw_model.base.exit_heads is not None
    assert torch.equal(raw_model.base.exit_heads.temperature, torch.ones(3))
    texts, _ = _noisy_table(20, seed=3)
    raw, calibrated = _exit_logits(raw_model, texts), _exit_logits(calibrated_model, texts)
    torch.testing.assert_close(calibrated, raw / temperatures[:, None, None], atol=1e-6, rtol=1e-5)
    assert torch.equal(calibrated.argmax(-1), raw.argmax(-1))
    assert raw_model.fingerprint != calibrated_model.fingerprint


def test_refit_keeps_the_last_exit_and_records_what_it_did(
    tiny_encoder_dir: Path, artifacts: tuple[Path, Path]
) -> None:
    plain, refit = (load_model(tiny_encoder_dir, artifact) for artifact in artifacts)
    assert plain.base.exit_heads is not None and refit.base.exit_heads is not None
    assert torch.equal(plain.base.exit_heads.weight[-1], refit.base.exit_heads.weight[-1])
    assert not torch.equal(plain.base.exit_heads.weight[0], refit.base.exit_heads.weight[0])
    meta = refit.heads_meta
    assert meta["report"]["refit"]["exits_refit"] == [0, 1] and meta["report"]["refit"]["data"] == "noisy.csv"
    calibration = meta["calibration"]
    assert calibration["rows"] + meta["report"]["refit"]["rows"] == 200
    before, after = calibration["nll_before"], calibration["nll_after"]
    assert all(a <= b + 1e-4 for b, a in zip(before, after, strict=True))


def test_distillation_makes_early_exits_agree_with_the_last(
    tiny_encoder_dir: Path, artifacts: tuple[Path, Path]
) -> None:
    model = load_model(tiny_encoder_dir, artifacts[0])
    assert model.base.exit_heads is not None
    texts, labels = _noisy_table(200, seed=4)
    features = layer_features(model.base, model.tokenizer, texts)
    with torch.no_grad():
        teacher = (features[:, -1] @ model.base.exit_heads.weight[-1].T + model.base.exit_heads.bias[-1]).softmax(-1)

    def disagreement(distill: float) -> float:
        heads = fit_early_heads(model.base.exit_heads, features, torch.tensor(labels), RefitConfig(distill=distill))
        with torch.no_grad():
            logits = features[:, 0] @ heads.weight[0].T + heads.bias[0]
        return float(-(teacher * logits.log_softmax(-1)).sum(-1).mean())

    assert disagreement(1.0) < disagreement(0.0)


def test_untrained_rows_are_those_the_adapted_training_did_not_draw() -> None:
    texts = [f"text {i}" for i in range(100)]
    trained = {texts[i] for i in trained_rows(texts, AdaptConfig(max_rows=30, seed=3))}  # what `train_adapted` reads
    assert len(trained) == 30
    report = {"train_data": "table.csv", "config": {"max_rows": 30, "seed": 3}}
    held_out = untrained_rows(texts, report, "table.csv")
    assert sorted({texts[i] for i in held_out} | trained) == sorted(texts)
    assert not {texts[i] for i in held_out} & trained
    assert untrained_rows(texts, report, "other.csv") == list(range(100))
    assert untrained_rows(texts, {"train_data": "table.csv"}, "table.csv") == []


def test_untrained_rows_include_held_out_sentences_and_their_phrases() -> None:
    texts = [f"w{i} w{i + 1} w{i + 2}" for i in range(0, 60, 3)] + [f"w{i} w{i + 1}" for i in range(0, 60, 3)]
    config = AdaptConfig(max_rows=None, hold_out_sentences=5, seed=1)
    report = {"train_data": "t.csv", "config": {"max_rows": None, "hold_out_sentences": 5, "seed": 1}}
    held_out = {texts[i] for i in untrained_rows(texts, report, "t.csv")}
    assert len(held_out) == 10  # five sentences and the one phrase of each
    assert held_out.isdisjoint(texts[i] for i in trained_rows(texts, config))


def test_complete_sentences_are_contained_in_no_other_row() -> None:
    texts = ["a good film", "good film", "film", "bad", "a good filmmaker"]
    assert complete_sentences(texts, range(5)) == [True, False, False, True, True]


def test_refit_refuses_what_it_cannot_do(tiny_encoder_dir: Path, artifacts: tuple[Path, Path], tmp_path: Path) -> None:
    with pytest.raises(InputError, match="every row"):
        refit_heads(["good", "bad"], [1, 0], artifacts[0], tmp_path / "x", tiny_encoder_dir, source="clean")
    with pytest.raises(InputError, match="from 0"):
        refit_heads(["good", "bad"], [1, 0], artifacts[0], tmp_path / "x", tiny_encoder_dir, config=RefitConfig(2.0))


def test_malformed_temperatures_are_refused(
    tiny_encoder_dir: Path, artifacts: tuple[Path, Path], tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(artifacts[1], broken)
    meta = json.loads((broken / META_FILE).read_text())
    meta["calibration"]["temperatures"] = [1.0, -2.0, 1.0]
    (broken / META_FILE).write_text(json.dumps(meta))
    with pytest.raises(ModelLoadError, match="3 positive temperatures"):
        load_model(tiny_encoder_dir, broken)


@pytest.mark.parametrize(
    ("extra", "message"),
    [(["--adapt", "lora"], "leave out --adapt"), (["--distill", "2"], "from 0 (labels only) to 1")],
)
def test_cli_refit_refusals_are_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, extra: list[str], message: str
) -> None:
    sample = Path(__file__).parents[2] / "sample_data" / "audit_sample.csv"
    args = ["train-heads", "--refit", str(BUNDLED_HEADS_DIR), "--input", str(sample), "--out", str(tmp_path), *extra]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not any(tmp_path.iterdir()), "nothing is written when the refit is refused"


def test_adapted_training_holds_out_sentences_and_calibrates_on_them(tiny_encoder_dir: Path, tmp_path: Path) -> None:
    sentences, labels = _noisy_table(40, seed=5)
    phrases = [" ".join(text.split()[:2]) for text in sentences]  # each sentence's first two words: its phrase
    texts, values = list(dict.fromkeys(sentences + phrases)), []
    for text in texts:
        values.append(labels[(sentences if text in sentences else phrases).index(text)])
    config = AdaptConfig(epochs=1, rank=2, lr=1e-2, batch_size=8, max_rows=None, max_tokens=16, hold_out_sentences=6)
    data = LabelledTexts(texts, values, ["negative", "positive"], source="t.csv")
    report = train_adapted(data, tmp_path, tiny_encoder_dir, config).report
    trained = trained_rows(texts, config)
    assert report["train_rows"] == len(trained) < len(texts) - 6
    held = hold_out_sentences(texts, 6, config.seed).sentence_rows
    assert set(range(len(texts))) - set(trained) == set(held) | sub_phrase_rows(texts, held)
    calibration = json.loads((tmp_path / META_FILE).read_text())["calibration"]
    assert calibration["rows"] == 6
    with pytest.raises(InputError, match="held out sentences"):
        refit_heads(texts, values, tmp_path, tmp_path / "refit", tiny_encoder_dir, source="t.csv")
    assert len(calibration["temperatures"]) == len(calibration["accuracy_by_depth"]) == 3
    assert [p["policy"] for p in calibration["policies"]][2] == "exit=confidence>=0.9"
    model = load_model(tiny_encoder_dir, tmp_path)
    assert model.base.exit_heads is not None
    assert model.base.exit_heads.temperature.tolist() == pytest.approx(calibration["temperatures"])


def test_self_distillation_mixes_the_last_exits_probabilities_into_the_earlier_losses() -> None:
    generator = torch.Generator().manual_seed(0)
    logits = {position: torch.randn(5, 2, generator=generator) for position in range(3)}
    target = torch.tensor([0, 1, 1, 0, 1])
    hard = torch.stack([torch.nn.functional.cross_entropy(logits[p], target) for p in range(3)])
    teacher = logits[2].softmax(-1)
    soft = torch.stack([-(teacher * logits[p].log_softmax(-1)).sum(-1).mean() for p in range(3)])
    torch.testing.assert_close(exit_losses(logits, target, 0.0), hard)
    torch.testing.assert_close(exit_losses(logits, target, 1.0), torch.cat([soft[:2], hard[2:]]))
    mixed = torch.cat([0.75 * hard[:2] + 0.25 * soft[:2], hard[2:]])
    torch.testing.assert_close(exit_losses(logits, target, 0.25), mixed)
    with pytest.raises(InputError, match="from 0"):
        train_adapted(LabelledTexts(["good", "bad"], [1, 0]), Path("unused"), config=AdaptConfig(distill=1.5))


def test_class_weights_lift_rare_labels_in_every_exits_loss(tiny_encoder_dir: Path, tmp_path: Path) -> None:
    labels = torch.tensor([0, 0, 0, 0, 0, 0, 1, 1, 2])  # label 3 has no row
    balanced = label_weights(labels, 4, "balanced")
    assert balanced is not None and label_weights(labels, 4, "none") is None
    torch.testing.assert_close(balanced, torch.tensor([9 / (4 * 6), 9 / (4 * 2), 9 / (4 * 1), 1.0]))
    torch.testing.assert_close(label_weights(labels, 4, "sqrt"), balanced.sqrt())
    with pytest.raises(InputError, match="balanced"):
        label_weights(labels, 4, "inverse")
    generator = torch.Generator().manual_seed(0)
    logits = {position: torch.randn(9, 4, generator=generator) for position in range(2)}
    each = torch.stack([torch.nn.functional.cross_entropy(logits[p], labels, reduction="none") for p in range(2)])
    row_weights = balanced[labels]
    torch.testing.assert_close(
        exit_losses(logits, labels, 0.0, balanced), (each * row_weights).sum(1) / row_weights.sum()
    )
    assert not torch.allclose(exit_losses(logits, labels, 0.0, balanced), exit_losses(logits, labels, 0.0))
    texts, values = _noisy_table(24, seed=2)
    config = AdaptConfig(epochs=1, rank=2, batch_size=8, max_rows=None, max_tokens=16, class_weights="balanced")
    data = LabelledTexts(texts, values, ["negative", "positive"])
    report = train_adapted(data, tmp_path, tiny_encoder_dir, config).report
    counts = torch.bincount(torch.tensor(values), minlength=2).float()
    expected = (len(values) / (2 * counts)).tolist()
    assert report["class_weights"] == pytest.approx(dict(zip(["negative", "positive"], expected, strict=True)))
    assert report["config"]["class_weights"] == "balanced"
