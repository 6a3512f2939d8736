"""`explain`: run the asked methods along a path over the text's windows, score their faithfulness, compare them.

A text longer than the model's window is explained window by window (see `core.run.windows`): each window is
attributed for the decision's target label, and a token's score is the mean of its scores in the windows that
contain it, weighted like the windows in the decision. Memory is that of one window whatever the text's length.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import torch

from core.errors import InputError, PathLensError
from core.explain.adaptive_ig import FIRST_INTERVALS
from core.explain.attention_maps import LayerMaps
from core.explain.faithfulness import Faithfulness, ProbabilityFn, faithfulness, spearman
from core.explain.ig_windows import Tick, adaptive_ig_windows
from core.explain.methods import (
    ADAPTIVE_IG,
    BATCHED_METHODS,
    COST_ORDER,
    GRADIENT_METHODS,
    METHODS,
    TOKENS_PER_STEP_BATCH,
    IGOptions,
    PathForward,
    WindowInput,
    WindowScores,
    check_family,
)
from core.explain.result import ExplanationSet, MethodResult
from core.explain.units import token_units
from core.model import Variant
from core.path import PathSpec
from core.run import PathEngine, WindowPlan, plan_windows, program_notes, run_token_lists, window_ids

Progress = Callable[[float, str], None]  # progress(fraction of the work done in [0, 1], message)
ALL_METHODS = tuple(METHODS)
RANDOM_SEED = 0


def explain(
    engine: PathEngine,
    text: str,
    spec: PathSpec,
    methods: Sequence[str] = ALL_METHODS,
    target: str | None = None,
    ig: IGOptions = ADAPTIVE_IG,
    progress: Progress | None = None,
    score_faithfulness: bool = True,
    cancel: Callable[[], bool] | None = None,
    decided_logits: Sequence[float] | None = None,
) -> ExplanationSet:
    """Explain the decision on `text` along `spec` with each method; `target` is a label (default: predicted).

    IG runs `ig.n_steps` fixed Gauss-Legendre steps, or, with `ig.n_steps` None, adaptively until its relative
    delta is within `ig.tolerance` (at most `ig.max_steps` points). `score_faithfulness=False` skips the ERASER figures
    (11 more decisions of the text per method). Methods run cheapest first; `progress` hears of every window;
    `cancel` (e.g. `threading.Event().is_set`) is asked before every window (batch) and, when it returns True,
    `ExplanationCancelledError` is raised. `decided_logits`: the logits of the decision on this text along this
    path when the caller already has them (`Decision.logits`), so the text is not decided a second time (every
    window once more) to find the label; ignored for a path with an exit policy (explained where it stopped).
    """
    _check(methods, ig.n_steps, spec)
    check_family(engine.model.family, methods)
    given = decided_logits if spec.exit is None else None
    spec, stop_notes = _layer_that_decided(engine, text, spec)
    _check_ig(ig.tolerance, ig.max_steps)
    model = engine.model
    prepared = engine.prepare(text, spec)
    token_ids = prepared.token_ids
    units = token_units(model.tokenizer, text, prepared.withheld, token_ids)
    variant = model.variant(spec.device, spec.precision)
    pad_id = model.pad_id
    marks = prepared.marks
    positions = list(range(len(token_ids)))  # faithfulness erases positions, so programmed marks follow their tokens
    probabilities = _probability_fn(variant, spec, model.window, pad_id, token_ids, marks)
    full_probs = probabilities([positions])[0] if given is None else _decided_probs(given, model.labels)  # (C,)
    target_index = _target_index(target, model.labels, full_probs)
    plan = plan_windows(len(token_ids) - 2, model.window)
    progress = progress or (lambda fraction, message: None)

    def rank_faithfulness(scores: np.ndarray) -> Faithfulness:
        return faithfulness(scores, positions, target_index, float(full_probs[target_index]), probabilities)

    job = _Job(PathForward(variant, spec), token_ids, marks, plan, pad_id, target_index, ig)
    computed, maps = _run_methods(job, methods, progress, cancel, rank_faithfulness if score_faithfulness else None)
    results = {method: computed[method] for method in methods}
    random_scores = np.random.default_rng(RANDOM_SEED).permutation(len(units)).astype(np.float64)
    random_ranking = rank_faithfulness(random_scores) if score_faithfulness else None
    progress(1.0, "done")
    labels = model.labels
    return ExplanationSet(
        label=labels[int(full_probs.argmax())],
        target=labels[target_index],
        probs={label: round(float(p), 6) for label, p in zip(labels, full_probs, strict=True)},
        path=spec.canonical,
        path_id=spec.path_id(model.fingerprint),
        windows=len(plan),
        n_steps=ig.n_steps,
        ig_tolerance=ig.tolerance,
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
    stopped = spec.stopped_at(stop.position)
    note = (
        f"{spec.canonical} stopped after layer {stop.layer} ({stop.rule} {round(stop.value, 6):g}): explained along "
        f"{stopped.canonical}, the layers that ran"
    )
    return stopped, (note,)


def _check(methods: Sequence[str], n_steps: int | None, spec: PathSpec) -> None:
    unknown = [m for m in methods if m not in METHODS]
    if unknown or not methods:
        raise InputError(f"unknown explanation method(s) {unknown}: choose from {','.join(METHODS)}")
    if n_steps is not None and n_steps < 1:
        raise InputError(f"n_steps must be at least 1 (got {n_steps}), or None for adaptive IG")
    if spec.precision == "int8" and GRADIENT_METHODS.intersection(methods):
        raise InputError(
            "int8 (quantized linears) has no gradients: explain this path with occlusion,attention, "
            "or explain it at precision=fp32"
        )


def _check_ig(tolerance: float, max_steps: int) -> None:
    if not 0 < tolerance < 1:
        raise InputError(
            f"the IG tolerance is a fraction of f(x) - f(baseline) in (0, 1) (got {tolerance}); 0.05 is the default"
        )
    if max_steps < FIRST_INTERVALS + 1:
        raise InputError(f"adaptive IG needs at least {FIRST_INTERVALS + 1} steps (got {max_steps}); 65 is the default")


def _decided_probs(logits: Sequence[float], labels: tuple[str, ...]) -> np.ndarray:
    """(C,) probabilities of a decision's logits, as the decision computed them (float32 softmax)."""
    if len(logits) != len(labels):
        raise InputError(
            f"the decision has {len(logits)} logits but the model has {len(labels)} labels: explain it without "
            "decided_logits, or with the logits of a decision by this model"
        )
    return torch.softmax(torch.tensor(list(logits), dtype=torch.float32), dim=-1).numpy()


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


