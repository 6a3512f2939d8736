"""Deciding texts along a path: withhold input groups, tokenize, run the executor, measure, and report.

The returned `Decision` is plain data (Python floats and strings), never live tensors.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import torch

from core.cost import Cost, path_flops, row_exit_flops
from core.errors import InputError
from core.executor import Batch, pad_ids
from core.exit_policy import RowExit
from core.groups import WithheldText
from core.model import LoadedModel
from core.paths import PathSpec
from core.windows import run_windowed

MAX_TEXT_CHARS = 200_000


@dataclass(frozen=True)
class TokenInfo:
    """How much of the text reached the model: `kept` of `total` tokens (specials included)."""

    total: int
    kept: int
    windows: int = 1  # overlapping windows the text was read in (see core.windows)

    @property
    def truncated(self) -> bool:
        return self.kept < self.total


@dataclass(frozen=True)
class PreparedText:
    """Text after withholding, and its token ids (untruncated, with special tokens)."""

    withheld: WithheldText
    token_ids: tuple[int, ...]


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
    exit: dict[str, Any] | None = None  # with an exit policy: where the path stopped and what fired (RowExit)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["logits"] = list(self.logits)
        data["tokens"] = {**asdict(self.tokens), "truncated": self.tokens.truncated}
        data["notes"] = list(self.notes)
        return data


class PathEngine:
    """Decides texts on one loaded model. Thread-safe: it holds no per-request state."""

    def __init__(self, model: LoadedModel) -> None:
        self.model = model

    def parse(self, path: str) -> PathSpec:
        return PathSpec.parse(path, self.model.template)

    def prepare(self, text: str, spec: PathSpec) -> PreparedText:
        """Validate the text, replace withheld spans, tokenize; the withheld text goes no further than here."""
        if not isinstance(text, str) or not text.strip():
            raise InputError("the text is empty: type or paste the text to decide")
        if len(text) > MAX_TEXT_CHARS:
            raise InputError(
                f"the text has {len(text):,} characters, more than {MAX_TEXT_CHARS:,}: split it into parts "
                "or audit it as a CSV file with one part per row"
            )
        withheld = self.model.groups.withhold(text, spec.withhold, self.model.placeholder)
        ids = self.model.tokenizer(withheld.text, add_special_tokens=True, truncation=False)["input_ids"]
        return PreparedText(withheld, tuple(ids))

    def batch(self, token_lists: Sequence[Sequence[int]], device: torch.device) -> tuple[Batch, list[TokenInfo]]:
        return pad_batch(token_lists, self.model.window, int(self.model.tokenizer.pad_token_id or 0), device)

    def decide(self, text: str, spec: PathSpec) -> Decision:
        return self.decide_batch([text], spec)[0]

    def decide_batch(self, texts: Sequence[str], spec: PathSpec) -> list[Decision]:
        """Decide several texts together (one padded batch); latency is the batch's wall time per text."""
        if not texts:
            return []
        started = time.perf_counter()
        prepared = [self.prepare(text, spec) for text in texts]
        variant = self.model.variant(spec.device, spec.precision)
        pad_id = int(self.model.tokenizer.pad_token_id or 0)
        with torch.inference_mode():
            run = run_windowed(variant, spec, [p.token_ids for p in prepared], self.model.window, pad_id)
            logits = run.logits  # (B, C)
            probs = torch.softmax(logits, dim=-1).cpu()
        infos = [TokenInfo(len(p.token_ids), len(p.token_ids), n) for p, n in zip(prepared, run.windows, strict=True)]
        if variant.device.type == "cuda":
            torch.cuda.synchronize(variant.device)
        latency_ms = (time.perf_counter() - started) * 1000 / len(texts)
        config = self.model.config
        flops_per_text = sum(
            path_flops(spec, rows, tokens, config.hidden_size, _ffn_size(config), len(self.model.labels))
            for rows, tokens in run.shapes
        ) // len(texts)
        cost = Cost(
            layers_run=len(spec.layers),
            heads_run=spec.heads_run,
            flops=flops_per_text,
            latency_ms=round(latency_ms, 3),
            device=str(variant.device.type),
            precision=spec.precision,
        )
        path_id = spec.path_id(self.model.fingerprint)
        decisions = [
            self._decision(row_probs, row_logits, spec, path_id, cost, p, info)
            for row_probs, row_logits, p, info in zip(probs, logits.cpu(), prepared, infos, strict=True)
        ]
        if run.exits is None:
            return decisions
        return [self._with_exit(d, spec, row_exits) for d, row_exits in zip(decisions, run.exits, strict=True)]

    def _with_exit(self, decision: Decision, spec: PathSpec, window_exits: Sequence[RowExit]) -> Decision:
        """An adaptive decision: its cost counts what ran for this text; it records where it stopped and why."""
        config = self.model.config
        sizes = (config.hidden_size, _ffn_size(config), len(self.model.labels))
        deepest = max(window_exits, key=lambda e: e.position)
        cost = replace(
            decision.cost,
            layers_run=deepest.position + 1,
            heads_run=spec.stopped_at(deepest.position).heads_run,
            flops=sum(row_exit_flops(spec, e, *sizes) for e in window_exits),
        )
        notes = decision.notes
        if len(window_exits) > 1:
            stops = ", ".join(str(e.layer) for e in window_exits)
            notes = (*notes, f"each window exits on its own (after layers {stops}); the deepest is recorded")
        return replace(decision, cost=cost, exit=deepest.to_json(), notes=notes)

    def _decision(
        self,
        probs: torch.Tensor,
        logits: torch.Tensor,
        spec: PathSpec,
        path_id: str,
        cost: Cost,
        prepared: PreparedText,
        info: TokenInfo,
    ) -> Decision:
        labels = self.model.labels
        notes = []
        if info.windows > 1:
            notes.append(
                f"read in {info.windows} overlapping windows of {self.model.window} tokens; the decision is the "
                "mean of the window logits weighted by each window's token count"
            )
        return Decision(
            decision_id=uuid.uuid4().hex,
            label=labels[int(probs.argmax())],
            probs={label: round(float(p), 6) for label, p in zip(labels, probs, strict=True)},
            logits=tuple(float(x) for x in logits),
            path=spec.canonical,
            path_id=path_id,
            model_fingerprint=self.model.fingerprint,
            cost=cost,
            withheld=prepared.withheld.counts,
            tokens=info,
            notes=tuple(notes),
        )


def pad_batch(
    token_lists: Sequence[Sequence[int]], window: int, pad_id: int, device: torch.device
) -> tuple[Batch, list[TokenInfo]]:
    """Pad to the longest text, truncating each to `window` tokens (keeping the final special token)."""
    kept_lists = [list(ids) if len(ids) <= window else [*ids[: window - 1], ids[-1]] for ids in token_lists]
    infos = [TokenInfo(len(full), len(kept)) for full, kept in zip(token_lists, kept_lists, strict=True)]
    return pad_ids(kept_lists, pad_id, device), infos


def _ffn_size(config: Any) -> int:
    return int(getattr(config, "intermediate_size", None) or config.hidden_dim)
