"""The attribution methods: a registry of thin wrappers (over Captum, adaptive IG and AttnLRP), each scoring the
content tokens of one window.

Every method attributes the probability of the target label computed by `core.run.executor.path_logits` on the
path (skipped layers skipped, off heads off, the withheld text as input). Captum hooks a per-call module in
front of the shared word-embedding table, never the shared model, so concurrent decisions are unaffected.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from captum.attr import LayerGradientXActivation, LayerIntegratedGradients, Occlusion
from torch import nn

from core.errors import InputError
from core.explain.adaptive_ig import complete
from core.explain.attention_maps import LayerMaps, capture_attention
from core.explain.lrp import lrp_relevance
from core.model import Family, Variant
from core.path import PathSpec
from core.run import Batch, path_logits

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
        self.marks = marks  # (1, T) programmed-attention marks of the window (core.run.program_marks), or None
        self.lookup = WordLookup(variant.word_embeddings)

    def __call__(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.from_embeds(input_ids, attention_mask, self.lookup(input_ids))

    def from_embeds(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, embeds: torch.Tensor) -> torch.Tensor:
        """The same with the word embeddings (B, T, E) given; positions and token types follow the ids."""
        batch = Batch(input_ids, attention_mask, embeds, self.marks)
        return torch.softmax(path_logits(self.variant, batch, self.spec).float(), dim=-1)


DEFAULT_IG_TOLERANCE = 0.05  # |relative delta| adaptive IG stops at
DEFAULT_IG_MAX_STEPS = 65  # adaptive IG's most points (Clenshaw-Curtis levels of 9, 17, 33, 65 points)


@dataclass(frozen=True)
class IGOptions:
    """How IG integrates: `n_steps` fixed Gauss-Legendre steps, or adaptive (None) to `tolerance`."""

    n_steps: int | None = None
    tolerance: float = DEFAULT_IG_TOLERANCE
    max_steps: int = DEFAULT_IG_MAX_STEPS


ADAPTIVE_IG = IGOptions()


@dataclass(frozen=True)
class WindowInput:
    """Windows to explain: ids and mask (B, T), the [PAD] baseline keeping the specials (B, T), the target.

    B > 1 only for the methods in BATCHED_METHODS; the others explain one window (B = 1) at a time.

    IG runs `ig.n_steps` Gauss-Legendre steps, or adaptively (`ig.n_steps` None, over all of a text's windows:
    `core.explain.ig_windows`) until its relative delta is within `ig.tolerance`, with at most `ig.max_steps` points.
    """

    forward: PathForward
    input_ids: torch.Tensor
    attention_mask: torch.Tensor
    baseline_ids: torch.Tensor
    target: int
    ig: IGOptions

    @property
    def steps_per_batch(self) -> int:
        return max(1, TOKENS_PER_STEP_BATCH // self.input_ids.shape[1])


@dataclass(frozen=True)
class WindowScores:
    """Scores of a window's content tokens (T - 2,); IG adds its convergence delta, f(x) - f(baseline), the
    points it evaluated, whether its relative delta is within the tolerance, and what the delta is relative to
    (`scale`; None: |f(x) - f(baseline)|)."""

    scores: np.ndarray
    delta: float | None = None
    gap: float | None = None
    maps: tuple[LayerMaps, ...] = ()
    steps: int | None = None
    within_tolerance: bool | None = None
    scale: float | None = None


def integrated_gradients(window: WindowInput) -> WindowScores:
    """Layer IG over the word embeddings, [PAD] baseline, fixed Gauss-Legendre steps (Captum).

    Adaptive IG (`n_steps` None) runs over all of a text's windows at once: `core.explain.ig_windows`.
    """
    n_steps = window.ig.n_steps
    assert n_steps is not None, "adaptive IG runs through core.explain.ig_windows"
    ig = LayerIntegratedGradients(window.forward, window.forward.lookup)
    attributions, delta = ig.attribute(
        window.input_ids,
        baselines=window.baseline_ids,
        target=window.target,
        additional_forward_args=(window.attention_mask,),
        n_steps=n_steps,
        internal_batch_size=min(n_steps, window.steps_per_batch),
        return_convergence_delta=True,
    )  # (1, T, E), (1,)
    per_token = attributions.sum(-1)[0].detach().float()  # (T,)
    delta_value = float(delta[0])
    gap = float(per_token.sum()) - delta_value
    within = complete(delta_value, gap, window.ig.tolerance)
    return WindowScores(content_scores(per_token), delta_value, gap, steps=n_steps, within_tolerance=within)


def gradient_x_input(window: WindowInput) -> tuple[WindowScores, ...]:
    """Gradient × word embedding, summed over the embedding dimensions; one result per row (window)."""
    gxi = LayerGradientXActivation(window.forward, window.forward.lookup)
    attributions = gxi.attribute(
        window.input_ids, target=window.target, additional_forward_args=(window.attention_mask,)
    )  # (B, T, E)
    return _rows(attributions.sum(-1).detach().float())


def saliency(window: WindowInput) -> tuple[WindowScores, ...]:
    """L2 norm of the gradient at each token's word embedding (never negative); one result per row."""
    gradient = LayerGradientXActivation(window.forward, window.forward.lookup, multiply_by_inputs=False)
    attributions = gradient.attribute(
        window.input_ids, target=window.target, additional_forward_args=(window.attention_mask,)
    )  # (B, T, E)
    return _rows(attributions.norm(dim=-1).detach().float())


