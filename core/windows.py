"""Texts longer than the model's window, read over overlapping windows and combined into one decision.

A text of N content tokens (specials excluded) is cut into windows of `window - 2` content tokens that overlap by
a quarter of a window; the last window ends at the text's end. Each window gets the text's leading and trailing
special tokens ([CLS] ... [SEP]). The decision's logits are the mean of the window logits weighted by each
window's number of content tokens. A text that fits in the window is one window, run exactly as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from core.executor import Batch, pad_ids, run_adaptive, run_layers
from core.exit_policy import RowExit
from core.model import Variant
from core.paths import PathSpec

WINDOWS_PER_BATCH = 16


@dataclass(frozen=True)
class WindowPlan:
    """Content-token ranges [start, end) of each window, and the weight of each in the decision."""

    spans: tuple[tuple[int, int], ...]

    @property
    def weights(self) -> tuple[float, ...]:
        total = sum(end - start for start, end in self.spans)
        return tuple((end - start) / total for start, end in self.spans)

    def __len__(self) -> int:
        return len(self.spans)


@dataclass(frozen=True)
class WindowedRun:
    """Logits (B, C) of each text, how many windows each text took, and the (rows, tokens) of every batch run.

    With an exit policy, `exits` holds per text where each of its windows stopped (each window exits on its own).
    """

    logits: torch.Tensor
    windows: tuple[int, ...]
    shapes: tuple[tuple[int, int], ...]
    exits: tuple[tuple[RowExit, ...], ...] | None = None


def plan_windows(content_tokens: int, window: int) -> WindowPlan:
    """Split `content_tokens` tokens into overlapping windows of at most `window - 2` content tokens."""
    size = window - 2
    if size < 4:
        raise ValueError(f"a window of {window} tokens is too small to read a text in parts")
    if content_tokens <= size:
        return WindowPlan(((0, content_tokens),))
    stride = size - size // 4
    starts = [*range(0, content_tokens - size, stride), content_tokens - size]
    return WindowPlan(tuple((start, start + size) for start in starts))


def window_ids(token_ids: Sequence[int], span: tuple[int, int]) -> list[int]:
    """The ids of one window: the text's first and last (special) tokens around its content span."""
    start, end = span
    return [token_ids[0], *token_ids[1 + start : 1 + end], token_ids[-1]]


def run_windowed(
    variant: Variant,
    spec: PathSpec,
    token_lists: Sequence[Sequence[int]],
    window: int,
    pad_id: int,
    windows_per_batch: int = WINDOWS_PER_BATCH,
) -> WindowedRun:
    """(B, C) logits of texts given as token ids with specials; texts longer than `window` are read in windows.

    Texts that fit go together in one padded batch; the windows of longer texts run `windows_per_batch` at a
    time, so memory stays bounded by the window size whatever the text's length. Call under no_grad/inference.
    """
    short = [i for i, ids in enumerate(token_lists) if len(ids) <= window]
    plans = {i: plan_windows(len(ids) - 2, window) for i, ids in enumerate(token_lists) if len(ids) > window}
    results: dict[int, torch.Tensor] = {}
    shapes: list[tuple[int, int]] = []
    exits: dict[int, list[RowExit]] = {i: [] for i in range(len(token_lists))}
    if short:
        batch = pad_ids([token_lists[i] for i in short], pad_id, variant.device)
        shapes.append(tuple(batch.input_ids.shape))
        logits, row_exits = _run_batch(variant, batch, spec)  # (B_short, C)
        results.update(zip(short, logits, strict=True))
        for i, row_exit in zip(short, row_exits, strict=spec.exit is not None):
            exits[i].append(row_exit)
    jobs = [(i, span) for i, plan in plans.items() for span in plan.spans]
    window_logits: dict[int, list[torch.Tensor]] = {i: [] for i in plans}
    for start in range(0, len(jobs), windows_per_batch):
        chunk = jobs[start : start + windows_per_batch]
        batch = pad_ids([window_ids(token_lists[i], span) for i, span in chunk], pad_id, variant.device)
        shapes.append(tuple(batch.input_ids.shape))
        logits, row_exits = _run_batch(variant, batch, spec)  # (B_chunk, C)
        for (i, _), row in zip(chunk, logits, strict=True):
            window_logits[i].append(row)
        for (i, _), row_exit in zip(chunk, row_exits, strict=spec.exit is not None):
            exits[i].append(row_exit)
    for i, plan in plans.items():
        weights = torch.tensor(plan.weights, dtype=torch.float32, device=variant.device)  # (W,)
        results[i] = (torch.stack(window_logits[i]) * weights[:, None]).sum(0)
    windows = tuple(len(plans[i]) if i in plans else 1 for i in range(len(token_lists)))
    logits = torch.stack([results[i] for i in range(len(token_lists))])
    per_text = tuple(tuple(exits[i]) for i in range(len(token_lists))) if spec.exit is not None else None
    return WindowedRun(logits, windows, tuple(shapes), per_text)


def _run_batch(variant: Variant, batch: Batch, spec: PathSpec) -> tuple[torch.Tensor, tuple[RowExit, ...]]:
    """(B, C) float logits of a padded batch, and with an exit policy where each row stopped (else none: `()`)."""
    if spec.exit is None:
        return run_layers(variant, batch, spec)[len(spec.layers) - 1].float(), ()
    run = run_adaptive(variant, batch, spec)
    return run.logits.float(), run.exits
