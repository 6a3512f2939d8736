"""Which heads and layers matter to one decision: attribution patching, checked against true ablation.

A gate multiplies each head's output and each layer's update (`core.run.executor.Gates`); 1 is the path as it is,
0 switches the head off (skips the layer). The importance of a gate is the change of the decided label's logit
when it goes from 1 to 0, estimated from gradients with respect to the gates, all in one backward pass:

- `steps=1`: attribution patching (gradient × gate at gate 1, the first-order Taylor estimate);
- `steps=k`: integrated over the gates from 1 to 0 (all gates of a kind scaled together, k midpoints), which
  Integrated Gradients' completeness ties to the logit's total change. The k points run as rows of one batch.

`ablation` computes the exact effect (the head switched off by the executor, the layer skipped) for the check.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch

from core.errors import InputError
from core.path import PathSpec
from core.run import Batch, Gates, PathEngine, first_window, pad_ids, run_layers

DEFAULT_STEPS = 1


@dataclass(frozen=True)
class Importance:
    """Per head and layer, the estimated drop of the decided label's logit when it is switched off.

    `heads[layer][head]` and `layers[layer]` are None for what the path does not run.
    """

    path: str  # the path explained (the fixed path that stopped, for an exit policy)
    label: str  # the decided label
    logit: float  # its logit along the path
    heads: tuple[tuple[float | None, ...], ...]  # (L, H)
    layers: tuple[float | None, ...]  # (L,)
    steps: int  # integration points (1: attribution patching at gate 1)
    seconds: float
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "method": "attribution patching" if self.steps == 1 else f"attribution patching, integrated ({self.steps})",
            "path": self.path,
            "label": self.label,
            "logit": round(self.logit, 6),
            "heads": [[_rounded(v) for v in row] for row in self.heads],
            "layers": [_rounded(v) for v in self.layers],
            "steps": self.steps,
            "seconds": round(self.seconds, 4),
            "notes": list(self.notes),
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def gate_points(steps: int) -> list[float]:
    """The gate values the integral is taken at: 1 alone (steps=1), else the midpoints of `steps` equal parts."""
    if steps < 1:
        raise InputError(f"the number of integration steps must be at least 1 (got {steps})")
    return [1.0] if steps == 1 else [1.0 - (index + 0.5) / steps for index in range(steps)]


def explained_spec(engine: PathEngine, text: str, spec: PathSpec) -> tuple[PathSpec, tuple[str, ...]]:
    """The fixed path whose heads are weighed: an exit policy's path where it stopped for this text; int8 at fp32."""
    notes: list[str] = []
    if spec.exit is not None:
        stop = engine.decide(text, spec).exit
        assert stop is not None, "a decision along an exit policy records where it stopped"
        spec = spec.stopped_at(stop.position)
        notes.append(f"the exit policy stopped after layer {stop.layer}: weighed along {spec.canonical}")
    if spec.precision == "int8":
        spec = spec.replace(precision="fp32")
        notes.append("int8 has no gradients: importance is computed at fp32")
    return spec, tuple(notes)


def text_batch(engine: PathEngine, text: str, spec: PathSpec, rows: int) -> tuple[Batch, tuple[str, ...]]:
    """The text's first window repeated `rows` times (one row per gate point)."""
    model = engine.model
    prepared = engine.prepare(text, spec)
    ids = first_window(prepared.token_ids, model.window)
    notes = () if len(ids) == len(prepared.token_ids) else (f"weighed on the first {model.window} tokens",)
    device = torch.device(model.resolve_device(spec.device))
    batch = pad_ids([ids] * rows, model.pad_id, device)
    if prepared.marks is not None:
        marks = torch.tensor([first_window(prepared.marks, model.window)], device=device)
        batch = Batch(batch.input_ids, batch.attention_mask, token_marks=marks.expand(rows, -1))
    return batch, notes


