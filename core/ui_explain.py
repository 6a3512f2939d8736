"""Explanations for the dashboard along the executed path: token attributions (Captum) and attention maps.

Everything runs through `core.executor` with the decision's own path, so skipped layers stay skipped, off heads stay
off and withheld spans stay replaced. Results are plain numpy / Python data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from captum.attr import LayerGradientXActivation, LayerIntegratedGradients

from core.engine import PathEngine
from core.executor import Batch, path_logits, run_layers
from core.paths import PathSpec

METHODS = {"ig": "Integrated Gradients", "gxi": "Gradient × Input", "saliency": "Saliency (gradient norm)"}
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class TokenAttribution:
    """Per-token scores of one method; `spans` are each token's (start, end) in the original text, or None."""

    method: str
    tokens: tuple[str, ...]
    scores: tuple[float, ...]
    withheld: tuple[str | None, ...]  # the withheld group a token stands for, else None
    spans: tuple[tuple[int, int] | None, ...]
    target: str
    delta: float | None = None


@dataclass(frozen=True)
class AttentionMaps:
    """Attention (T, T) of every head that ran, keyed (layer, head); rollout over the executed layers."""

    tokens: tuple[str, ...]
    maps: dict[tuple[int, int], np.ndarray]
    rollout: np.ndarray
    executed: tuple[int, ...]


def _encode(engine: PathEngine, text: str, spec: PathSpec) -> tuple[Batch, list[str], list, list[str | None]]:
    """Batch of one text, its tokens, their original-text spans and withheld groups."""
    prepared = engine.prepare(text, spec)
    withheld = prepared.withheld
    encoded = engine.model.tokenizer(
        withheld.text, return_offsets_mapping=True, truncation=True, max_length=engine.model.window
    )
    ids, offsets = encoded["input_ids"], encoded["offset_mapping"]
    variant = engine.model.variant(spec.device, spec.precision)
    batch = Batch(torch.tensor([ids], device=variant.device), torch.ones((1, len(ids)), device=variant.device))
    spans, groups = [], []
    for start, end in offsets:
        group = next((g for g, _, _, ns, ne in withheld.replacements if ns <= start and end <= ne), None)
        groups.append(group if end > start else None)
        spans.append(_to_original(start, end, withheld.replacements) if end > start else None)
    return batch, engine.model.tokenizer.convert_ids_to_tokens(ids), spans, groups


def _to_original(start: int, end: int, replacements: tuple) -> tuple[int, int]:
    """Map a span of the withheld text back to the original text (a placeholder maps to its whole span)."""
    for _, orig_start, orig_end, new_start, new_end in replacements:
        if new_start <= start and end <= new_end:
            return orig_start, orig_end
    shift = sum((oe - os) - (ne - ns) for _, os, oe, ns, ne in replacements if ne <= start)
    return start + shift, end + shift


def attribute(engine: PathEngine, text: str, spec: PathSpec, method: str, progress: Progress) -> TokenAttribution:
    """Attribution of the predicted label to each token, along `spec`."""
    variant = engine.model.variant(spec.device, spec.precision)
    batch, tokens, spans, groups = _encode(engine, text, spec)
    with torch.no_grad():
        target = int(path_logits(variant, batch, spec).argmax(-1))
    progress(0.1, f"{METHODS[method]}: running")
    delta = None

    def forward(ids: torch.Tensor) -> torch.Tensor:  # (N, T) ids -> (N, C) logits of the path
        return path_logits(variant, Batch(ids, batch.attention_mask.expand(ids.shape[0], -1)), spec)

    if method == "ig":
        pad = int(engine.model.tokenizer.pad_token_id or 0)
        baseline = batch.input_ids.clone()
        baseline[:, 1:-1] = pad  # keep [CLS] and [SEP]
        ig = LayerIntegratedGradients(forward, variant.embeddings)
        attributions, deltas = ig.attribute(
            batch.input_ids,
            baseline,
            target=target,
            n_steps=50,
            internal_batch_size=25,
            return_convergence_delta=True,
        )
        delta = float(deltas.abs().max())
        scores = attributions.sum(-1)[0]
    else:
        explainer = LayerGradientXActivation(forward, variant.embeddings, multiply_by_inputs=method == "gxi")
        per_dim = explainer.attribute(batch.input_ids, target=target)[0]  # (T, D)
        scores = per_dim.sum(-1) if method == "gxi" else per_dim.norm(dim=-1)
    progress(1.0, f"{METHODS[method]}: done")
    return TokenAttribution(
        method,
        tuple(tokens),
        tuple(float(s) for s in scores.detach().float().cpu()),
        tuple(groups),
        tuple(spans),
        engine.model.labels[target],
        delta,
    )


def attention_maps(engine: PathEngine, text: str, spec: PathSpec) -> AttentionMaps:
    """Capture the attention of every head that ran, and roll it out over the executed layers."""
    variant = engine.model.variant(spec.device, spec.precision)
    batch, tokens, _, _ = _encode(engine, text, spec)
    maps: dict[tuple[int, int], np.ndarray] = {}

    def sink(layer: int, probs: torch.Tensor, heads: torch.Tensor) -> None:
        for index, head in enumerate(heads.tolist()):
            maps[(layer, int(head))] = probs[0, index].float().cpu().numpy()  # (T, T)

    with torch.inference_mode():
        run_layers(variant, batch, spec, attention_sink=sink, kernel="eager")
    size = len(tokens)
    rollout = np.eye(size)
    for layer in spec.layers:
        layer_maps = [m for (lay, _), m in maps.items() if lay == layer]
        mean = np.mean(layer_maps, axis=0) if layer_maps else np.zeros((size, size))
        mixed = 0.5 * mean + 0.5 * np.eye(size)
        rollout = (mixed / mixed.sum(-1, keepdims=True)) @ rollout
    return AttentionMaps(tuple(tokens), maps, rollout, spec.layers)