def layerwise_relevance(window: WindowInput) -> tuple[WindowScores, ...]:
    """AttnLRP relevance of each token's word embedding: one forward and one backward along the path, per row."""
    forward = window.forward
    with torch.no_grad():
        embeds = forward.lookup(window.input_ids)  # (B, T, E)
    relevance = lrp_relevance(forward.from_embeds, window.input_ids, window.attention_mask, embeds, window.target)
    return _rows(relevance.float())


def _rows(per_token: torch.Tensor) -> tuple[WindowScores, ...]:
    """(B, T) scores of B windows -> each window's content-token scores."""
    return tuple(WindowScores(content_scores(row)) for row in per_token)


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
    return WindowScores(content_scores(attributions[0].float()))


def attention(window: WindowInput) -> WindowScores:
    """Attention rollout over the executed layers; the maps of the heads that ran come with it."""
    forward = window.forward
    with torch.no_grad():
        maps, rollout = capture_attention(
            forward.variant, forward.spec, window.input_ids, window.attention_mask, forward.marks
        )
    return WindowScores(content_scores(torch.from_numpy(rollout)), maps=maps)


def content_scores(per_token: torch.Tensor) -> np.ndarray:
    """Drop the first and last (special) tokens: (T,) -> (T - 2,)."""
    return per_token[1:-1].cpu().numpy().astype(np.float64)


def _one(method: Callable[[WindowInput], WindowScores]) -> Method:
    """A method that explains one window at a time, as a method over rows."""

    def explain_rows(window: WindowInput) -> tuple[WindowScores, ...]:
        assert window.input_ids.shape[0] == 1, "this method explains one window at a time"
        return (method(window),)

    return explain_rows


# (B windows of the same length) -> one result per window, in order
Method = Callable[[WindowInput], tuple[WindowScores, ...]]
METHODS: dict[str, Method] = {
    "ig": _one(integrated_gradients),
    "gxi": gradient_x_input,
    "saliency": saliency,
    "lrp": layerwise_relevance,
    "occlusion": _one(occlusion),
    "attention": _one(attention),
}


def check_family(family: Family, methods: Sequence[str]) -> None:
    """Refuse, in one line, a method whose rules do not hold for the model's family (AttnLRP outside BERT)."""
    for method in methods:
        reason = family.refusal(method)
        if reason is not None:
            raise InputError(reason)


BATCHED_METHODS = frozenset({"gxi", "saliency", "lrp"})  # one forward/backward explains several windows at once
COST_ORDER = ("attention", "gxi", "saliency", "lrp", "occlusion", "ig")  # cheap first: long texts get them soonest
GRADIENT_METHODS = frozenset({"ig", "gxi", "saliency", "lrp"})
