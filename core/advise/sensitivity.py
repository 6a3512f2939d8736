"""Importance of heads and layers over a labelled data set: Michel et al.'s expected sensitivity.

Michel, Levy and Neubig (2019), "Are Sixteen Heads Really Better than One?": a head's importance is the expected
absolute gradient of the loss with respect to a gate on its output, E_x |dL(x)/dξ_h|, at every gate 1. Rows stream
through in batches, one forward and one backward pass each (gradients to the gates only, per row), and only the
running (L, H) sums are kept, so memory stays flat however long the data set is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from core.path import PathSpec
from core.run import Gates, PathEngine, first_window, pad_ids, run_layers


@dataclass(frozen=True)
class Sensitivity:
    """Mean |dL/dgate| per head (L, H) and per layer (L,) over `rows` labelled rows, along `path`."""

    path: str
    rows: int
    heads: tuple[tuple[float, ...], ...]
    layers: tuple[float, ...]

    def head_order(self, spec: PathSpec) -> list[tuple[int, int]]:
        """The path's heads from least to most important, scores normalised per layer (l2, as Michel et al.)."""
        scores = torch.tensor(self.heads, dtype=torch.float64)  # (L, H)
        normalised = scores / scores.norm(dim=1, keepdim=True).clamp(min=1e-12)
        ran = [(layer, head) for layer in spec.layers for head in spec.active_heads(layer)]
        return sorted(ran, key=lambda pair: (float(normalised[pair]), pair))

    def to_json(self) -> dict[str, Any]:
        return {
            "method": "expected sensitivity (Michel et al. 2019)",
            "path": self.path,
            "rows": self.rows,
            "heads": [[round(v, 6) for v in row] for row in self.heads],
            "layers": [round(v, 6) for v in self.layers],
        }


def expected_sensitivity(
    engine: PathEngine,
    batches: Iterable[tuple[Sequence[str], Sequence[int]]],
    spec: PathSpec,
    progress: Callable[[int], None] | None = None,
) -> Sensitivity:
    """Stream (texts, gold label indices) batches along the fixed `spec` (its exit policy left aside; int8 at fp32,
    which has no gradients); texts longer than the window are read in their first window.

    `progress(rows)` is called after every batch with the rows done so far.
    """
    spec = spec.replace(exit=None, precision="fp32" if spec.precision == "int8" else spec.precision)
    model = engine.model
    variant = model.variant(spec.device, spec.precision)
    device = torch.device(model.resolve_device(spec.device))
    layers, heads = spec.template.num_layers, spec.template.num_heads
    head_sums = torch.zeros(layers, heads, dtype=torch.float64)
    layer_sums = torch.zeros(layers, dtype=torch.float64)
    rows = 0
    for texts, gold in batches:
        ids = [first_window(engine.prepare(text, spec).token_ids, model.window) for text in texts]
        batch = pad_ids(ids, model.pad_id, device)
        head_gates = torch.ones(len(ids), layers, heads, device=device, requires_grad=True)  # (B, L, H)
        layer_gates = torch.ones(len(ids), layers, device=device, requires_grad=True)  # (B, L)
        with torch.enable_grad():
            logits = run_layers(variant, batch, spec, gates=Gates(head_gates, layer_gates))[len(spec.layers) - 1]
            loss = torch.nn.functional.cross_entropy(
                logits.float(), torch.tensor(list(gold), device=device), reduction="sum"
            )
            head_grad, layer_grad = torch.autograd.grad(loss, (head_gates, layer_gates))  # per row: the sum's parts
        head_sums += head_grad.abs().sum(0).double().cpu()
        layer_sums += layer_grad.abs().sum(0).double().cpu()
        rows += len(ids)
        if progress is not None:
            progress(rows)
    count = max(rows, 1)
    return Sensitivity(
        path=spec.canonical,
        rows=rows,
        heads=tuple(tuple(float(v) / count for v in row) for row in head_sums),
        layers=tuple(float(v) / count for v in layer_sums),
    )
