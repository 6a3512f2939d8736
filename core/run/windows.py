"""Texts longer than the model's window, read over overlapping windows and combined into one decision.

A text of N content tokens (specials excluded) is cut into windows of `window - 2` content tokens that overlap by
a quarter of a window; the last window ends at the text's end. Each window gets the text's leading and trailing
special tokens ([CLS] ... [SEP]). The decision's logits are the mean of the window logits weighted by each
window's number of content tokens. A text that fits in the window is one window, run exactly as before.
`core.run.runner` runs the windows, for every caller alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


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
