"""The attribution methods: a registry of thin wrappers over Captum, each scoring the content tokens of one window.

Every method attributes the probability of the target label computed by `core.executor.path_logits` on the
path (skipped layers skipped, off heads off, the withheld text as input). Captum hooks a per-call module in
front of the shared word-embedding table, never the shared model, so concurrent decisions are unaffected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from captum.attr import LayerGradientXActivation, LayerIntegratedGradients, Occlusion
from torch import nn

from core.executor import Batch, path_logits
from core.explain.attention_maps import LayerMaps, capture_attention
from core.model import Variant
from core.paths import PathSpec

TOKENS_PER_STEP_BATCH = 2048  # interpolation steps (IG) or perturbations (occlusion) run together: bounded memory


class WordLookup(nn.Module):
    """(B, T) ids -> (B, T, E) word embeddings through the shared table; the module Captum's layer methods hook."""

    def __init__(self, table: nn.Module) -> None:
        super().__init__()
        self.table = table

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        return self.table(input_ids)


class PathForward:
    """(input_ids (B, T), attention_mask (B, T)) -> (B, C) label probabilities along the path."""

    def __init__(self, variant: Variant, spec: PathSpec, marks: torch.Tensor | None = None) -> None:
        self.variant = variant
        self.spec = spec
        self.marks = marks  # (1, T) programmed-attention marks of the window (core.attention_program), or None
        self.lookup = WordLookup(variant.word_embeddings)

    def __call__(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        batch = Batch(input_ids, attention_mask, self.lookup(input_ids), self.marks)
        return torch.softmax(path_logits(self.variant, batch, self.spec).float(), dim=-1)


@dataclass(frozen=True)
class WindowInput:
    """One window to explain: ids and mask (1, T), the [PAD] baseline keeping the specials (1, T), the target."""

    forward: PathForward
    input_ids: torch.Tensor
    attention_mask: torch.Tensor
    baseline_ids: torch.Tensor
    target: int
    n_steps: int

    @property
    def steps_per_batch(self) -> int:
        return max(1, TOKENS_PER_STEP_BATCH // self.input_ids.shape[1])


@dataclass(frozen=True)
class WindowScores:
    """Scores of a window's content tokens (T - 2,); IG adds its convergence delta and f(x) - f(baseline)."""

    scores: np.ndarray
    delta: float | None = None
    gap: float | None = None
    maps: tuple[LayerMaps, ...] = ()


def integrated_gradients(window: WindowInput) -> WindowScores:
    """Layer IG over the word embeddings, [PAD] baseline, Gauss-Legendre steps batched to bound memory."""
    ig = LayerIntegratedGradients(window.forward, window.forward.lookup)
    attributions, delta = ig.attribute(
        window.input_ids,
        baselines=window.baseline_ids,
        target=window.target,
        additional_forward_args=(window.attention_mask,),
        n_steps=window.n_steps,
        internal_batch_size=min(window.n_steps, window.steps_per_batch),
        return_convergence_delta=True,
    )  # (1, T, E), (1,)
    per_token = attributions.sum(-1)[0].detach().float()  # (T,)
    delta_value = float(delta[0])
    return WindowScores(_content(per_token), delta_value, float(per_token.sum()) - delta_value)


def gradient_x_input(window: WindowInput) -> WindowScores:
    """Gradient × word embedding, summed over the embedding dimensions."""
    gxi = LayerGradientXActivation(window.forward, window.forward.lookup)
    attributions = gxi.attribute(
        window.input_ids, target=window.target, additional_forward_args=(window.attention_mask,)
    )  # (1, T, E)
    return WindowScores(_content(attributions.sum(-1)[0].detach().float()))


def saliency(window: WindowInput) -> WindowScores:
    """L2 norm of the gradient at each token's word embedding (never negative)."""
    gradient = LayerGradientXActivation(window.forward, window.forward.lookup, multiply_by_inputs=False)
    attributions = gradient.attribute(
        window.input_ids, target=window.target, additional_forward_args=(window.attention_mask,)
    )  # (1, T, E)
    return WindowScores(_content(attributions.norm(dim=-1)[0].detach().float()))


def occlusion(window: WindowInput) -> WindowScores:
    """Drop in the target probability when one token is replaced by [PAD], perturbations batched."""
    with torch.no_grad():
        attributions = Occlusion(window.forward).attribute(
            window.input_ids,
            sliding_window_shapes=(1,),
            baselines=window.baseline_ids,
            target=window.target,
            additional_forward_args=(window.attention_mask,),
            perturbations_per_eval=window.steps_per_batch,
        )  # (1, T)
    return WindowScores(_content(attributions[0].float()))


def attention(window: WindowInput) -> WindowScores:
    """Attention rollout over the executed layers; the maps of the heads that ran come with it."""
    forward = window.forward
    with torch.no_grad():
        maps, rollout = capture_attention(
            forward.variant, forward.spec, window.input_ids, window.attention_mask, forward.marks
        )
    return WindowScores(_content(torch.from_numpy(rollout)), maps=maps)


def _content(per_token: torch.Tensor) -> np.ndarray:
    """Drop the first and last (special) tokens: (T,) -> (T - 2,)."""
    return per_token[1:-1].cpu().numpy().astype(np.float64)


Method = Callable[[WindowInput], WindowScores]
METHODS: dict[str, Method] = {
    "ig": integrated_gradients,
    "gxi": gradient_x_input,
    "saliency": saliency,
    "occlusion": occlusion,
    "attention": attention,
}
GRADIENT_METHODS = frozenset({"ig", "gxi", "saliency"})
