"""Deciding texts along a path: withhold input groups, tokenize, run the executor, measure, and report.

The returned `Decision` is plain data (Python floats and strings), never live tensors.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import torch

from core.errors import check_text
from core.model import Cost, LoadedModel, Prediction, encode
from core.path import PathSpec, RowExit, WithheldText
from core.run.program_marks import program_notes, token_marks
from core.run.runner import PathsRun, run_token_lists


@dataclass(frozen=True)
class TokenInfo:
    """How much of the text reached the model: `kept` of `total` tokens (specials included)."""

    total: int
    kept: int
    windows: int = 1  # overlapping windows the text was read in (see core.run.windows)

    @property
    def truncated(self) -> bool:
        return self.kept < self.total


@dataclass(frozen=True)
class PreparedText:
    """Text after withholding, and its token ids (untruncated, with special tokens)."""

    withheld: WithheldText
    token_ids: tuple[int, ...]
    marks: tuple[int, ...] | None = None  # programmed-attention marks per token (core.run.program_marks)


@dataclass(frozen=True)
class Decision:
    decision_id: str
    label: str
    probs: dict[str, float]
    logits: tuple[float, ...]
    path: str
    path_id: str
    model_fingerprint: str
    cost: Cost
    withheld: dict[str, int]
    tokens: TokenInfo
    notes: tuple[str, ...] = field(default=())
    exit: RowExit | None = None  # with an exit policy: where the path stopped and what fired
    model: str = ""  # the model's name (a shipped name such as "banking77", or its directory's), beside its fingerprint

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["logits"] = list(self.logits)
        data["tokens"] = {**asdict(self.tokens), "truncated": self.tokens.truncated}
        data["notes"] = list(self.notes)
        data["exit"] = None if self.exit is None else self.exit.to_json()
        return data


class PathEngine:
    """Decides texts on one loaded model. Thread-safe: it holds no per-request state."""

    def __init__(self, model: LoadedModel) -> None:
        self.model = model

    def parse(self, path: str) -> PathSpec:
        return PathSpec.parse(path, self.model.template)

    def prepare(self, text: str, spec: PathSpec) -> PreparedText:
        """Validate the text, replace withheld spans, tokenize; the withheld text goes no further than here."""
        check_text(text)  # the one rule of every face: not empty, some content, valid Unicode, not too long
        withheld = self.model.groups.withhold(text, spec.withhold, self.model.placeholder)
        encoded = encode(self.model.tokenizer, withheld.text)  # a typed "[SEP]" is text, not a separator
        marks = token_marks(self.model.groups, spec, withheld.text, encoded)
        return PreparedText(withheld, encoded.ids, marks)

    def run(
        self,
        specs: Sequence[PathSpec],
        token_lists: Sequence[Sequence[int]],
        first_window_only: bool = False,
        before_layer: Callable[[], None] | None = None,
        marks: Sequence[Sequence[int]] | None = None,
    ) -> PathsRun:
        """Every spec on every text (prepared for the specs' withheld groups) in one batched run; see `core.run.runner`.

        The specs must share device and precision. Long texts are read in windows unless `first_window_only`.
        `marks`: the texts' programmed-attention marks (`marks_of`), windowed with the ids; None without a program.
        """
        model = self.model
        variant = model.variant(specs[0].device, specs[0].precision)
        assert all(model.variant(s.device, s.precision) is variant for s in specs), "specs must share a variant"
        return run_token_lists(
            variant,
            specs,
            token_lists,
            model.window,
            model.pad_id,
            first_window_only=first_window_only,
            before_layer=before_layer,
            marks=marks,
        )

    def decide(self, text: str, spec: PathSpec) -> Decision:
        return self.decide_batch([text], spec)[0]

    def decide_batch(self, texts: Sequence[str], spec: PathSpec) -> list[Decision]:
        """Decide several texts together (one padded batch); latency is the batch's wall time per text."""
        if not texts:
            return []
        self.model.variant(spec.device, spec.precision)  # built once (int8 calibrates): no part of any latency
        started = time.perf_counter()
        prepared = [self.prepare(text, spec) for text in texts]
        run = self.run([spec], [p.token_ids for p in prepared], marks=marks_of(prepared))
        device = torch.device(self.model.resolve_device(spec.device))
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        latency_ms = (time.perf_counter() - started) * 1000 / len(texts)
        flops = sum(self.model.path_flops(spec, tokens) for text in run.texts for tokens in text.padded_tokens)
        cost = Cost(
            layers_run=len(spec.layers),
            heads_run=spec.heads_run,
            flops=flops // len(texts),
            latency_ms=round(latency_ms, 3),
            device=device.type,
            precision=spec.precision,
        )
        path_id = spec.path_id(self.model.fingerprint)
        predictions = self.model.predictions(run.outputs[0])
        decisions = [
            self._decision(prediction, spec, path_id, cost, p, TokenInfo(text.tokens, text.kept, text.windows))
            for prediction, p, text in zip(predictions, prepared, run.texts, strict=True)
        ]
        exits = run.exits[0]
        if exits is None:
            return decisions
        return [self._with_exit(d, spec, text_exits) for d, text_exits in zip(decisions, exits, strict=True)]

    def _with_exit(self, decision: Decision, spec: PathSpec, window_exits: Sequence[RowExit]) -> Decision:
        """An adaptive decision: its cost counts what ran for this text; it records where it stopped and why."""
        deepest = max(window_exits, key=lambda e: e.position)
        cost = replace(
            decision.cost,
            layers_run=deepest.position + 1,
            heads_run=spec.stopped_at(deepest.position).heads_run,
            flops=sum(self.model.row_exit_flops(spec, e) for e in window_exits),
        )
        notes = decision.notes
        if len(window_exits) > 1:
            stops = ", ".join(str(e.layer) for e in window_exits)
            notes = (*notes, f"each window exits on its own (after layers {stops}); the deepest is recorded")
        return replace(decision, cost=cost, exit=deepest, notes=notes)

    def _decision(
        self,
        prediction: Prediction,
        spec: PathSpec,
        path_id: str,
        cost: Cost,
        prepared: PreparedText,
        info: TokenInfo,
    ) -> Decision:
        return Decision(
            decision_id=uuid.uuid4().hex,
            label=prediction.label,
            probs=prediction.probs,
            logits=prediction.logits,
            path=spec.canonical,
            path_id=path_id,
            model_fingerprint=self.model.fingerprint,
            model=self.model.name,
            cost=cost,
            withheld=prepared.withheld.counts,
            tokens=info,
            notes=window_notes(info.windows, self.model.window) + tuple(program_notes(spec, prepared.marks)),
        )


def window_notes(windows: int, window: int) -> tuple[str, ...]:
    """The note a decision read in several windows carries (none for a text that fit in one)."""
    if windows <= 1:
        return ()
    return (
        f"read in {windows} overlapping windows of {window} tokens; the decision is the mean of the window logits "
        "weighted by each window's token count",
    )


def marks_of(prepared: Sequence[PreparedText]) -> list[tuple[int, ...]] | None:
    """The programmed-attention marks of prepared texts (None when the path programs no attention)."""
    marks = [p.marks for p in prepared]
    return None if any(m is None for m in marks) else [m for m in marks if m is not None]
