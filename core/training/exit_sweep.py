"""Choosing an exit policy: accuracy, mean layers run and compute saved of many policies, from one pass.

Every exit's logits are computed once per row (all exits of a path come out of one pass through its layers);
each policy is then simulated on them with the executor's own rule (`core.path.exit_policy.simulate`). A row's cost at
an exit counts, like an adaptive decision, the layers up to it (at the row's own token count) and every exit head
evaluated on the way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import torch
from tqdm import tqdm

from core.audit import gold_indices as read_gold_indices
from core.errors import InputError, InvalidPathError
from core.model import path_flops
from core.path import ExitPolicy, PathSpec, simulate
from core.run import PathEngine
from core.training.data import read_text_table

THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 1.0)


@dataclass(frozen=True)
class ExitTable:
    """Per-exit outputs of a labelled set along one path (E exits, N rows, C labels)."""

    spec: PathSpec  # the path without its exit policy; its exit positions are the table's exits
    logits: torch.Tensor  # (E, N, C)
    gold: torch.Tensor  # (N,)
    flops: torch.Tensor  # (E, N): FLOPs of a row that stops at each exit
    fixed_flops: torch.Tensor  # (N,): FLOPs of the path run to its end, without a policy

    def outcome(self, policy: ExitPolicy | None) -> dict[str, Any]:
        """Accuracy, mean layers run and compute saved (vs the path run to its end) of one policy (None: no policy)."""
        rows = torch.arange(self.gold.shape[0])
        if policy is None:
            chosen = torch.full_like(self.gold, self.logits.shape[0] - 1)
            flops = self.fixed_flops.sum()
        else:
            chosen = simulate(policy, self.logits)[0]
            flops = self.flops[chosen, rows].sum()
        predicted = self.logits[chosen, rows].argmax(-1)
        positions = torch.tensor(self.spec.exit_positions)[chosen]
        return {
            "policy": f"exit={policy.canonical}" if policy is not None else "none",
            "accuracy": round(float((predicted == self.gold).float().mean()), 4),
            "mean_layers_run": round(float((positions + 1).float().mean()), 3),
            "compute_saved": round(1 - float(flops) / float(self.fixed_flops.sum()), 4) + 0.0,  # + 0.0: no -0.0
            # what the FLOPs saved imply, not a measured time (padding, batching and the device decide that)
            "speedup_by_flops": round(float(self.fixed_flops.sum()) / float(flops), 3) if float(flops) else None,
        }


SPEEDUP_NOTE = (
    "speedup_by_flops is FLOPs of the path run to its end / FLOPs of the policy: the speed-up the compute saved "
    "implies, not measured time (padding, batch sizes and the device decide that; see bench/RESULTS.md)"
)


def sweep(table: ExitTable, thresholds: tuple[float, ...] = THRESHOLDS) -> dict[str, Any]:
    """The outcome of every confidence threshold and every patience the path allows, and of no policy."""
    exits = len(table.spec.exit_positions)
    policies = [ExitPolicy("confidence", threshold=t) for t in thresholds]
    policies += [ExitPolicy("patience", patience=p) for p in range(1, exits)]
    return {
        "rows": int(table.gold.shape[0]),
        "path": table.spec.canonical,
        "exits": exits,
        "without_policy": table.outcome(None),
        "policies": [table.outcome(policy) for policy in policies],
        "speedup_note": SPEEDUP_NOTE,
    }


def exit_table(
    engine: PathEngine,
    source: str | Path | pd.DataFrame,
    text_col: str,
    label_col: str,
    spec_text: str = "full",
    batch_size: int = 64,
    progress: Callable[[float], None] | None = None,
) -> ExitTable:
    """One pass over a labelled table (a file or a frame) along the path of `spec_text`, its exit policy left aside.

    `progress(fraction)` is called after every batch (the CLI shows tqdm instead).
    """
    spec = engine.parse(spec_text).replace(exit=None)
    if len(spec.exit_positions) < 2:
        raise InvalidPathError(
            f"an exit sweep needs a path with at least two exits, and {spec.canonical} has one: use a deeper path "
            "(a model without exit heads has only its last exit: train heads with `python -m core train-heads`)"
        )
    frame = source if isinstance(source, pd.DataFrame) else read_text_table(source, text_col, label_col)
    missing = [c for c in (text_col, label_col) if c not in frame.columns]
    if missing:
        raise InputError(f"the table has no column {', '.join(map(repr, missing))}: choose the text and label columns")
    model = engine.model
    gold_indices = read_gold_indices([str(value) for value in frame[label_col]], model.labels)
    if None in gold_indices:
        bad = frame[label_col].iloc[gold_indices.index(None)]
        raise InputError(
            f"label {bad!r} is not one of the model's labels {list(model.labels)} (nor an index into them)"
        )
    gold = torch.tensor(gold_indices)
    stopped = [spec.stopped_at(position) for position in spec.exit_positions]
    texts = frame[text_col].astype(str).tolist()
    logits: list[torch.Tensor] = []
    piece_tokens: list[tuple[int, ...]] = []
    starts = range(0, len(texts), batch_size)
    for start in starts if progress is not None else tqdm(starts, desc="exit sweep", unit="batch"):
        ids = [engine.prepare(text, spec).token_ids for text in texts[start : start + batch_size]]
        run = engine.run(stopped, ids)  # every exit from one pass (shared prefix), texts read as decisions read them
        logits.append(torch.stack(list(run.outputs)))  # (E, b, C)
        piece_tokens.extend(text.piece_tokens for text in run.texts)
        if progress is not None:
            progress(min((start + batch_size) / len(texts), 1.0))
    return ExitTable(spec, torch.cat(logits, dim=1), gold, *_flops_at_exits(engine, spec, piece_tokens))


def _flops_at_exits(
    engine: PathEngine, spec: PathSpec, piece_tokens: list[tuple[int, ...]]
) -> tuple[torch.Tensor, torch.Tensor]:
    """(E, N) FLOPs of stopping each row at each exit (layers up to it, every exit head evaluated on the way) and
    (N,) FLOPs of the path run to its end; each row at its own token count (summed over its windows, if any)."""
    model = engine.model
    sizes = (int(model.config.hidden_size), model.ffn_size)
    layout = model.family.layout(model.config)
    head = 2 * sizes[0] * len(model.labels)
    stopped = [spec.stopped_at(position) for position in spec.exit_positions]
    by_length: dict[int, tuple[list[float], float]] = {}
    for tokens in {tokens for pieces in piece_tokens for tokens in pieces}:
        at_exits = [path_flops(s, 1, tokens, *sizes, 0, layout) + (i + 1) * head for i, s in enumerate(stopped)]
        by_length[tokens] = (at_exits, path_flops(spec, 1, tokens, *sizes, 0, layout) + head)
    per_text = [
        [sum(by_length[tokens][0][i] for tokens in pieces) for i in range(len(stopped))] for pieces in piece_tokens
    ]
    table = torch.tensor(per_text, dtype=torch.float64).T
    fixed = torch.tensor(
        [sum(by_length[tokens][1] for tokens in pieces) for pieces in piece_tokens], dtype=torch.float64
    )
    return table, fixed
