"""One batched run of token lists on paths: decisions, comparison sets, audits, evaluation and training readouts.

One rule for texts longer than the model's window: they are read in overlapping windows (`core.run.windows`) and the
window outputs are combined by each window's share of the content tokens, unless the caller asks for the first
window only (`first_window_only`: the text is cut to the window, keeping its final special token); the result
says which (`TextRun.kept`, `TextRun.windows`). Several paths on the same input and variant run through the
executor's shared layer-prefix trie (`core.run.executor.run_paths`): a prefix common to several paths runs once.
Programmed-attention marks (`core.run.program_marks`), one per token, are cut and windowed exactly like the ids and
ride in the batch (`Batch.token_marks`), so a programmed path reads the same tokens however its text is split.
A path with an exit policy (`spec.exit`) runs on its own through `core.run.executor.run_adaptive` (its rows leave the
batch as they exit), with the same windows; the run says per text where each of its pieces stopped (`exits`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import torch

from core.model import Variant
from core.path import PathSpec, RowExit
from core.run.executor import Batch, Readout, exit_logits, pad_ids, run_adaptive, run_paths
from core.run.windows import plan_windows, window_ids

WINDOWS_PER_BATCH = 16


@dataclass(frozen=True)
class TextRun:
    """How one text was read: `kept` of `tokens` tokens (specials included), in `windows` windows.

    `piece_tokens` are the unpadded tokens of each piece that ran (one per window) and `padded_tokens` the padded
    length of the batch each piece ran in; FLOPs follow from either (see `LoadedModel.path_flops`).
    """

    tokens: int
    kept: int
    windows: int
    piece_tokens: tuple[int, ...]
    padded_tokens: tuple[int, ...]

    @property
    def truncated(self) -> bool:
        return self.kept < self.tokens


@dataclass(frozen=True)
class PathsRun:
    """The readout of every path on every text: `outputs[path]` is (B, C) float32 on the CPU (logits by default).

    `exits[path]` is None for a fixed path; for a path with an exit policy it holds, per text, where each piece
    (window) of the text stopped and why (each window exits on its own).
    """

    outputs: tuple[torch.Tensor, ...]
    texts: tuple[TextRun, ...]
    shapes: tuple[tuple[int, int], ...]  # (rows, tokens) of every padded batch that ran
    first_window_only: bool
    exits: tuple[tuple[tuple[RowExit, ...], ...] | None, ...] = ()


@dataclass(frozen=True)
class _Piece:
    """One sequence to run: text `text`'s window (or whole text) with its ids (and programmed-attention marks, when
    any) and its weight in the text's output."""

    text: int
    ids: list[int]
    weight: float
    marks: list[int] | None = None


def first_window(token_ids: Sequence[int], window: int) -> list[int]:
    """The text cut to `window` tokens, keeping its final special token."""
    return list(token_ids) if len(token_ids) <= window else [*token_ids[: window - 1], token_ids[-1]]


def _pieces(
    token_lists: Sequence[Sequence[int]],
    window: int,
    first_window_only: bool,
    marks: Sequence[Sequence[int]] | None,
) -> list[list[_Piece]]:
    """Per text, what runs: the whole text when it fits (or only its first window), else every window.

    A text's marks (parallel to its ids) are cut and windowed exactly like its ids.
    """
    pieces: list[list[_Piece]] = []
    for index, ids in enumerate(token_lists):
        text_marks = None if marks is None else marks[index]
        if len(ids) <= window or first_window_only:
            kept_marks = None if text_marks is None else first_window(text_marks, window)
            pieces.append([_Piece(index, first_window(ids, window), 1.0, kept_marks)])
            continue
        plan = plan_windows(len(ids) - 2, window)
        text_pieces: list[_Piece] = []
        for span, weight in zip(plan.spans, plan.weights, strict=True):
            span_marks = None if text_marks is None else window_ids(text_marks, span)
            text_pieces.append(_Piece(index, window_ids(ids, span), weight, span_marks))
        pieces.append(text_pieces)
    return pieces


def _batch(pieces: Sequence[_Piece], pad_id: int, device: torch.device) -> Batch:
    """The pieces padded to the longest; their marks (when the run has any) padded alike with 0 (unmarked)."""
    batch = pad_ids([piece.ids for piece in pieces], pad_id, device)
    if pieces[0].marks is None:
        return batch
    marks = torch.zeros_like(batch.input_ids)  # (B, T)
    for row, piece in enumerate(pieces):
        assert piece.marks is not None and len(piece.marks) == len(piece.ids), "one mark per token"
        marks[row, : len(piece.marks)] = torch.tensor(piece.marks, dtype=marks.dtype)
    return replace(batch, token_marks=marks)


