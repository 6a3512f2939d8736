"""Adapting the encoder together with every exit head: LoRA (through peft) on all layer linears plus all heads.

One pass per batch yields the logits of every exit; the loss is a weighted mean of the per-exit cross-entropies
(DeeBERT/PABEE style: all exits trained together). Batches are bucketed by length; everything is seeded.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
from peft import LoraConfig, get_peft_model
from torch import nn
from tqdm import tqdm

from core.errors import InputError
from core.model import (
    CALIBRATION_KEY,
    ExitHeads,
    Variant,
    adapter_linear_names,
    encoder_fingerprint,
    family_of,
    load_encoder,
    pad_token_id,
    round_to_stored_precision,
    save_adapter,
    save_heads,
)
from core.path import ExitPolicy, ModelTemplate, PathSpec, simulate
from core.run import pad_ids, run_layers
from core.training.calibration import calibrate_exits, exit_logits_of
from core.training.data import LabelledTexts
from core.training.device import training_device
from core.training.frozen import accuracy_by_depth, encode_labels, encode_like, layer_features
from core.training.holdout import hold_out_sentences

BUCKET_BATCHES = 50  # batches per length-sorted bucket: similar lengths, still shuffled
HELD_OUT_THRESHOLDS = (0.8, 0.85, 0.9, 0.93, 0.95)  # confidence policies simulated on the held-out sentences
CLASS_WEIGHTINGS = ("none", "balanced", "sqrt")


@dataclass(frozen=True)
class AdaptConfig:
    """Hyper-parameters of an adapted training run (defaults: the bundled model's run)."""

    epochs: int = 2
    rank: int = 8
    alpha: float = 16.0  # LoRA scale is alpha / rank
    lr: float = 5e-4  # AdamW, linear warm-up over the first 6 % of steps, then linear decay to 0
    weight_decay: float = 0.01
    batch_size: int = 64
    max_rows: int | None = 20_000  # random subset of the training rows (seeded); None: all rows
    max_tokens: int = 64  # training truncation; SST-2 sentences are short
    loss_weights: tuple[float, ...] | None = None  # per exit, shallow to deep; None: equal
    hold_out_sentences: int = 0  # complete sentences kept out of training with their phrases, to calibrate on
    distill: float = 0.0  # weight of the last exit's soft outputs in the earlier exits' losses; 0: labels only
    class_weights: str = "none"  # cross-entropy weight per label: none, balanced (1 / frequency) or sqrt (its root)
    seed: int = 0
    device: str = "cpu"  # where the encoder and heads train: cpu, cuda or auto (`core.training.device`)


@dataclass(frozen=True)
class AdaptResult:
    """The written artifact's report and the mean training loss of each epoch."""

    report: dict[str, Any]
    loss_by_epoch: tuple[float, ...]


def trained_rows(texts: Sequence[str], config: AdaptConfig) -> list[int]:
    """The rows of `texts` a run with `config` trains on: all but the held-out sentences and their phrases (see
    `core.training.holdout`), then a seeded subset of `config.max_rows` of those."""
    return _split(texts, config)[0]


def _split(texts: Sequence[str], config: AdaptConfig) -> tuple[list[int], list[int]]:
    """(rows trained on, held-out complete sentences) of a run with `config`."""
    rows, sentences = list(range(len(texts))), []
    if config.hold_out_sentences:
        try:
            holdout = hold_out_sentences(texts, config.hold_out_sentences, config.seed)
        except ValueError as exc:
            raise InputError(f"--hold-out-sentences: {exc}; give fewer") from None
        rows, sentences = holdout.train_rows, holdout.sentence_rows
    if config.max_rows is None or config.max_rows >= len(rows):
        return rows, sentences
    keep = torch.randperm(len(rows), generator=torch.Generator().manual_seed(config.seed))[: config.max_rows]
    return [rows[i] for i in keep.sort().values.tolist()], sentences


def _batches(lengths: Sequence[int], batch_size: int, generator: torch.Generator) -> list[list[int]]:
    """Shuffled row indices cut into buckets, sorted by length inside each bucket, batched, batches shuffled."""
    order = torch.randperm(len(lengths), generator=generator).tolist()
    bucket = batch_size * BUCKET_BATCHES
    batches: list[list[int]] = []
    for start in range(0, len(order), bucket):
        rows = sorted(order[start : start + bucket], key=lambda i: lengths[i])
        batches.extend(rows[i : i + batch_size] for i in range(0, len(rows), batch_size))
    return [batches[i] for i in torch.randperm(len(batches), generator=generator).tolist()]


def label_weights(labels: torch.Tensor, num_labels: int, weighting: str) -> torch.Tensor | None:
    """(C,) cross-entropy weights for `weighting` ("balanced": N / (C * count), as scikit-learn's; "sqrt": the square
    root of those, a milder lift for rare labels), or None for "none". A label with no training row gets weight 1."""
    if weighting not in CLASS_WEIGHTINGS:
        raise InputError(f"--class-weights {weighting!r} is not known: give one of {', '.join(CLASS_WEIGHTINGS)}")
    if weighting == "none":
        return None
    counts = torch.bincount(labels, minlength=num_labels).float()
    weights = torch.where(counts > 0, labels.numel() / (num_labels * counts.clamp(min=1)), torch.ones(num_labels))
    return weights.sqrt() if weighting == "sqrt" else weights


def _schedule(total_steps: int) -> Any:
    warmup = max(1, int(0.06 * total_steps))
    return lambda step: min((step + 1) / warmup, max(0.0, (total_steps - step) / max(1, total_steps - warmup)))


def _lora_factors(encoder: nn.Module, targets: Sequence[str]) -> dict[str, torch.Tensor]:
    """{NAME.lora_A: (r, in), NAME.lora_B: (out, r)} read from peft's LoRA layers."""
    modules = dict(encoder.named_modules())
    factors: dict[str, torch.Tensor] = {}
    for name in targets:
        factors[f"{name}.lora_A"] = modules[name].lora_A["default"].weight
        factors[f"{name}.lora_B"] = modules[name].lora_B["default"].weight
    return factors


def train_adapted(
    data: LabelledTexts, out_dir: Path, model_dir: str | Path | None = None, config: AdaptConfig | None = None
) -> AdaptResult:
    """Train a LoRA adapter and all exit heads, evaluate per depth on `data.dev`, write the artifact to `out_dir`."""
    texts, dev, source = data.texts, data.dev, data.source
    config = config or AdaptConfig()
    if not 0 <= config.distill <= 1:
        raise InputError(f"--distill {config.distill} is not a weight: give a number from 0 (labels only) to 1")
    device = training_device(config.device)
    torch.manual_seed(config.seed)
    _, encoder, tokenizer, model_dir = load_encoder(model_dir)
    refusal = family_of(encoder.config).refusal("lora")
    if refusal is not None:
        raise InputError(refusal)
    base_fingerprint = encoder_fingerprint(encoder)
    all_labels, names = encode_labels(data.label_values, data.label_names)
    rows, held_out = _split(texts, config)
    train_texts, labels = [texts[i] for i in rows], all_labels[rows]
    num_layers = int(encoder.config.num_hidden_layers)
    weights = torch.tensor(config.loss_weights or [1.0] * num_layers)
    if len(weights) != num_layers:
        raise InputError(f"{len(weights)} loss weights given for {num_layers} exits: give one per layer")
    class_weights = label_weights(labels, len(names), config.class_weights)
    variant, targets = _adapted_variant(encoder, len(names), config, device)
    labels, weights = labels.to(device), weights.to(device)
    class_weights = class_weights.to(device) if class_weights is not None else None
    ids = tokenizer(train_texts, truncation=True, max_length=config.max_tokens)["input_ids"]
    dev_labels = encode_like(dev[1], data.label_values) if dev is not None else None  # before any training
    loss_by_epoch: list[float] = []
    dev_by_epoch: list[list[float]] = []
    started = time.perf_counter()
    for loss in _train(variant, ids, labels, weights, class_weights, pad_token_id(tokenizer), config):
        loss_by_epoch.append(loss)
        if dev is not None and dev_labels is not None:
            dev_by_epoch.append(_accuracy(variant, tokenizer, dev[0], dev_labels))
    round_to_stored_precision(_lora_factors(encoder, targets))
    if dev is not None and dev_labels is not None:  # the last epoch's figures, again on the weights as stored
        dev_by_epoch[-1] = _accuracy(variant, tokenizer, dev[0], dev_labels)
    report: dict[str, Any] = {
        "method": f"LoRA (peft, rank {config.rank}) on every layer linear + all exit heads, weighted exit losses",
        "train_data": source,
        "train_rows": len(train_texts),
        "steps": -(-len(ids) // config.batch_size) * config.epochs,
        "train_seconds": round(time.perf_counter() - started, 1),
        "train_loss_by_epoch": loss_by_epoch,
        "config": {**asdict(config), "loss_weights": weights.tolist()},
        **(
            {"class_weights": dict(zip(names, class_weights.tolist(), strict=True))}
            if class_weights is not None
            else {}
        ),
        "seed": config.seed,
        "device": device.type,
    }
    if dev is not None:
        report.update(dev_rows=len(dev[0]), dev_accuracy_by_epoch=dev_by_epoch, dev_accuracy_by_depth=dev_by_epoch[-1])
    sentences = [texts[i] for i in held_out]
    assert variant.exit_heads is not None, "adapted training always has exit heads"
    variant.exit_heads.cpu()  # features are on the CPU: temperatures are fitted there, and the artifact written
    calibration = _calibrate(variant, tokenizer, sentences, all_labels[held_out], source) if held_out else {}
    meta = {
        "name": f"{model_dir.name}+lora+heads",
        "labels": names,
        "encoder_fingerprint": base_fingerprint,
        "adapter": {"method": "lora", "rank": config.rank, "alpha": config.alpha, "target_modules": targets},
        "report": report,
        **({CALIBRATION_KEY: calibration} if calibration else {}),
    }
    save_adapter(_lora_factors(encoder, targets), out_dir)
    save_heads(variant.exit_heads, out_dir, meta)
    return AdaptResult(report, tuple(loss_by_epoch))


def _adapted_variant(
    encoder: nn.Module, num_labels: int, config: AdaptConfig, device: torch.device
) -> tuple[Variant, list[str]]:
    """LoRA injected into every layer linear of `encoder` (in place, its own weights frozen) and fresh exit heads,
    all moved to `device` (after the heads are initialised, so that a seed gives the same start on every device)."""
    num_layers, hidden = int(encoder.config.num_hidden_layers), int(encoder.config.hidden_size)
    targets = adapter_linear_names(
        encoder, Variant(encoder, None, None, torch.device("cpu"), torch.float32, "fp32").layers
    )
    lora = LoraConfig(r=config.rank, lora_alpha=config.alpha, target_modules=targets, lora_dropout=0.0, bias="none")
    get_peft_model(encoder, lora)  # injects LoRA layers into `encoder` in place and freezes its own weights
    heads = ExitHeads(num_layers, hidden, num_labels)
    return Variant(encoder.to(device), heads.to(device), None, device, torch.float32, "fp32"), targets


def _train(
    variant: Variant,
    ids: list[list[int]],
    labels: torch.Tensor,
    weights: torch.Tensor,
    class_weights: torch.Tensor | None,
    pad: int,
    config: AdaptConfig,
) -> Iterator[float]:
    """Train the adapter and heads for `config.epochs` epochs; yields each epoch's mean training loss."""
    encoder, num_layers = variant.encoder, len(variant.layers)
    assert variant.exit_heads is not None, "adapted training always has exit heads"
    spec = PathSpec.full(ModelTemplate(num_layers, int(encoder.config.num_attention_heads), ()))
    trainable = [p for p in encoder.parameters() if p.requires_grad] + list(variant.exit_heads.parameters())
    optimizer = torch.optim.AdamW(trainable, lr=config.lr, weight_decay=config.weight_decay)
    generator = torch.Generator().manual_seed(config.seed)
    steps_per_epoch = -(-len(ids) // config.batch_size)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, _schedule(steps_per_epoch * config.epochs))
    for epoch in range(config.epochs):
        encoder.train()
        total = 0.0
        progress = tqdm(_batches([len(x) for x in ids], config.batch_size, generator), desc=f"epoch {epoch + 1}")
        for rows in progress:
            batch = pad_ids([ids[i] for i in rows], pad, variant.device)  # ids are cut at max_tokens already
            logits = run_layers(variant, batch, spec, exits=range(num_layers))  # {exit: (B, C)}
            losses = exit_losses(logits, labels[rows], config.distill, class_weights)
            loss = (losses * weights).sum() / weights.sum()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
            total += loss.item() * len(rows)
            progress.set_postfix(loss=f"{loss.item():.3f}")
        yield round(total / len(ids), 4)


def _calibrate(
    variant: Variant, tokenizer: Any, sentences: Sequence[str], labels: torch.Tensor, source: str
) -> dict[str, Any]:
    """Per-exit temperatures fitted on the held-out sentences, and what the adapted exits do on them."""
    variant.encoder.eval()
    assert variant.exit_heads is not None, "adapted training always has exit heads"
    features = layer_features(variant, tokenizer, sentences, desc="held-out sentences")
    calibration = calibrate_exits(variant.exit_heads, features, labels, source)
    logits = exit_logits_of(variant.exit_heads, features) / variant.exit_heads.temperature[:, None, None]
    calibration["accuracy_by_depth"] = accuracy_by_depth(variant.exit_heads, features, labels)
    calibration["policies"] = [_simulated(threshold, logits, labels) for threshold in HELD_OUT_THRESHOLDS]
    return {"held_out": "complete sentences and all their phrases, kept out of training", **calibration}


def _simulated(threshold: float, logits: torch.Tensor, labels: torch.Tensor) -> dict[str, Any]:
    """Accuracy and mean layers run of `exit=confidence>=threshold` on calibrated (L, N, C) exit logits."""
    chosen, _ = simulate(ExitPolicy("confidence", threshold=threshold), logits)
    predicted = logits[chosen, torch.arange(labels.shape[0])].argmax(-1)
    return {
        "policy": f"exit=confidence>={threshold:g}",
        "accuracy": round(float((predicted == labels).float().mean()), 4),
        "mean_layers_run": round(float((chosen + 1).float().mean()), 3),
    }


def exit_losses(
    logits: dict[int, torch.Tensor], target: torch.Tensor, distill: float, class_weights: torch.Tensor | None = None
) -> torch.Tensor:
    """(L,) per-exit losses: cross-entropy on the labels (weighted per label by `class_weights`, a weighted mean as
    in `torch.nn.functional.cross_entropy`); for every exit but the last, mixed with weight `distill` with the
    cross-entropy on the last exit's (detached) probabilities (self-distillation, as in FastBERT)."""
    last = max(logits)
    teacher = logits[last].detach().softmax(-1)
    losses = []
    for position in sorted(logits):
        hard = nn.functional.cross_entropy(logits[position], target, weight=class_weights)
        if position == last or not distill:
            losses.append(hard)
        else:
            soft = -(teacher * logits[position].log_softmax(-1)).sum(-1).mean()
            losses.append((1 - distill) * hard + distill * soft)
    return torch.stack(losses)


def _accuracy(variant: Variant, tokenizer: Any, texts: Sequence[str], labels: torch.Tensor) -> list[float]:
    """Accuracy of every exit on dev `texts` and their (N,) label indices, with the adapter applied, dropout off."""
    variant.encoder.eval()
    assert variant.exit_heads is not None, "adapted training always has exit heads"
    features = layer_features(variant, tokenizer, texts, desc="dev")
    return accuracy_by_depth(variant.exit_heads, features, labels)
