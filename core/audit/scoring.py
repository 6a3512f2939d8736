"""Scoring an audit's rows: the plan (executed path, the path it is compared with, shared work) and the batched
runs (`PathEngine.run`) that score them into typed `ScoredRow`s. Used in-process and by the Ray actors alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from core.model import Prediction, encode_ids
from core.path import PathSpec, RowExit, has_program, program_groups
from core.run import PathEngine, marks_for_texts


@dataclass(frozen=True)
class AuditPlan:
    """What to run: the executed path and the path it is compared with (or None).

    Whether one pass computes both is decided per batch by `_passes` (the runner's prefix trie shares the layers).
    """

    spec: PathSpec
    against: PathSpec | None

    @classmethod
    def make(cls, spec: PathSpec, against: PathSpec | None) -> AuditPlan:
        """Groups the executed path withholds stay withheld in the `against` path too."""
        if against is None:
            return cls(spec, None)
        return cls(spec, against.replace(withhold=against.withhold | spec.withhold))


@dataclass(frozen=True)
class ScoredRow:
    """One audited row: its prediction on the executed path (and the `against` path), how it was read, its cost.

    FLOPs are the row's own: the path at the row's own token count (each window's, for a text read in windows), not
    at the padded length of the batch it happened to run in, so a row costs the same in any batch and equals
    `decide` on its text alone; `full_flops` is the full path's at the same token counts. With an exit policy on the
    executed path, `exit` says where the row stopped (the deepest of its windows) and `flops` counts only the layers
    and exit heads that ran for it.
    """

    row: int
    executed: Prediction
    against: Prediction | None
    tokens: int
    kept: int
    windows: int
    flops: int
    full_flops: int
    against_flops: int
    withheld: dict[str, int]  # spans withheld per group of the executed path (groups with none left out)
    exit: RowExit | None = None

    @property
    def truncated(self) -> bool:
        return self.kept < self.tokens

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ScoredRow:
        def prediction(value: dict[str, Any] | None) -> Prediction | None:
            return None if value is None else Prediction(value["label"], value["probs"], tuple(value["logits"]))

        executed = prediction(data["executed"])
        assert executed is not None, "a scored row always has the executed path's prediction"
        stopped = data.get("exit")
        row_exit = None if stopped is None else RowExit(**{**stopped, "layer_tokens": tuple(stopped["layer_tokens"])})
        return cls(**{**data, "executed": executed, "against": prediction(data["against"]), "exit": row_exit})


def _prepare_ids(
    engine: PathEngine, texts: Sequence[str], spec: PathSpec
) -> tuple[list[list[int]], list[dict[str, int]]]:
    """Withhold the path's groups and tokenize all texts in one tokenizer call (untruncated, specials added).

    Returns the token ids and, per text, how many spans of each group were withheld.
    """
    model = engine.model
    if not texts:
        return [], []
    counts: list[dict[str, int]] = [{} for _ in texts]
    if spec.withhold:
        withheld = model.groups.withhold_many(texts, spec.withhold, model.placeholder)  # NER in one batch
        texts, counts = [w.text for w in withheld], [w.counts for w in withheld]
    return encode_ids(model.tokenizer, texts), counts  # a typed "[SEP]" is text, as in `PathEngine.prepare`


@dataclass
class _RowScores:
    """What the passes of one row produced so far."""

    executed: Prediction | None = None
    against: Prediction | None = None
    kept: int = 0
    windows: int = 1
    flops: int = 0
    full_flops: int = 0
    against_flops: int = 0
    exit: RowExit | None = None


def score_rows(
    engine: PathEngine,
    rows: Sequence[int],
    texts: Sequence[str],
    plan: AuditPlan,
    batch_size: int,
    on_batch: Callable[[int], None] | None = None,
) -> list[ScoredRow]:
    """Score texts in batches of similar length, in the input's order, read exactly as `PathEngine.decide` reads
    them (`core.run.runner`: windows for texts longer than the model's window). `on_batch(scored)` is called after
    every batch with how many of `texts` are scored so far."""
    model = engine.model
    full = PathSpec.full(model.template)
    ids, withheld = _prepare_ids(engine, texts, plan.spec)
    against_ids = ids
    if plan.against is not None and plan.against.withhold != plan.spec.withhold:
        against_ids, _ = _prepare_ids(engine, texts, plan.against)
    marks = {spec: marks_for_texts(model, texts, spec) for spec in (plan.spec, plan.against) if spec is not None}
    scores = [_RowScores() for _ in texts]
    order = np.argsort([len(x) for x in ids], kind="stable").tolist()
    for start in range(0, len(order), batch_size):
        index = order[start : start + batch_size]
        for specs in _passes(engine, plan):
            pass_ids = ids if specs[0] is plan.spec else against_ids
            pass_marks = _pass_marks(specs, marks)
            run = engine.run(specs, [pass_ids[i] for i in index], marks=_rows_of(pass_marks, index))
            for spec, outputs, exits in zip(specs, run.outputs, run.exits, strict=True):
                predictions = model.predictions(outputs)
                for n, (i, prediction, text) in enumerate(zip(index, predictions, run.texts, strict=True)):
                    window_exits = None if exits is None else exits[n]
                    flops = _text_flops(engine, spec, text.piece_tokens, window_exits)
                    if spec is plan.spec:
                        full_flops = sum(model.path_flops(full, tokens) for tokens in text.piece_tokens)
                        scores[i].executed, scores[i].flops, scores[i].full_flops = prediction, flops, full_flops
                        scores[i].kept, scores[i].windows = text.kept, text.windows
                        scores[i].exit = None if window_exits is None else max(window_exits, key=_position)
                    else:
                        scores[i].against, scores[i].against_flops = prediction, flops
        if on_batch is not None:
            on_batch(start + len(index))
    return [
        _scored_row(row, ids[i], scores[i], {group: n for group, n in withheld[i].items() if n})
        for i, row in enumerate(rows)
    ]


def _scored_row(row: int, ids: Sequence[int], scores: _RowScores, withheld: dict[str, int]) -> ScoredRow:
    assert scores.executed is not None, f"row {row} was not scored on the executed path"
    return ScoredRow(
        row=int(row),
        executed=scores.executed,
        against=scores.against,
        tokens=len(ids),
        kept=scores.kept,
        windows=scores.windows,
        flops=scores.flops,
        full_flops=scores.full_flops,
        against_flops=scores.against_flops,
        withheld=withheld,
        exit=scores.exit,
    )


def _text_flops(
    engine: PathEngine, spec: PathSpec, piece_tokens: Sequence[int], window_exits: Sequence[RowExit] | None
) -> int:
    """One text's FLOPs on `spec` at its own token count per piece (window); when it stopped early, only the layers
    and exit heads that ran for it (each layer at the piece's own tokens, not the batch's padded length)."""
    model = engine.model
    if window_exits is None:
        return sum(model.path_flops(spec, tokens) for tokens in piece_tokens)
    return sum(
        model.row_exit_flops(spec, replace(row_exit, layer_tokens=(tokens,) * len(row_exit.layer_tokens)))
        for row_exit, tokens in zip(window_exits, piece_tokens, strict=True)
    )


def _position(row_exit: RowExit) -> int:
    return row_exit.position


def _passes(engine: PathEngine, plan: AuditPlan) -> list[list[PathSpec]]:
    """Runs to make per batch: one when both paths read the same input on the same variant (the layer-prefix trie
    then shares their common layers), else one per path. The executed path comes first."""
    if plan.against is None:
        return [[plan.spec]]
    if (
        plan.spec.withhold == plan.against.withhold
        and _same_variant(engine, plan.spec, plan.against)
        and _share_marks(plan.spec, plan.against)
    ):
        return [[plan.spec, plan.against]]
    return [[plan.spec], [plan.against]]


def _share_marks(one: PathSpec, other: PathSpec) -> bool:
    """Whether two paths can run on one batch's token marks: at most one programs attention, or both mark alike."""
    return not (has_program(one) and has_program(other)) or program_groups(one) == program_groups(other)


def _pass_marks(
    specs: Sequence[PathSpec], marks: dict[PathSpec, list[tuple[int, ...]] | None]
) -> list[tuple[int, ...]] | None:
    """The token marks a run of `specs` carries: those of its programmed path (paths without a program ignore them)."""
    return next((marks[spec] for spec in specs if marks[spec] is not None), None)


def _rows_of(marks: list[tuple[int, ...]] | None, index: Sequence[int]) -> list[tuple[int, ...]] | None:
    return None if marks is None else [marks[i] for i in index]


def _same_variant(engine: PathEngine, one: PathSpec, other: PathSpec) -> bool:
    model = engine.model
    return (model.resolve_device(one.device), one.precision) == (model.resolve_device(other.device), other.precision)