def run_token_lists(
    variant: Variant,
    specs: Sequence[PathSpec],
    token_lists: Sequence[Sequence[int]],
    window: int,
    pad_id: int,
    *,
    first_window_only: bool = False,
    readout: Readout = exit_logits,
    before_layer: Callable[[], None] | None = None,
    windows_per_batch: int = WINDOWS_PER_BATCH,
    marks: Sequence[Sequence[int]] | None = None,
) -> PathsRun:
    """The readout of every spec on every text (token ids with specials, already withheld for the specs).

    Texts that fit go together in one padded batch; the windows of longer texts run `windows_per_batch` at a
    time, so memory stays bounded by the window whatever the text's length. All specs share the variant.
    `marks`: per text, the programmed-attention marks of its tokens (parallel to its ids; None when no spec
    programs attention); all specs share them, and a spec without a program ignores them.
    """
    assert specs and token_lists, "a run needs at least one path and one text"
    assert marks is None or len(marks) == len(token_lists), "marks must be given per text"
    by_text = _pieces(token_lists, window, first_window_only, marks)
    whole = [text[0] for text in by_text if len(text) == 1]
    windowed = [piece for text in by_text if len(text) > 1 for piece in text]
    batches = [whole] if whole else []
    batches += [windowed[start : start + windows_per_batch] for start in range(0, len(windowed), windows_per_batch)]
    rows_by_text: list[list[list[torch.Tensor]]] = [[[] for _ in token_lists] for _ in specs]  # [spec][text][piece]
    exits_by_text: list[list[list[RowExit]]] = [[[] for _ in token_lists] for _ in specs]  # [spec][text][piece]
    padded: list[list[int]] = [[] for _ in token_lists]
    shapes: list[tuple[int, int]] = []
    with torch.inference_mode():
        for pieces in batches:
            batch = _batch(pieces, pad_id, variant.device)
            shapes.append((int(batch.input_ids.shape[0]), int(batch.input_ids.shape[1])))
            outputs, row_exits = _run_batch(variant, batch, specs, readout, before_layer)  # per spec: (rows, C)
            for spec_rows, spec_exits, output, exits in zip(
                rows_by_text, exits_by_text, outputs, row_exits, strict=True
            ):
                for piece, row in zip(pieces, output.float().cpu(), strict=True):
                    spec_rows[piece.text].append(row)
                for piece, row_exit in zip(pieces, exits, strict=True) if exits else ():
                    spec_exits[piece.text].append(row_exit)
            for piece in pieces:
                padded[piece.text].append(shapes[-1][1])
    weights = [torch.tensor([piece.weight for piece in text], dtype=torch.float32) for text in by_text]
    outputs = tuple(
        torch.stack([_combine(rows, text_weights) for rows, text_weights in zip(spec_rows, weights, strict=True)])
        for spec_rows in rows_by_text
    )
    texts = tuple(
        TextRun(
            tokens=len(ids),
            kept=min(len(ids), window) if first_window_only else len(ids),
            windows=len(pieces),
            piece_tokens=tuple(len(piece.ids) for piece in pieces),
            padded_tokens=tuple(pad),
        )
        for ids, pieces, pad in zip(token_lists, by_text, padded, strict=True)
    )
    exits = tuple(
        tuple(tuple(text) for text in spec_exits) if spec.exit is not None else None
        for spec, spec_exits in zip(specs, exits_by_text, strict=True)
    )
    return PathsRun(outputs, texts, tuple(shapes), first_window_only, exits)


def _run_batch(
    variant: Variant,
    batch: Batch,
    specs: Sequence[PathSpec],
    readout: Readout,
    before_layer: Callable[[], None] | None,
) -> tuple[list[torch.Tensor], list[tuple[RowExit, ...]]]:
    """Per spec, the (rows, C) readout of one padded batch and where each row stopped (`()` for a fixed path).

    Fixed paths share the prefix trie; each adaptive path runs on its own, its rows leaving as they exit.
    """
    fixed = [index for index, spec in enumerate(specs) if spec.exit is None]
    outputs: list[torch.Tensor | None] = [None] * len(specs)
    exits: list[tuple[RowExit, ...]] = [()] * len(specs)
    shared = run_paths(variant, batch, [specs[index] for index in fixed], readout, before_layer)
    for index, output in zip(fixed, shared, strict=True):
        outputs[index] = output
    for index, spec in enumerate(specs):
        if spec.exit is not None:
            adaptive = run_adaptive(variant, batch, spec, readout, before_layer)
            outputs[index], exits[index] = adaptive.logits, adaptive.exits
    return [output for output in outputs if output is not None], exits


def _combine(rows: list[torch.Tensor], weights: torch.Tensor) -> torch.Tensor:
    """One text's output: its only piece, or its windows' outputs weighted by their share of the content."""
    if len(rows) == 1:
        return rows[0]
    return (torch.stack(rows) * weights[:, None]).sum(0)  # (W, C) -> (C,)
