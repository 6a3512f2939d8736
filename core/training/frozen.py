"""Training exit heads on a frozen encoder, and measuring accuracy at every depth.

Features: the mean-pooled hidden states of every layer, all from one pass per batch. Heads: one L2-regularised
logistic regression per layer, fitted full-batch with L-BFGS (deterministic for a fixed seed).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
from torch import nn
from tqdm import tqdm

from core.errors import InputError
from core.model import (
    DEFAULT_WINDOW,
    ExitHeads,
    Variant,
    encoder_fingerprint,
    load_encoder,
    mean_pool,
    pad_token_id,
    save_heads,
)
from core.path import ModelTemplate, PathSpec
from core.run import run_token_lists
from core.training.data import LabelledTexts
from core.training.device import training_device

L2 = 1e-3
MAX_ITER = 300


def _pooled(variant: Variant, layer: int, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    return mean_pool(*variant.exit_inputs(hidden, mask))  # as the family's exit heads pool


def layer_features(
    variant: Variant, tokenizer: Any, texts: Sequence[str], batch_size: int = 64, desc: str = "features"
) -> torch.Tensor:
    """(N, L, D) mean-pooled hidden states of every layer; batches are formed by length, order is kept."""
    num_layers = len(variant.layers)
    template = ModelTemplate(num_layers, int(variant.encoder.config.num_attention_heads), ())
    depths = [PathSpec.full(template).replace(layers=tuple(range(depth))) for depth in range(1, num_layers + 1)]
    ids = tokenizer(list(texts), add_special_tokens=True, truncation=False)["input_ids"]
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    out = torch.empty(len(ids), num_layers, int(variant.encoder.config.hidden_size))
    pad = pad_token_id(tokenizer)
    for start in tqdm(range(0, len(order), batch_size), desc=desc, unit="batch"):
        rows = order[start : start + batch_size]
        run = run_token_lists(  # one pass for all depths; training reads the first window of a long text
            variant, depths, [ids[i] for i in rows], DEFAULT_WINDOW, pad, first_window_only=True, readout=_pooled
        )
        out[rows] = torch.stack(run.outputs, dim=1)  # (B, L, D)
    return out


def fit_heads(features: torch.Tensor, labels: torch.Tensor, num_labels: int, seed: int = 0) -> ExitHeads:
    """One logistic regression per layer on (N, L, D) features and (N,) integer labels."""
    torch.manual_seed(seed)
    num_layers, hidden = features.shape[1], features.shape[2]
    heads = ExitHeads(num_layers, hidden, num_labels)
    for layer in tqdm(range(num_layers), desc="heads", unit="layer"):
        x = features[:, layer]
        weight = torch.zeros(num_labels, hidden, requires_grad=True)
        bias = torch.zeros(num_labels, requires_grad=True)
        optimizer = torch.optim.LBFGS([weight, bias], max_iter=MAX_ITER, line_search_fn="strong_wolfe")

        def closure(
            x: torch.Tensor = x,
            weight: torch.Tensor = weight,
            bias: torch.Tensor = bias,
            optimizer: torch.optim.LBFGS = optimizer,
        ) -> torch.Tensor:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(x @ weight.T + bias, labels) + L2 * weight.pow(2).sum()
            loss.backward()
            return loss

        optimizer.step(closure)
        with torch.no_grad():
            heads.weight[layer] = weight
            heads.bias[layer] = bias
    return heads.eval()


def accuracy_by_depth(heads: ExitHeads, features: torch.Tensor, labels: torch.Tensor) -> list[float]:
    """Accuracy of each layer's head on precomputed (N, L, D) features (on the features' device: heads that are
    being trained on a GPU are read on the CPU's features)."""
    weight, bias = heads.weight.to(features.device), heads.bias.to(features.device)
    with torch.no_grad():
        logits = torch.einsum("nld,lcd->nlc", features, weight) + bias  # (N, L, C)
    return [round(float((logits[:, layer].argmax(-1) == labels).float().mean()), 4) for layer in range(logits.shape[1])]


def encode_labels(values: Sequence[Any], label_names: Sequence[str] | None) -> tuple[torch.Tensor, list[str]]:
    """Map label values to indices; `label_names` name the sorted distinct values (e.g. 0,1 -> negative,positive)."""
    distinct = sorted({str(v) for v in values})
    names = list(label_names) if label_names else distinct
    if len(names) != len(distinct):
        raise ValueError(f"{len(names)} label names given for {len(distinct)} label values {distinct}")
    index = {value: i for i, value in enumerate(distinct)}
    return torch.tensor([index[str(v)] for v in values]), names


def encode_like(values: Sequence[Any], reference: Sequence[Any]) -> torch.Tensor:
    """Indices of `values` among the sorted distinct `reference` values (the training table's labels, as
    `encode_labels` numbers them): a dev table may lack labels; one the training table never had is refused."""
    index = {value: i for i, value in enumerate(sorted({str(v) for v in reference}))}
    unknown = sorted({str(v) for v in values} - index.keys())
    if unknown:
        raise InputError(
            f"--dev has labels the training table does not ({', '.join(map(repr, unknown[:5]))}): "
            "evaluate on a table labelled like the training table"
        )
    return torch.tensor([index[str(v)] for v in values])


def train_frozen_heads(
    data: LabelledTexts, out_dir: Path, model_dir: str | Path | None = None, seed: int = 0, device: str = "cpu"
) -> dict[str, Any]:
    """Train heads on the frozen encoder (its features computed on `device`; the heads are fitted on the CPU),
    evaluate on `data.dev` if given, write the artifact; return its report."""
    texts, dev = data.texts, data.dev
    on = training_device(device)
    _, encoder, tokenizer, model_dir = load_encoder(model_dir)
    fingerprint = encoder_fingerprint(encoder)
    variant = Variant(encoder.to(on), None, None, on, torch.float32, "fp32")
    labels, names = encode_labels(data.label_values, data.label_names)
    features = layer_features(variant, tokenizer, texts, desc="train features")
    heads = fit_heads(features, labels, len(names), seed)
    report: dict[str, Any] = {
        "method": f"frozen encoder, logistic head per layer (L-BFGS, L2={L2:g})",
        "train_data": data.source,
        "train_rows": len(texts),
        "seed": seed,
        "device": on.type,
        "train_accuracy_by_depth": accuracy_by_depth(heads, features, labels),
    }
    if dev is not None:
        dev_labels = encode_like(dev[1], data.label_values)
        dev_features = layer_features(variant, tokenizer, dev[0], desc="dev features")
        report["dev_accuracy_by_depth"] = accuracy_by_depth(heads, dev_features, dev_labels)
        report["dev_rows"] = len(dev[0])
    meta = {
        "name": f"{model_dir.name}+heads",
        "labels": names,
        "encoder_fingerprint": fingerprint,
        "report": report,
    }
    save_heads(heads, out_dir, meta)
    return report