class ExplanationCancelledError(PathLensError):
    """The explanation was cancelled by its caller; nothing of it is returned or stored."""


@dataclass(frozen=True)
class _Job:
    """What every window of one text's explanation shares."""

    forward: PathForward
    token_ids: tuple[int, ...]
    marks: tuple[int, ...] | None  # programmed-attention marks per token (core.run.program_marks), or None
    plan: WindowPlan
    pad_id: int
    target: int
    ig: IGOptions


def _run_methods(
    job: _Job,
    methods: Sequence[str],
    progress: Progress,
    cancel: Callable[[], bool] | None,
    rank_faithfulness: Callable[[np.ndarray], Faithfulness] | None,
) -> tuple[dict[str, MethodResult], tuple[LayerMaps, ...]]:
    """Every method over the windows, cheapest first; the attention maps when the text is one window."""
    plan = job.plan
    ordered = sorted(set(methods), key=COST_ORDER.index)
    total = len(ordered) * (len(plan) + 1)
    computed: dict[str, MethodResult] = {}
    maps: tuple[LayerMaps, ...] = ()
    for index, method in enumerate(ordered):
        done = index * (len(plan) + 1)

        def tick(position: float, message: str, method: str = method, done: int = done) -> None:
            progress((done + position) / total, f"{method}: {message}")

        started = time.perf_counter()
        windows = _run_method(method, job, tick, cancel)
        seconds = time.perf_counter() - started
        scores = _combine(plan, [w.scores for w in windows])
        progress((done + len(plan)) / total, f"{method}: faithfulness")
        figures = rank_faithfulness(scores) if rank_faithfulness is not None else None
        computed[method] = _method_result(method, scores, seconds, figures, windows)
        if method == "attention" and len(plan) == 1:
            maps = windows[0].maps
    return computed, maps


def _run_method(method: str, job: _Job, tick: Tick, cancel: Callable[[], bool] | None) -> list[WindowScores]:
    """One method over every window; batched methods take as many windows at once as the token budget allows."""
    spans = job.plan.spans

    def check_cancel(where: str) -> None:
        if cancel is not None and cancel():
            raise ExplanationCancelledError(f"explanation cancelled during {method} {where}: nothing was kept")

    if method == "ig" and job.ig.n_steps is None:
        inputs = [_window_input(job, [span]) for span in spans]
        return adaptive_ig_windows(inputs, job.plan.weights, tick, check_cancel)
    window_length = spans[0][1] - spans[0][0] + 2
    # a programmed path's marks ride as one (1, T) row that every step of the window's batch shares
    batched = method in BATCHED_METHODS and job.marks is None
    rows = max(1, TOKENS_PER_STEP_BATCH // window_length) if batched else 1
    windows: list[WindowScores] = []
    for start in range(0, len(spans), rows):
        check_cancel(f"after {start} of {len(spans)} windows")
        tick(start, f"window {start + 1} of {len(spans)}")
        windows.extend(METHODS[method](_window_input(job, spans[start : start + rows])))
    return windows


def _window_input(job: _Job, spans: Sequence[tuple[int, int]]) -> WindowInput:
    """The windows of `spans` (all of one length) stacked: (B, T) ids, mask and [PAD] baseline keeping specials."""
    device = job.forward.variant.device
    input_ids = torch.tensor([window_ids(job.token_ids, span) for span in spans], dtype=torch.long, device=device)
    forward = job.forward
    if job.marks is not None:  # one window at a time (see _run_method)
        marks = torch.tensor([window_ids(job.marks, spans[0])], dtype=torch.long, device=device)
        forward = PathForward(forward.variant, forward.spec, marks)
    baseline = torch.full_like(input_ids, job.pad_id)
    baseline[:, 0], baseline[:, -1] = input_ids[:, 0], input_ids[:, -1]  # keep [CLS] and [SEP]
    mask = torch.ones_like(input_ids)
    return WindowInput(forward, input_ids, mask, baseline, job.target, job.ig)


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
    worst = max(with_delta, key=lambda w: abs(w.delta) / max(_relative_to(w), 1e-12))
    relative = abs(worst.delta) / _relative_to(worst) if _relative_to(worst) != 0 else None
    steps = max(w.steps or 0 for w in with_delta)
    within = all(bool(w.within_tolerance) for w in with_delta)
    return MethodResult(method, result.scores, seconds, figures, worst.delta, relative, steps, within)


def _relative_to(window: WindowScores) -> float:
    """What a window's delta is relative to: its |f(x) - f(baseline)|, or the scale adaptive IG judged it by."""
    assert window.gap is not None
    return window.scale if window.scale is not None else abs(window.gap)


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
