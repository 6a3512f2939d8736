"""Faithfulness of a token ranking, as in ERASER (DeYoung et al., 2020), and rank agreement between rankings.

Comprehensiveness: how much the target probability drops when the top-k% tokens are removed (higher = the
ranking found what the model used). Sufficiency: how much it drops when only the top-k% are kept (lower = those
tokens suffice). Both are AOPC: the mean over k in 1, 5, 10, 20, 50 %. Removed tokens are deleted from the
token sequence and the shortened text is decided by the same path (over windows, if it is long).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

FRACTIONS = (0.01, 0.05, 0.1, 0.2, 0.5)

# token id lists (specials included) -> (N, C) label probabilities along the path
ProbabilityFn = Callable[[list[list[int]]], np.ndarray]


@dataclass(frozen=True)
class Faithfulness:
    comprehensiveness: float  # AOPC; higher is more faithful
    sufficiency: float  # AOPC; lower is more faithful
    comprehensiveness_by_fraction: tuple[float, ...]
    sufficiency_by_fraction: tuple[float, ...]
    fractions: tuple[float, ...] = FRACTIONS

    def to_json(self) -> dict[str, Any]:
        return {key: (list(value) if isinstance(value, tuple) else value) for key, value in asdict(self).items()}


def faithfulness(
    scores: np.ndarray, token_ids: Sequence[int], target: int, full_probability: float, probabilities: ProbabilityFn
) -> Faithfulness:
    """ERASER figures of `scores` (one per content token of `token_ids`, which has one special at each end)."""
    content = list(token_ids[1:-1])
    if len(scores) != len(content):
        raise ValueError(f"{len(scores)} scores for {len(content)} content tokens")
    order = np.argsort(-np.asarray(scores), kind="stable")
    variants: list[list[int]] = []
    for fraction in FRACTIONS:
        top = set(order[: max(1, math.ceil(fraction * len(content)))].tolist())
        removed = [token for i, token in enumerate(content) if i not in top]
        kept = [token for i, token in enumerate(content) if i in top]
        variants += [[token_ids[0], *removed, token_ids[-1]], [token_ids[0], *kept, token_ids[-1]]]
    target_probs = probabilities(variants)[:, target]  # (2 * len(FRACTIONS),)
    comprehensiveness = tuple(round(full_probability - float(p), 6) for p in target_probs[0::2])
    sufficiency = tuple(round(full_probability - float(p), 6) for p in target_probs[1::2])
    return Faithfulness(
        round(float(np.mean(comprehensiveness)), 6),
        round(float(np.mean(sufficiency)), 6),
        comprehensiveness,
        sufficiency,
    )


def spearman(first: np.ndarray, second: np.ndarray) -> float:
    """Spearman rank correlation (ties get their mean rank); 0.0 when either ranking is constant."""
    ranks_a, ranks_b = _ranks(np.asarray(first)), _ranks(np.asarray(second))
    if ranks_a.std() == 0 or ranks_b.std() == 0:
        return 0.0
    return float(np.corrcoef(ranks_a, ranks_b)[0, 1])


def _ranks(values: np.ndarray) -> np.ndarray:
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    ranks = np.empty(len(values))
    start = 0
    while start < len(values):
        end = start
        while end + 1 < len(values) and sorted_values[end + 1] == sorted_values[start]:
            end += 1
        ranks[order[start : end + 1]] = (start + end) / 2
        start = end + 1
    return ranks
