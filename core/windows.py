"""Texts longer than the model's window, read over overlapping windows and combined into one decision.

A text of N content tokens (specials excluded) is cut into windows of `window - 2` content tokens that overlap by
a quarter of a window; the last window ends at the text's end. Each window gets the text's leading and trailing
special tokens ([CLS] ... [SEP]). The decision's logits are the mean of the window logits weighted by each
window's number of content tokens. A text that fits in the window is one window, run exactly as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import torch

from core.executor import Batch, pad_ids, run_layers
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
    """Logits (B, C) of each text, how many windows each text took, and the (rows, tokens) of every batch run."""

    logits: torch.Tensor
    windows: tuple[int, ...]
    shapes: tuple[tuple[int, int], ...]


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
    marks: Sequence[Sequence[int]] | None = None,
) -> WindowedRun:
    """(B, C) logits of texts given as token ids with specials; texts longer than `window` are read in windows.

    Texts that fit go together in one padded batch; the windows of longer texts run `windows_per_batch` at a
    time, so memory stays bounded by the window size whatever the text's length. Call under no_grad/inference.
    `marks` (per text, parallel to its ids) are programmed-attention marks; they are windowed like the ids.
    """
    last = len(spec.layers) - 1
    short = [i for i, ids in enumerate(token_lists) if len(ids) <= window]
    plans = {i: plan_windows(len(ids) - 2, window) for i, ids in enumerate(token_lists) if len(ids) > window}
    results: dict[int, torch.Tensor] = {}
    shapes: list[tuple[int, int]] = []
    if short:
        batch = _batch(
            [token_lists[i] for i in short], None if marks is None else [marks[i] for i in short], pad_id, variant
        )
        shapes.append(tuple(batch.input_ids.shape))
        logits = run_layers(variant, batch, spec)[last].float()  # (B_short, C)
        results.update(zip(short, logits, strict=True))
    jobs = [(i, span) for i, plan in plans.items() for span in plan.spans]
    window_logits: dict[int, list[torch.Tensor]] = {i: [] for i in plans}
    for start in range(0, len(jobs), windows_per_batch):
        chunk = jobs[start : start + windows_per_batch]
        chunk_marks = None if marks is None else [window_ids(marks[i], span) for i, span in chunk]
        batch = _batch([window_ids(token_lists[i], span) for i, span in chunk], chunk_marks, pad_id, variant)
        shapes.append(tuple(batch.input_ids.shape))
        logits = run_layers(variant, batch, spec)[last].float()  # (B_chunk, C)
        for (i, _), row in zip(chunk, logits, strict=True):
            window_logits[i].append(row)
    for i, plan in plans.items():
        weights = torch.tensor(plan.weights, dtype=torch.float32, device=variant.device)  # (W,)
        results[i] = (torch.stack(window_logits[i]) * weights[:, None]).sum(0)
    windows = tuple(len(plans[i]) if i in plans else 1 for i in range(len(token_lists)))
    return WindowedRun(torch.stack([results[i] for i in range(len(token_lists))]), windows, tuple(shapes))


def _batch(
    token_lists: Sequence[Sequence[int]], marks: Sequence[Sequence[int]] | None, pad_id: int, variant: Variant
) -> Batch:
    """A padded batch; programmed-attention marks padded alike (0 = unmarked)."""
    batch = pad_ids(token_lists, pad_id, variant.device)
    if marks is None:
        return batch
    return replace(batch, token_marks=pad_ids(marks, 0, variant.device).input_ids)
