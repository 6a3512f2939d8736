"""`explain`: run the asked methods along a path over the text's windows, score their faithfulness, compare them.

A text longer than the model's window is explained window by window (see `core.windows`): each window is
attributed for the decision's target label, and a token's score is the mean of its scores in the windows that
contain it, weighted like the windows in the decision. Memory is that of one window whatever the text's length.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from itertools import combinations

import numpy as np
import torch

from core.attention_program import program_notes
from core.engine import PathEngine
from core.errors import InputError
from core.explain.attention_maps import LayerMaps
from core.explain.faithfulness import Faithfulness, ProbabilityFn, faithfulness, spearman
from core.explain.methods import GRADIENT_METHODS, METHODS, PathForward, WindowInput, WindowScores
from core.explain.result import ExplanationSet, MethodResult
from core.explain.units import token_units
from core.model import Variant
from core.paths import PathSpec
from core.runner import run_token_lists
from core.windows import WindowPlan, plan_windows, window_ids

Progress = Callable[[float, str], None]
ALL_METHODS = tuple(METHODS)
RANDOM_SEED = 0


def explain(
    engine: PathEngine,
    text: str,
    spec: PathSpec,
    methods: Sequence[str] = ALL_METHODS,
    target: str | None = None,
    n_steps: int = 50,
    progress: Progress | None = None,
    score_faithfulness: bool = True,
) -> ExplanationSet:
    """Explain the decision on `text` along `spec` with each method; `target` is a label (default: predicted).

    `score_faithfulness=False` skips the ERASER figures (11 more decisions of the text per method).
    """
    _check(methods, n_steps, spec)
    spec, stop_notes = _layer_that_decided(engine, text, spec)
    model = engine.model
    prepared = engine.prepare(text, spec)
    token_ids = prepared.token_ids
    units = token_units(model.tokenizer, text, prepared.withheld, token_ids)
    variant = model.variant(spec.device, spec.precision)
    pad_id = model.pad_id
    marks = prepared.marks
    positions = list(range(len(token_ids)))  # faithfulness erases positions, so programmed marks follow their tokens
    probabilities = _probability_fn(variant, spec, model.window, pad_id, token_ids, marks)
    full_probs = probabilities([positions])[0]  # (C,)
    target_index = _target_index(target, model.labels, full_probs)
    plan = plan_windows(len(token_ids) - 2, model.window)
    report = progress or (lambda fraction, message: None)

    def rank_faithfulness(scores: np.ndarray) -> Faithfulness:
        return faithfulness(scores, positions, target_index, float(full_probs[target_index]), probabilities)

    total_steps = len(methods) * (len(plan) + 1)
    results: dict[str, MethodResult] = {}
    maps: tuple[LayerMaps, ...] = ()
    for index, method in enumerate(methods):
        started = time.perf_counter()
        windows: list[WindowScores] = []
        for window, span in enumerate(plan.spans):
            report((index * (len(plan) + 1) + window) / total_steps, f"{method}: window {window + 1} of {len(plan)}")
            ids = window_ids(token_ids, span)
            forward = PathForward(variant, spec, _marks_tensor(marks, span, variant.device))
            windows.append(METHODS[method](_window_input(forward, ids, pad_id, target_index, n_steps)))
        seconds = time.perf_counter() - started
        scores = _combine(plan, [w.scores for w in windows])
        report((index * (len(plan) + 1) + len(plan)) / total_steps, f"{method}: faithfulness")
        figures = rank_faithfulness(scores) if score_faithfulness else None
        results[method] = _method_result(method, scores, seconds, figures, windows)
        if method == "attention" and len(plan) == 1:
            maps = windows[0].maps
    random_scores = np.random.default_rng(RANDOM_SEED).permutation(len(units)).astype(np.float64)
    random_ranking = rank_faithfulness(random_scores) if score_faithfulness else None
    report(1.0, "done")
    labels = model.labels
    return ExplanationSet(
        label=labels[int(full_probs.argmax())],
        target=labels[target_index],
        probs={label: round(float(p), 6) for label, p in zip(labels, full_probs, strict=True)},
        path=spec.canonical,
        path_id=spec.path_id(model.fingerprint),
        windows=len(plan),
        n_steps=n_steps,
        units=tuple(units),
        methods=results,
        attention_maps=maps,
        attention_tokens=tuple(model.tokenizer.convert_ids_to_tokens(list(token_ids))) if maps else (),
        skipped_layers=tuple(layer for layer in range(model.num_layers) if layer not in spec.layers),
        agreement=_agreement(results),
        random_ranking=random_ranking,
        notes=(*stop_notes, *_notes(plan, model.window, methods, target is None), *program_notes(spec, marks)),
    )


def _layer_that_decided(engine: PathEngine, text: str, spec: PathSpec) -> tuple[PathSpec, tuple[str, ...]]:
    """A path with an exit policy is explained at the layer that decided: the fixed path that stops there."""
    if spec.exit is None:
        return spec, ()
    stop = engine.decide(text, spec).exit
    assert stop is not None, "a decision along an exit policy records where it stopped"
    stopped = spec.stopped_at(int(stop["position"]))
    note = (
        f"{spec.canonical} stopped after layer {stop['layer']} ({stop['rule']} {stop['value']:g}): explained along "
        f"{stopped.canonical}, the layers that ran"
    )
    return stopped, (note,)


def _check(methods: Sequence[str], n_steps: int, spec: PathSpec) -> None:
    unknown = [m for m in methods if m not in METHODS]
    if unknown or not methods:
        raise InputError(f"unknown explanation method(s) {unknown}: choose from {','.join(METHODS)}")
    if n_steps < 1:
        raise InputError(f"n_steps must be at least 1 (got {n_steps}); 50 is the default")
    if spec.precision == "int8" and GRADIENT_METHODS.intersection(methods):
        raise InputError(
            "int8 (dynamic quantization) has no gradients: explain this path with occlusion,attention, "
            "or explain it at precision=fp32"
        )


def _target_index(target: str | None, labels: tuple[str, ...], probs: np.ndarray) -> int:
    if target is None:
        return int(probs.argmax())
    if target not in labels:
        raise InputError(f"target label {target!r} is not one of the model's labels: {', '.join(labels)}")
    return labels.index(target)


def _probability_fn(
    variant: Variant,
    spec: PathSpec,
    window: int,
    pad_id: int,
    token_ids: Sequence[int],
    marks: Sequence[int] | None,
) -> ProbabilityFn:
    """Label probabilities of texts given as lists of positions into `token_ids` (tokens kept, in order)."""

    def probabilities(position_lists: list[list[int]]) -> np.ndarray:
        token_lists = [[token_ids[i] for i in positions] for positions in position_lists]
        mark_lists = None if marks is None else [[marks[i] for i in positions] for positions in position_lists]
        logits = run_token_lists(variant, [spec], token_lists, window, pad_id, marks=mark_lists).outputs[0]  # (N, C)
        return torch.softmax(logits, dim=-1).numpy()

    return probabilities


def _marks_tensor(marks: Sequence[int] | None, span: tuple[int, int], device: torch.device) -> torch.Tensor | None:
    """(1, T) programmed-attention marks of one window, or None."""
    if marks is None:
        return None
    return torch.tensor([window_ids(marks, span)], dtype=torch.long, device=device)


def _window_input(forward: PathForward, ids: list[int], pad_id: int, target: int, n_steps: int) -> WindowInput:
    device = forward.variant.device
    input_ids = torch.tensor([ids], dtype=torch.long, device=device)  # (1, T)
    baseline = torch.full_like(input_ids, pad_id)
    baseline[0, 0], baseline[0, -1] = ids[0], ids[-1]  # keep [CLS] and [SEP]
    return WindowInput(forward, input_ids, torch.ones_like(input_ids), baseline, target, n_steps)


def _combine(plan: WindowPlan, window_scores: list[np.ndarray]) -> np.ndarray:
    """(N,) scores of the whole text: per token, the weighted mean over the windows that contain it."""
    length = plan.spans[-1][1]
    total, weight = np.zeros(length), np.zeros(length)
    for (start, end), window_weight, scores in zip(plan.spans, plan.weights, window_scores, strict=True):
        total[start:end] += window_weight * scores
        weight[start:end] += window_weight
    return total / weight


def _method_result(
    method: str, scores: np.ndarray, seconds: float, figures: Faithfulness | None, windows: list[WindowScores]
) -> MethodResult:
    result = MethodResult(method, tuple(float(s) for s in scores), seconds, figures)
    with_delta = [w for w in windows if w.delta is not None and w.gap is not None]
    if not with_delta:
        return result
    worst = max(with_delta, key=lambda w: abs(w.delta) / max(abs(w.gap), 1e-12))
    relative = abs(worst.delta) / abs(worst.gap) if worst.gap != 0 else None
    return MethodResult(method, result.scores, seconds, figures, worst.delta, relative)


def _agreement(results: dict[str, MethodResult]) -> dict[str, float]:
    return {
        f"{a}~{b}": round(spearman(np.array(results[a].scores), np.array(results[b].scores)), 6)
        for a, b in combinations(results, 2)
    }


def _notes(plan: WindowPlan, window: int, methods: Sequence[str], predicted: bool) -> tuple[str, ...]:
    notes = ["attributions are of the target label's probability" + (" (the predicted label)" if predicted else "")]
    if len(plan) > 1:
        notes.append(
            f"read in {len(plan)} overlapping windows of {window} tokens; a token's score is the weighted mean of "
            "its scores in the windows that contain it"
        )
        if "attention" in methods:
            notes.append("attention maps are given for texts that fit in one window; rollout is given per token")
    return tuple(notes)
