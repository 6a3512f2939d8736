"""The paths not taken: the comparison set of a decision, computing it with shared work, and comparing it.

Default set: the full path (unless the executed path is full) and every shorter depth with an exit head, and, when
the executed path programs attention (`block=`/`emphasize=`), the same path without the program. Added
paths are kept as given, except that the executed path's withheld groups are always withheld too, and a path
that leaves precision/device at the default takes the executed path's. Paths with the same input and variant
run as one batch through a prefix trie (`core.run.executor.run_paths`): all depths cost one pass.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from core.explain import ExplanationSet
from core.model import Cost
from core.path import PathSpec, RowExit, has_program, program_groups
from core.run import PathEngine, marks_of
from core.store import AlternativeRecord, AlternativeResult, DecisionRecord, DecisionStore, StoreError, resume_command

logger = logging.getLogger(__name__)

TOP_TOKENS = 5
_TOKEN_KEYS = frozenset({"tokens", "token", "words", "word", "text", "units"})


def comparison_set(executed: PathSpec, extra: Sequence[PathSpec] = ()) -> tuple[PathSpec, ...]:
    """The alternatives of `executed`: full and every shorter depth, then `extra`; no duplicates, not itself."""
    template = executed.template
    exits = template.exit_layers if template.exit_layers is not None else range(template.num_layers)
    carried = {"withhold": executed.withhold, "precision": executed.precision, "device": executed.device}
    full = PathSpec.full(template).replace(**carried)
    unprogrammed = [executed.replace(block=None, emphasize=None)] if has_program(executed) else []
    defaults = [
        *unprogrammed,
        full,
        *(full.replace(layers=tuple(range(depth + 1))) for depth in sorted(exits) if depth + 1 < len(full.layers)),
    ]
    added = [
        path.replace(
            withhold=path.withhold | executed.withhold,
            precision=path.precision if path.precision != "fp32" else executed.precision,
            device=path.device if path.device != "auto" else executed.device,
        )
        for path in extra
    ]
    chosen: dict[str, PathSpec] = {}
    for path in [*defaults, *added]:
        if path.canonical != executed.canonical:
            chosen.setdefault(path.canonical, path)
    return tuple(chosen.values())


def compute_alternatives(
    engine: PathEngine,
    texts: Sequence[str],
    specs: Sequence[PathSpec],
    before_layer: Callable[[], None] | None = None,
) -> list[list[AlternativeResult]]:
    """Outputs of every spec on every text: [text][spec]. Specs sharing input and variant run as one trie pass.

    Texts are read as `PathEngine.decide` reads them (in windows when longer than the model's window), so an
    alternative equals deciding its path directly. FLOPs are those of the text's own (unpadded) windows.
    """
    model = engine.model
    results: list[list[AlternativeResult | None]] = [[None] * len(specs) for _ in texts]
    groups: dict[tuple[frozenset[str], str, str, tuple[str | None, str | None]], list[int]] = {}
    for index, spec in enumerate(specs):
        groups.setdefault((spec.withhold, spec.precision, spec.device, program_groups(spec)), []).append(index)
    for indices in groups.values():
        group = [specs[i] for i in indices]
        prepared = [engine.prepare(text, group[0]) for text in texts]
        started = time.perf_counter()
        run = engine.run(group, [p.token_ids for p in prepared], before_layer=before_layer, marks=marks_of(prepared))
        pass_ms = (time.perf_counter() - started) * 1000 / len(texts)
        predictions = [model.predictions(outputs) for outputs in run.outputs]  # [spec][text]
        device = model.resolve_device(group[0].device)
        for row, text in enumerate(run.texts):
            row_exits = [None if spec_exits is None else spec_exits[row] for spec_exits in run.exits]
            flops = [
                sum(model.path_flops(s, tokens) for tokens in text.piece_tokens)
                if e is None
                else sum(model.row_exit_flops(s, window_exit) for window_exit in e)
                for s, e in zip(group, row_exits, strict=True)
            ]
            for spec_index, spec, spec_predictions, spec_flops, window_exits in zip(
                indices, group, predictions, flops, row_exits, strict=True
            ):
                deepest = _deepest(window_exits)
                ran = spec if deepest is None else spec.stopped_at(deepest.position)
                cost = Cost(
                    layers_run=len(ran.layers),
                    heads_run=ran.heads_run,
                    flops=spec_flops,
                    latency_ms=round(pass_ms * spec_flops / sum(flops), 3),
                    device=device,
                    precision=spec.precision,
                )
                prediction = spec_predictions[row]
                stopped = {} if deepest is None else {"exit": deepest.to_json()}
                results[row][spec_index] = AlternativeResult(
                    path_id=spec.path_id(model.fingerprint),
                    label=prediction.label,
                    probs=prediction.probs,
                    logits=prediction.logits,
                    cost={**cost.to_json(), "latency_estimated": True, **stopped},
                )
    return [[result for result in row if result is not None] for row in results]


def _deepest(window_exits: Sequence[RowExit] | None) -> RowExit | None:
    """Where an adaptive path stopped for a text: the deepest stop of its windows (None for a fixed path)."""
    return None if window_exits is None else max(window_exits, key=lambda e: e.position)


# -- writing a computed set when the store refuses it ---------------------------------------------------------------
@dataclass
class _Unwritten:
    """A decision whose alternatives were computed, or failed (`failure`: `error` says why), and could not be written.
    `results` None: what is left to record is that they failed."""

    decision_id: str
    results: list[AlternativeResult] | None
    error: str  # the computation's failure, or the store's last refusal
    failure: bool
    since: float
    next_try: float
    delay: float


class PendingWrites:
    """Comparison sets the store refused (full, read-only, locked), written again when it recovers.

    A write is retried after `first_delay_s`, then after twice as long each time, up to `max_delay_s`. A set still
    unwritten after `give_up_s`, or beyond the newest `max_kept` (their results are dropped oldest first), is marked
    `failed` with the reason and the command that recomputes it, which is itself retried until the store takes it;
    so no alternative stays `pending` with a live owner. Used by the service's one background thread only.
    """

    def __init__(
        self,
        store: DecisionStore,
        give_up_s: float = 600.0,
        first_delay_s: float = 1.0,
        max_delay_s: float = 60.0,
        max_kept: int = 1000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store, self.clock = store, clock
        self.give_up_s, self.first_delay_s, self.max_delay_s, self.max_kept = (
            give_up_s,
            first_delay_s,
            max_delay_s,
            max_kept,
        )
        self._waiting: dict[str, _Unwritten] = {}

    def __len__(self) -> int:
        return len(self._waiting)

    def add(self, decision_id: str, results: list[AlternativeResult] | None, error: str) -> None:
        """Keep a refused write: `results` to complete the alternatives with (`error`: the store's refusal), or None
        to mark them failed with `error` (the computation's failure)."""
        now = self.clock()
        first = now + self.first_delay_s
        self._waiting[decision_id] = _Unwritten(
            decision_id, results, error, results is None, now, first, self.first_delay_s
        )
        kept = [item for item in self._waiting.values() if item.results is not None]
        for oldest in kept[: max(0, len(kept) - self.max_kept)]:
            oldest.results = None  # memory stays bounded: what is left to write is that they failed

    def due_in(self) -> float | None:
        """Seconds until the next retry is due (0 when one is), None when nothing waits."""
        if not self._waiting:
            return None
        return max(0.0, min(item.next_try for item in self._waiting.values()) - self.clock())

    def retry(self, before_write: Callable[[], None] = lambda: None, everything: bool = False) -> int:
        """Try every write that is due (or `everything`); returns how many the store took."""
        now, written = self.clock(), 0
        for item in [i for i in self._waiting.values() if everything or i.next_try <= now]:
            before_write()
            try:
                self._write(item, now)
            except StoreError as exc:
                item.error = item.error if item.failure else str(exc)
                item.delay = min(item.delay * 2, self.max_delay_s)
                item.next_try = now + item.delay
                continue
            del self._waiting[item.decision_id]
            written += 1
        return written

    def _write(self, item: _Unwritten, now: float) -> None:
        if item.results is not None and now - item.since < self.give_up_s:
            self.store.complete(item.decision_id, item.results)
            logger.info("alternatives of decision %s stored on a retry", item.decision_id)
            return
        reason = item.error
        if not item.failure:
            reason = (
                f"computed, but not stored for {now - item.since:.0f} s ({item.error}); recompute them with "
                f"`{resume_command(item.decision_id)}`"
            )
        self.store.fail(item.decision_id, reason)
        logger.warning("alternatives of decision %s marked failed: %s", item.decision_id, reason[:200])


# -- comparing --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TopTokenChange:
    """How the top-attributed units of one explanation method moved between the executed path and another."""

    method: str
    executed: tuple[str, ...]
    alternative: tuple[str, ...]

    @property
    def kept(self) -> tuple[str, ...]:
        return tuple(t for t in self.executed if t in self.alternative)

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "executed": list(self.executed),
            "alternative": list(self.alternative),
            "kept": list(self.kept),
            "dropped": [t for t in self.executed if t not in self.alternative],
            "added": [t for t in self.alternative if t not in self.executed],
        }


@dataclass(frozen=True)
class PathOutcome:
    """One path of a decision as compared with the executed one (deltas are alternative minus executed)."""

    path: str
    path_id: str
    executed: bool
    status: str
    label: str | None = None
    probs: dict[str, float] | None = None
    flip: bool | None = None
    prob_change: dict[str, float] | None = None
    cost: dict[str, Any] | None = None
    cost_saved_flops: int | None = None  # this path's FLOPs minus the executed path's: what executing saved
    cost_saved_fraction: float | None = None
    top_tokens: tuple[TopTokenChange, ...] = ()
    error: str | None = None
    estimated_ms: float | None = (
        None  # this path's FLOPs at the executed run's ms per FLOP on this text (see TIME_BASIS)
    )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["top_tokens"] = [change.to_json() for change in self.top_tokens]
        return data


# Every path of a comparison is timed one way: the executed path's measured run on this text gives ms per FLOP, and
# each path's time is its FLOPs at that rate. Background paths share batches (their `cost.latency_ms` is a share
# of a batch's time, not a measurement), so recorded times do not compare like with like; this estimate does, and
# a path that does less work never shows more time. It ignores what FLOPs do not count (precision, device).
TIME_BASIS = "estimated: each path's FLOPs × the executed run's measured ms per FLOP on this text"


def estimated_ms(flops: int | None, measured_ms: float | None, measured_flops: int | None) -> float | None:
    """`flops` at the rate of one measured run (`measured_ms` for `measured_flops`), or None if either is unknown."""
    if flops is None or measured_ms is None or not measured_flops:
        return None
    return round(flops * measured_ms / measured_flops, 3)


@dataclass(frozen=True)
class Comparison:
    """The executed path and every stored alternative; `pending` lists paths still being computed."""

    decision_id: str
    executed: PathOutcome
    alternatives: tuple[PathOutcome, ...]

    @property
    def pending(self) -> tuple[str, ...]:
        return tuple(alt.path for alt in self.alternatives if alt.status == "pending")

    @property
    def flips(self) -> int:
        return sum(1 for alt in self.alternatives if alt.flip)

    def to_json(self) -> dict[str, Any]:
        return {
            "decision_id": self.decision_id,
            "executed": self.executed.to_json(),
            "alternatives": [alt.to_json() for alt in self.alternatives],
            "flips": self.flips,
            "pending": list(self.pending),
            "complete": not self.pending,
            "time_basis": TIME_BASIS,
        }


def compare_record(record: DecisionRecord) -> Comparison:
    """Compare a stored decision with each of its stored alternatives; every path's time is `estimated_ms`."""
    executed = PathOutcome(
        path=record.path,
        path_id=record.path_id,
        executed=True,
        status="done",
        label=record.label,
        probs=record.probs,
        cost=record.cost,
        estimated_ms=_estimate(record, record.cost),
    )
    return Comparison(record.decision_id, executed, tuple(_outcome(record, alt) for alt in record.alternatives))


def _estimate(record: DecisionRecord, cost: dict[str, Any] | None) -> float | None:
    """A path's time at the rate of the executed path's measured run (`estimated_ms`)."""
    flops = None if cost is None else cost.get("flops")
    return estimated_ms(flops, record.cost.get("latency_ms"), record.cost.get("flops"))


def _outcome(record: DecisionRecord, alt: AlternativeRecord) -> PathOutcome:
    if alt.status != "done" or alt.probs is None or alt.cost is None:
        return PathOutcome(alt.path, alt.path_id, False, alt.status, error=alt.error)
    executed_flops = int(record.cost["flops"])
    saved = int(alt.cost["flops"]) - executed_flops
    return PathOutcome(
        path=alt.path,
        path_id=alt.path_id,
        executed=False,
        status="done",
        label=alt.label,
        probs=alt.probs,
        flip=alt.label != record.label,
        prob_change={label: round(alt.probs[label] - p, 6) for label, p in record.probs.items()},
        cost=alt.cost,
        cost_saved_flops=saved,
        cost_saved_fraction=round(saved / int(alt.cost["flops"]), 4) if alt.cost["flops"] else None,
        top_tokens=_top_token_changes(record.explanations, alt.explanations),
        estimated_ms=_estimate(record, alt.cost),
    )


def top_tokens(explanations: ExplanationSet, method: str, k: int = TOP_TOKENS) -> tuple[str, ...]:
    """The `k` units with the largest absolute scores of `method`, as `text@position` (`#position` where the text
    was not kept)."""
    scores = explanations.methods[method].scores
    order = sorted(range(len(scores)), key=lambda i: -abs(scores[i]))[:k]
    return tuple(f"{explanations.units[i].text or f'#{i}'}@{i}" for i in order)


def _top_token_changes(
    executed: dict[str, Any] | None, alternative: dict[str, Any] | None
) -> tuple[TopTokenChange, ...]:
    if not executed or not alternative:
        return ()
    mine, theirs = ExplanationSet.from_json(executed), ExplanationSet.from_json(alternative)
    return tuple(
        TopTokenChange(method, top_tokens(mine, method), top_tokens(theirs, method))
        for method in sorted(mine.methods.keys() & theirs.methods.keys())
    )


def redact_tokens(value: Any) -> Any:
    """A copy of an explanation with every unit's text replaced by its position: stored when text is not kept."""
    if isinstance(value, dict):
        return {key: _redact_field(key, item) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_tokens(item) for item in value]
    return value


def _redact_field(key: str, item: Any) -> Any:
    if key not in _TOKEN_KEYS:
        return redact_tokens(item)
    if isinstance(item, list):
        return [f"#{i}" if isinstance(unit, str) else redact_tokens(unit) for i, unit in enumerate(item)]
    return None if isinstance(item, str) else redact_tokens(item)
