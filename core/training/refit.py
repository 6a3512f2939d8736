"""Refitting an artifact's early exit heads on rows it was not trained on, and calibrating every exit (issue 13).

The encoder, its adapter and the last exit head stay as they are, so the full path decides exactly as before.
Exits 0..L-2 are refit on the frozen (adapted) features of held-out phrases: one L2-regularised logistic regression
per exit, fitted to convergence with L-BFGS from zero (deterministic), on the labels and, with `distill > 0`, on
the last exit's soft outputs too (self-distillation, as in DeeBERT/FastBERT). Then each exit gets a temperature
fitted on held-out complete sentences (`core.training.calibration`), so that a confidence threshold reads as a
calibrated probability. Why both, and the measurements behind the defaults: README, "Exit policies".
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn
from tqdm import tqdm

from core.errors import InputError
from core.model import ADAPTER_FILE, CALIBRATION_KEY, ExitHeads, load_model, save_heads
from core.training.adapted import AdaptConfig, trained_rows
from core.training.calibration import calibrate_exits, exit_logits_of
from core.training.device import training_device
from core.training.frozen import accuracy_by_depth, encode_labels, layer_features
from core.training.holdout import complete_sentence_rows

MAX_ITER = 300


@dataclass(frozen=True)
class RefitConfig:
    """Hyper-parameters of a refit (defaults: the shipped artifact's, chosen on held-out train rows)."""

    distill: float = 0.0  # weight of the last exit's soft targets in the early heads' loss; 0: labels only
    l2: float = 1e-3  # L2 penalty on the early heads' weights
    seed: int = 0  # the split of held-out rows when the table has no phrases (see `split_rows`)
    device: str = "cpu"  # where the held-out features are computed (`core.training.device`); heads fit on the CPU


def untrained_rows(texts: Sequence[str], report: dict[str, Any], source: str) -> list[int]:
    """Rows of the table `texts`, named `source`, that the artifact's training did not read.

    An adapted artifact trained on a file with the same name read exactly the rows `trained_rows` gives for its
    recorded configuration (a seeded `--max-rows` subset, less any held-out sentences); every other row is held out.
    Heads trained on another table never read this one; heads trained on this table without a recorded
    configuration (frozen training) read all of it.
    """
    if report.get("train_data") != source:
        return list(range(len(texts)))
    recorded = report.get("config")
    if not recorded:
        return []
    config = AdaptConfig(
        max_rows=recorded.get("max_rows"),
        hold_out_sentences=int(recorded.get("hold_out_sentences", 0)),
        seed=int(recorded.get("seed", 0)),
    )
    trained = set(trained_rows(texts, config))
    return [row for row in range(len(texts)) if row not in trained]


def complete_sentences(texts: Sequence[str], rows: Sequence[int]) -> list[bool]:
    """For each of `rows`: whether its text is contained in no other text of the table (word-aligned).

    SST-2's training file lists every phrase of every parse tree as its own row, while dev and test hold whole
    sentences; calibrating on the phrases would fit the wrong distribution.
    """
    whole = set(complete_sentence_rows(texts))
    return [row in whole for row in rows]


def split_rows(texts: Sequence[str], rows: Sequence[int], seed: int) -> tuple[list[int], list[int]]:
    """(rows to fit the early heads on, rows to fit temperatures on): phrases and complete sentences if the table
    has both, else a seeded half-and-half split."""
    whole = complete_sentences(texts, rows)
    phrases = [row for row, is_whole in zip(rows, whole, strict=True) if not is_whole]
    sentences = [row for row, is_whole in zip(rows, whole, strict=True) if is_whole]
    if phrases and sentences:
        return phrases, sentences
    order = torch.randperm(len(rows), generator=torch.Generator().manual_seed(seed)).tolist()
    half = len(rows) // 2
    return [rows[i] for i in sorted(order[:half])], [rows[i] for i in sorted(order[half:])]


def fit_early_heads(heads: ExitHeads, features: torch.Tensor, labels: torch.Tensor, config: RefitConfig) -> ExitHeads:
    """A copy of `heads` whose exits 0..L-2 are refit on (N, L, D) features; the last exit is kept."""
    teacher = exit_logits_of(heads, features)[-1].softmax(-1)  # (N, C): the full path's probabilities
    refit = ExitHeads(*heads.weight.shape[:1], heads.weight.shape[2], heads.weight.shape[1])
    with torch.no_grad():
        refit.weight[-1], refit.bias[-1] = heads.weight[-1], heads.bias[-1]
    for layer in tqdm(range(heads.weight.shape[0] - 1), desc="heads", unit="exit"):
        weight, bias = _fit_one(features[:, layer], labels, teacher, config)
        with torch.no_grad():
            refit.weight[layer], refit.bias[layer] = weight, bias
    return refit.eval()


def _fit_one(
    x: torch.Tensor, labels: torch.Tensor, teacher: torch.Tensor, config: RefitConfig
) -> tuple[torch.Tensor, torch.Tensor]:
    """One exit: minimise (1 − d)·CE(labels) + d·CE(teacher's soft targets) + l2·|W|² with L-BFGS from zero."""
    weight = torch.zeros(teacher.shape[1], x.shape[1], requires_grad=True)
    bias = torch.zeros(teacher.shape[1], requires_grad=True)
    optimizer = torch.optim.LBFGS([weight, bias], max_iter=MAX_ITER, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        log_probs = (x @ weight.T + bias).log_softmax(-1)
        hard = nn.functional.nll_loss(log_probs, labels)
        soft = -(teacher * log_probs).sum(-1).mean()
        loss = (1 - config.distill) * hard + config.distill * soft + config.l2 * weight.pow(2).sum()
        loss.backward()
        return loss

    optimizer.step(closure)
    return weight.detach(), bias.detach()


def refit_heads(
    texts: Sequence[str],
    label_values: Sequence[Any],
    artifact_dir: Path,
    out_dir: Path,
    model_dir: str | Path | None = None,
    dev: tuple[Sequence[str], Sequence[Any]] | None = None,
    config: RefitConfig | None = None,
    source: str = "",
) -> dict[str, Any]:
    """Refit the early heads and calibrate every exit of `artifact_dir` on its held-out rows; write `out_dir`."""
    config = config or RefitConfig()
    if not 0 <= config.distill <= 1:
        raise InputError(f"--distill {config.distill} is not a weight: give a number from 0 (labels only) to 1")
    device = training_device(config.device)
    model = load_model(model_dir, artifact_dir)
    if model.base.exit_heads is None or model.num_layers < 2:
        raise InputError(f"{artifact_dir} has no exit heads to refit: train them with `train-heads` first")
    meta = model.heads_meta
    labels, _ = encode_labels(label_values, meta.get("labels"))
    report = meta.get("report") or {}
    if report.get("train_data") == source and (report.get("config") or {}).get("hold_out_sentences"):
        raise InputError(
            f"{artifact_dir} held out sentences of {source} and is calibrated on them; a refit on that table would "
            "fit the early heads on those sentences' phrases and judge them on the sentences: refit on another "
            "labelled table, or retrain with `--adapt lora --hold-out-sentences N`"
        )
    held_out = untrained_rows(texts, report, source)
    if len(held_out) < 2:
        raise InputError(
            f"every row of {source or 'the input'} was used to train {artifact_dir}: refit on rows it was not "
            "trained on (the file an adapted artifact drew a --max-rows subset from, or another labelled table)"
        )
    fit_rows, calibration_rows = split_rows(texts, held_out, config.seed)
    variant = model.variant(device.type, "fp32")  # the base itself on the CPU
    features = layer_features(variant, model.tokenizer, [texts[i] for i in held_out], desc="held-out features")
    position = {row: i for i, row in enumerate(held_out)}
    fit_x, cal_x = (features[[position[r] for r in rows]] for rows in (fit_rows, calibration_rows))
    heads = fit_early_heads(model.base.exit_heads, fit_x, labels[fit_rows], config)
    calibration = calibrate_exits(heads, cal_x, labels[calibration_rows], source)
    refit = {**asdict(config), "exits_refit": list(range(model.num_layers - 1)), "rows": len(fit_rows), "data": source}
    report = {**(meta.get("report") or {}), "refit": refit}
    if dev is not None:
        dev_labels, _ = encode_labels(dev[1], meta.get("labels"))
        dev_x = layer_features(variant, model.tokenizer, dev[0], desc="dev features")
        report.update(dev_rows=len(dev[0]), dev_accuracy_by_depth=accuracy_by_depth(heads, dev_x, dev_labels))
    _write(artifact_dir, out_dir, heads, {**meta, "report": report, CALIBRATION_KEY: calibration})
    return {"refit": refit, "calibration": calibration, "dev_accuracy_by_depth": report.get("dev_accuracy_by_depth")}


def _write(artifact_dir: Path, out_dir: Path, heads: ExitHeads, meta: dict[str, Any]) -> None:
    """The new heads and metadata; the source artifact's adapter (if any) copied beside them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    adapter = artifact_dir / ADAPTER_FILE
    if adapter.is_file() and adapter.resolve() != (out_dir / ADAPTER_FILE).resolve():
        shutil.copyfile(adapter, out_dir / ADAPTER_FILE)
    save_heads(heads, out_dir, meta)