def head_importance(engine: PathEngine, text: str, spec: PathSpec, steps: int = DEFAULT_STEPS) -> Importance:
    """Importance of every head and layer the path runs for this text's decision (see the module docstring)."""
    started = time.perf_counter()
    points = gate_points(steps)
    spec, notes = explained_spec(engine, text, spec)
    model = engine.model
    variant = model.variant(spec.device, spec.precision)
    # rows: [gate 1 (the decision)] + head points (layers at 1) + layer points (heads at 1); steps=1 shares row 0
    scaled = [] if steps == 1 else points
    rows = 1 + 2 * len(scaled)
    batch, window_notes = text_batch(engine, text, spec, rows)
    layers, heads = spec.template.num_layers, spec.template.num_heads
    head_scale = torch.tensor([1.0, *scaled, *[1.0] * len(scaled)], device=batch.input_ids.device)  # (R,)
    layer_scale = torch.tensor([1.0, *[1.0] * len(scaled), *scaled], device=batch.input_ids.device)  # (R,)
    head_gates = head_scale[:, None, None].expand(rows, layers, heads).clone().requires_grad_(True)  # (R, L, H)
    layer_gates = layer_scale[:, None].expand(rows, layers).clone().requires_grad_(True)  # (R, L)
    with torch.enable_grad():
        logits = run_layers(variant, batch, spec, gates=Gates(head_gates, layer_gates))[len(spec.layers) - 1]
        logits = logits.float()  # (R, C)
        label = int(logits[0].argmax())
        weights = torch.ones(rows, device=logits.device)
        if steps > 1:
            weights[0] = 0.0  # row 0 only decides the label; the integral is over the midpoints
        # gradients to the gates only: the weights' gradients are never computed
        head_grad, layer_grad = torch.autograd.grad((logits[:, label] * weights).sum(), (head_gates, layer_gates))
    if steps == 1:
        head_scores, layer_scores = head_grad[0], layer_grad[0]  # gradient × gate (gate = 1)
    else:
        head_scores = head_grad[1 : 1 + steps].mean(0)  # (L, H): mean gradient over the path × (1 - 0)
        layer_scores = layer_grad[1 + steps :].mean(0)  # (L,)
    return Importance(
        path=spec.canonical,
        label=model.labels[label],
        logit=float(logits[0, label].detach()),
        heads=_per_head(spec, head_scores.float().cpu()),
        layers=tuple(float(layer_scores[layer]) if layer in spec.layers else None for layer in range(layers)),
        steps=steps,
        seconds=time.perf_counter() - started,
        notes=notes + window_notes,
    )


def _per_head(spec: PathSpec, scores: torch.Tensor) -> tuple[tuple[float | None, ...], ...]:
    """(L, H) scores -> None where the path does not run the head."""
    layers, heads = scores.shape
    return tuple(
        tuple(
            float(scores[layer, head]) if layer in spec.layers and head in spec.active_heads(layer) else None
            for head in range(heads)
        )
        for layer in range(layers)
    )


@dataclass(frozen=True)
class Ablation:
    """The exact drop of the decided label's logit when each head is switched off or each layer skipped."""

    label: int
    heads: dict[tuple[int, int], float]
    layers: dict[int, float]


def ablation(engine: PathEngine, text: str, spec: PathSpec) -> Ablation:
    """True ablation: every head of the path switched off by the executor, one path each (a shared-prefix run), and
    every layer skipped (its layer gate at 0: for a layer before the last, exactly the path without it)."""
    spec, _ = explained_spec(engine, text, spec)
    ran = [(layer, head) for layer in spec.layers for head in spec.active_heads(layer)]
    specs = [spec, *[spec.replace(heads_off=spec.heads_off | {pair}) for pair in ran]]
    batch, _ = text_batch(engine, text, spec, 1)
    ids = [batch.input_ids[0, : int(batch.attention_mask[0].sum())].tolist()]
    marks = None if batch.token_marks is None else [batch.token_marks[0].tolist()]
    outputs = engine.run(specs, ids, first_window_only=True, marks=marks).outputs
    label = int(outputs[0][0].argmax())
    base = float(outputs[0][0, label])
    heads = {pair: base - float(out[0, label]) for pair, out in zip(ran, outputs[1:], strict=True)}
    return Ablation(label, heads, _layer_ablation(engine, spec, batch, label, base))


def _layer_ablation(engine: PathEngine, spec: PathSpec, batch: Batch, label: int, base: float) -> dict[int, float]:
    """Per layer of the path, base logit minus the logit with that layer's gate at 0 (one row per layer)."""
    variant = engine.model.variant(spec.device, spec.precision)
    layers, heads = spec.template.num_layers, spec.template.num_heads
    rows = len(spec.layers)
    repeated = Batch(
        batch.input_ids.expand(rows, -1),
        batch.attention_mask.expand(rows, -1),
        token_marks=None if batch.token_marks is None else batch.token_marks.expand(rows, -1),
    )
    layer_gates = torch.ones(rows, layers, device=batch.input_ids.device)
    for row, layer in enumerate(spec.layers):
        layer_gates[row, layer] = 0.0
    head_gates = torch.ones(rows, layers, heads, device=batch.input_ids.device)
    with torch.inference_mode():
        logits = run_layers(variant, repeated, spec, gates=Gates(head_gates, layer_gates))[len(spec.layers) - 1]
    return {layer: base - float(logits[row, label]) for row, layer in enumerate(spec.layers)}


def spearman(first: Sequence[float], second: Sequence[float]) -> float:
    """Spearman's rank correlation (average ranks for ties)."""
    a, b = _ranks(torch.tensor(first, dtype=torch.float64)), _ranks(torch.tensor(second, dtype=torch.float64))
    a, b = a - a.mean(), b - b.mean()
    return float((a * b).sum() / ((a * a).sum().sqrt() * (b * b).sum().sqrt()))


def _ranks(values: torch.Tensor) -> torch.Tensor:
    order = values.argsort()
    ranks = torch.empty_like(values)
    ranks[order] = torch.arange(len(values), dtype=torch.float64)
    for value in values.unique():
        tied = values == value
        ranks[tied] = ranks[tied].mean()
    return ranks
