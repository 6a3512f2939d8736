"""Attention maps of the heads that ran, and attention rollout (Abnar & Zuidema, 2020) over the executed layers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from core.model import Variant
from core.path import PathSpec
from core.run import Batch, pooling_mask, programmed_heads, run_layers

MAP_SCALE = 1000  # maps travel in JSON as integers in thousandths


@dataclass(frozen=True, eq=False)
class LayerMaps:
    """The maps of one executed layer: `weights` (h_ran, T, T) for the heads in `heads`; `heads_off` have none.

    `programmed` lists the heads whose attention a `block=`/`emphasize=` clause changed (their maps show it).
    """

    layer: int
    heads: tuple[int, ...]
    heads_off: tuple[int, ...]
    weights: np.ndarray
    programmed: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        quantized = np.rint(self.weights * MAP_SCALE).astype(np.int32)
        return {
            "layer": self.layer,
            "heads": list(self.heads),
            "heads_off": list(self.heads_off),
            "programmed": list(self.programmed),
            "maps": quantized.tolist(),
        }


def capture_attention(
    variant: Variant,
    spec: PathSpec,
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
    marks: torch.Tensor | None = None,
) -> tuple[tuple[LayerMaps, ...], np.ndarray]:
    """Run the path on one sequence (1, T); return the maps of every executed layer and the (T,) rollout.

    `marks` (1, T): the window's programmed-attention marks; the maps then show the programmed attention.
    """
    captured: dict[int, tuple[torch.Tensor, torch.Tensor]] = {}

    def sink(layer: int, weights: torch.Tensor, heads: torch.Tensor) -> None:
        captured[layer] = (weights[0].detach().float().cpu(), heads.cpu())  # (h_ran, T, T), (h_ran,)

    run_layers(variant, Batch(input_ids, attention_mask, token_marks=marks), spec, attention_sink=sink)
    num_heads = spec.template.num_heads
    programmed = programmed_heads(spec) if marks is not None else {}
    maps = []
    for layer in spec.layers:
        weights, heads = captured[layer]
        ran = tuple(int(h) for h in heads)
        off = tuple(h for h in range(num_heads) if h not in ran)
        maps.append(LayerMaps(layer, ran, off, weights.numpy(), programmed.get(layer, ())))
    pooled = pooling_mask(spec, marks, attention_mask)
    read = variant.reads(spec.layers[-1], pooled)[0].float().cpu().numpy()  # (T,) what the deciding classifier reads
    return tuple(maps), rollout(maps, reads_first_token=False, pooled=read)


def rollout(maps: list[LayerMaps], reads_first_token: bool, pooled: np.ndarray | None = None) -> np.ndarray:
    """(T,) relevance of each token to what the exit reads: rows of prod_l (0.5·mean_heads(A_l) + 0.5·I).

    Relevance is the mean over the rows the deciding classifier reads (`pooled` (T,) 0/1, default all): the real
    tokens for a mean-pooling exit head, row 0 for a [CLS] classifier, the last real token for a decoder.
    A layer whose heads are all off passes its input on unchanged (identity).
    """
    length = maps[0].weights.shape[-1]
    identity = np.eye(length)
    flow = identity
    for layer_maps in maps:
        if len(layer_maps.heads) == 0:
            continue
        mixed = 0.5 * layer_maps.weights.astype(np.float64).mean(0) + 0.5 * identity  # (T, T)
        mixed /= mixed.sum(-1, keepdims=True)
        flow = mixed @ flow
    if reads_first_token:
        return flow[0]
    if pooled is None:
        return flow.mean(0)
    return (flow * pooled[:, None]).sum(0) / max(float(pooled.sum()), 1.0)
