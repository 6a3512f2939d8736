"""The service: decide and record at once, compute the paths not taken in the background, compare, reproduce.

`DecisionService(engine, store)` is the one entry point for the CLI, the HTTP API and the dashboard. `decide` returns
the primary answer as soon as it is computed and stored; the comparison set is queued for the background worker
(`core.service.worker`), which yields to primary decisions and explanations between layers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any

from core.advise import Importance, head_importance
from core.errors import InputError, check_text
from core.explain import ADAPTIVE_IG, ALL_METHODS, IGOptions, Progress
from core.path import PathSpec
from core.run import Decision, PairTiming, PathEngine, decide_full_and_time
from core.service.comparison import (
    Comparison,
    compare_record,
    comparison_set,
    compute_alternatives,
    redact_tokens,
)
from core.service.worker import ComparisonJob, ComparisonWorker, ForegroundGate, explain_json
from core.store import (
    AlternativeRecord,
    DecisionRecord,
    DecisionStore,
    StoreError,
    model_label,
    model_names,
    remember_model,
    worker_id,
)

logger = logging.getLogger(__name__)

LOGIT_TOLERANCE = {"fp32": 1e-4, "bf16": 5e-2, "fp16": 1e-2, "int8": 1e-3}
_POLL_S = 0.05


@dataclass(frozen=True)
class RecordStatus:
    """What happened to the record of one decision: `stored`, `failed` (with the error) or `off`."""

    status: str
    alternatives_queued: int = 0
    error: str | None = None


@dataclass(frozen=True)
class RecordedDecision:
    """A decision with what happened to its record, its explanations and, when asked for, the full-path reference.

    `spec` is the path it was decided on (parsed once); `reference` is the decision of the full path (every layer
    and head, same input groups, precision and device) on the same text, for the cost comparison, and `timing`
    both paths' wall times taken alike (`core.run.timing`).
    """

    decision: Decision
    record: RecordStatus
    explanations: dict[str, Any] | None = None
    spec: PathSpec | None = None
    reference: Decision | None = None
    keep_text: bool = False
    timing: PairTiming | None = None

    def to_json(self) -> dict[str, Any]:
        data = self.decision.to_json()
        data["record"] = asdict(self.record)
        if self.explanations is not None:
            data["explanations"] = self.explanations
        if self.reference is not None:
            data["reference"] = self.reference.to_json()
        if self.timing is not None:
            data["timing"] = asdict(self.timing)
        return data


@dataclass(frozen=True)
class Reproduction:
    """A stored decision re-run: `matches` when the label is the same and logits agree within `tolerance`."""

    decision_id: str
    path: str
    label: str
    stored_label: str
    max_abs_logit_diff: float
    tolerance: float
    alternatives_checked: int
    alternatives_matching: int

    @property
    def matches(self) -> bool:
        return (
            self.label == self.stored_label
            and self.max_abs_logit_diff <= self.tolerance
            and self.alternatives_matching == self.alternatives_checked
        )

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "matches": self.matches}


def compare_decision(store: DecisionStore, decision_id: str, wait_s: float = 0.0) -> Comparison:
    """Compare a stored decision with its alternatives, waiting up to `wait_s` for pending ones (any process)."""
    deadline = time.monotonic() + wait_s
    record = store.get(decision_id)
    while record.comparison_status == "pending" and time.monotonic() < deadline:
        time.sleep(_POLL_S)
        record = store.get(decision_id)
    return compare_record(record)


class DecisionService:
    """Decide, record and compare on one engine and one store (None: nothing is recorded)."""

    def __init__(self, engine: PathEngine, store: DecisionStore | None, max_batch: int = 16) -> None:
        self.engine = engine
        self.store = store
        self.gate = ForegroundGate()
        self.worker = ComparisonWorker(engine, store, self.gate, max_batch) if store is not None else None
        self._remember_model()
        self.resumed = self.resume_orphans()  # comparison sets a killed process left pending, now queued here

    def decide(
        self,
        text: str,
        spec: PathSpec,
        keep_text: bool = False,
        extra_paths: Sequence[PathSpec] = (),
        explain: Sequence[str] = (),
        compare: bool = True,
        explain_target: str | None = None,
        explain_progress: Progress | None = None,
        explain_ig: IGOptions = ADAPTIVE_IG,
        reference: bool = False,
    ) -> RecordedDecision:
        """The primary answer, stored, with its comparison set queued (unless `compare` is False).

        With `reference`, the full path (`core.run.timing.full_reference`) is decided too, after the record is written,
        and both paths are timed alike (`core.run.timing.decide_full_and_time`); neither is recorded.
        A failed store write never loses the answer: the returned record status is `failed` with the reason.
        """
        with self.gate.foreground():  # the background worker neither computes nor writes until this returns
            decision = self.engine.decide(text, spec)
            explanations = (
                explain_json(
                    self.engine, text, spec, explain, explain_target, explain_progress, explain_ig, decision.logits
                )
                if explain
                else None
            )
            alternatives = comparison_set(spec, extra_paths) if compare and self.store is not None else ()
            status = self._insert(decision, spec, text, keep_text, explanations, alternatives)
        if alternatives and status.status == "stored" and self.worker is not None:
            self.worker.submit(ComparisonJob(decision.decision_id, text, alternatives, tuple(explain), keep_text))
        audited = RecordedDecision(decision, status, explanations, spec, None, keep_text)
        return self._with_reference(audited, text) if reference else audited

    def _insert(
        self,
        decision: Decision,
        spec: PathSpec,
        text: str,
        keep_text: bool,
        explanations: dict[str, Any] | None,
        alternatives: Sequence[PathSpec],
    ) -> RecordStatus:
        """Store the decision's record (the text only when `keep_text`; its explanations' token texts likewise);
        `off` without a store, `failed` (with the reason) when the write failed."""
        if self.store is None:
            return RecordStatus("off")
        try:  # the store names and hashes the text too: a failure there is a failed write
            data = decision.to_json()
            fingerprint = self.engine.model.fingerprint
            stored = None if explanations is None else explanations if keep_text else redact_tokens(explanations)
            record = DecisionRecord(
                decision_id=decision.decision_id,
                created_at=datetime.now(UTC).isoformat(timespec="microseconds"),
                model_fingerprint=decision.model_fingerprint,
                path=decision.path,
                path_id=decision.path_id,
                input_fingerprint=self.store.input_fingerprint(text),
                withheld=dict(decision.withheld),
                label=decision.label,
                probs=dict(decision.probs),
                logits=decision.logits,
                cost={**data["cost"], "exit": data["exit"]} if decision.exit else data["cost"],
                tokens=data["tokens"],
                notes=decision.notes,
                text=text if keep_text else None,
                explanations=stored,
                alternatives=tuple(AlternativeRecord(alt.canonical, alt.path_id(fingerprint)) for alt in alternatives),
                group_definitions=self.store.group_fingerprints(
                    self.engine.model.groups.definitions(spec.groups_named)
                ),
            )
            self.store.insert(record, worker_id())
        except StoreError as exc:
            logger.warning("decision %s was not recorded: %s", decision.decision_id, exc)
            return RecordStatus("failed", 0, str(exc))
        return RecordStatus("stored", len(alternatives))

    def _with_reference(self, audited: RecordedDecision, text: str) -> RecordedDecision:
        assert audited.spec is not None, "a decision made here carries its path"
        with self.gate.foreground():  # timed alike: the background worker waits meanwhile, slowing neither path
            reference, timing = decide_full_and_time(self.engine, text, audited.decision, audited.spec)
        return replace(audited, reference=reference, timing=timing)

    def explain(
        self,
        audited: RecordedDecision,
        text: str,
        methods: Sequence[str] = ALL_METHODS,
        ig: IGOptions = ADAPTIVE_IG,
        progress: Progress | None = None,
        target: str | None = None,
    ) -> RecordedDecision:
        """Explain a decision (`target`: default the predicted label) along its own path and attach the explanations
        to its record when it was stored.

        The record gets them with unit texts redacted unless the decision kept its text. A failed write keeps the
        explanations and marks the record status `failed` with the reason.
        """
        spec = audited.spec or self.engine.parse(audited.decision.path)
        made_here = audited.spec is not None and audited.decision.model_fingerprint == self.engine.model.fingerprint
        logits = audited.decision.logits if made_here else None  # decided on this text by this model
        with self.gate.foreground():  # the user waits for it, so comparison sets pause as they do for decide
            data = explain_json(self.engine, text, spec, methods, target, progress, ig, logits)
        explained = replace(audited, explanations=data)
        if self.store is None or audited.record.status != "stored":
            return explained
        try:
            stored = data if audited.keep_text else redact_tokens(data)
            self.store.attach_explanations(audited.decision.decision_id, stored)
        except StoreError as exc:
            failed = RecordStatus("failed", audited.record.alternatives_queued, f"explanation not stored: {exc}")
            return replace(explained, record=failed)
        return explained

    def explain_stored(
        self,
        decision_id: str,
        text: str | None = None,
        methods: Sequence[str] = ALL_METHODS,
        ig: IGOptions = ADAPTIVE_IG,
        target: str | None = None,
        progress: Progress | None = None,
        resend: str = "pass it again with --text",
    ) -> dict[str, Any]:
        """Explain a stored decision along its path and attach the explanations to its record (unit texts redacted
        unless the record kept the text); returns them as JSON.

        `text` is needed when the record did not keep it and must be the decided one (`checked_text`; `resend` says
        how to give it). The stored logits are reused, so the text is not decided again; comparison sets pause
        while the user waits, as for `decide`. A failed write raises the store's error.
        """
        store = self.require_store()
        record = store.get(decision_id)
        text = self.checked_text(record, text, resend)
        with self.gate.foreground():
            data = explain_json(
                self.engine, text, self.engine.parse(record.path), methods, target, progress, ig, record.logits
            )
        store.attach_explanations(decision_id, data if record.text is not None else redact_tokens(data))
        return data

    def stored_text(self, decision_id: str) -> str | None:
        """The decision's text when it was kept, else None."""
        return self.require_store().get(decision_id).text

    def head_importance(self, text: str, spec: PathSpec, steps: int = 1) -> Importance:
        """Which heads and layers this text's decision along `spec` rests on (attribution patching,
        `core.advise.importance`); the comparison worker waits, as for a decision."""
        with self.gate.foreground():
            return head_importance(self.engine, text, spec, steps)

    def _remember_model(self) -> None:
        """Write the loaded model's name beside its fingerprint in the record (History and refusals show it)."""
        if self.store is None:
            return
        try:
            remember_model(self.store, self.engine.model.fingerprint, self.engine.model.name)
        except StoreError as exc:  # deciding still works; each decision's own record reports a store that fails
            logger.warning("the model's name was not recorded: %s", exc)

    def model_names(self) -> dict[str, str]:
        """{fingerprint: model name} of every model that has recorded here; {} without a record."""
        return {} if self.store is None else model_names(self.store)

    def resume_orphans(self) -> int:
        """Queue the alternatives a dead process left pending (decisions of this model whose text was kept); returns
        how many decisions have paths queued.

        The dead process may have defined input groups of its own (`--group`, the dashboard's own groups) that this
        one lacks or defines otherwise. A path that reads no such group is computed; one that does cannot be, so
        it is marked `failed` (only that path: nothing computed or stored is touched) with the reason and the
        command that recomputes it once the group is defined again (`resume` takes failed paths back).
        """
        if self.store is None or self.worker is None:
            return 0
        try:
            claimed = self.store.claim_orphans(worker_id(), self.engine.model.fingerprint)
        except StoreError as exc:  # deciding still works; the orphans wait for the next process
            logger.warning("pending alternatives of a dead process were not resumed: %s", exc)
            return 0
        resumed = 0
        for orphans in claimed:
            try:
                specs = self._resumable(self.store.get(orphans.decision_id), orphans.paths)
            except StoreError as exc:  # they stay pending; stale after an hour, another process takes them over
                logger.warning("pending alternatives of decision %s were not resumed: %s", orphans.decision_id, exc)
                continue
            if specs:
                self.worker.submit(ComparisonJob(orphans.decision_id, str(orphans.text), specs, (), True))
                resumed += 1
        return resumed

    def _resumable(self, record: DecisionRecord, paths: Sequence[str]) -> tuple[PathSpec, ...]:
        """The specs of `paths` (a dead process's orphans of `record`) that this process can compute; the others,
        which read a user-defined group missing here or defined otherwise, are failed with the reason."""
        specs: list[PathSpec] = []
        skipped: dict[str, str] = {}  # path id -> why
        path_ids = {alternative.path: alternative.path_id for alternative in record.alternatives}
        for path in paths:
            try:
                spec = self.engine.parse(path)
            except InputError as exc:  # most often it names a group not defined here: say which
                skipped[path_ids[path]] = str(self._group_problem(record) or exc)
                continue
            try:
                self._check_group_definitions(record, set(spec.groups_named))
            except InputError as exc:
                skipped[path_ids[path]] = str(exc)
                continue
            specs.append(spec)
        for reason in sorted(set(skipped.values())):
            self.store.fail(
                record.decision_id,
                f"not resumed by the process that took over this decision's pending paths: {reason}; then recompute "
                f"it with `python -m core resume --decision {record.decision_id} --group NAME=...`",
                [path_id for path_id, why in skipped.items() if why == reason],
            )
        return tuple(specs)

    def _group_problem(self, record: DecisionRecord) -> InputError | None:
        """Why the decision's own groups cannot be read here (missing or defined otherwise), or None."""
        try:
            self._check_group_definitions(record)
        except InputError as exc:
            return exc
        return None

    def resume(self, decision_id: str, text: str | None = None) -> int:
        """Recompute a decision's failed or orphaned alternatives (its kept text, or `text`); returns how many."""
        store = self.require_store()
        record = store.get(decision_id)
        text = self.checked_text(record, text)
        claimed = store.reclaim(decision_id, worker_id())
        if claimed.paths and self.worker is not None:
            specs = tuple(self.engine.parse(path) for path in claimed.paths)
            self.worker.submit(ComparisonJob(decision_id, text, specs, (), record.text is not None))
        return len(claimed.paths)

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until every queued comparison set is stored; False if the timeout passed first."""
        return self.worker.wait(timeout_s) if self.worker is not None else True

    def pending(self) -> int:
        """Comparison sets queued in this process and not yet stored."""
        return self.worker.outstanding() if self.worker is not None else 0

    def close(self, timeout_s: float | None = None) -> bool:
        """Wait for queued work (up to the timeout), then stop the worker; unfinished rows stay pending."""
        finished = self.wait(timeout_s)
        if finished and self.worker is not None:
            self.worker.stop()
        return finished

    def compare(self, decision_id: str, wait_s: float = 0.0) -> Comparison:
        return compare_decision(self.require_store(), decision_id, wait_s)

    def history(self, **filters: Any) -> list[DecisionRecord]:
        """Stored decisions, newest first; filters as `DecisionStore.history` (limit, model_fingerprint, ...)."""
        return self.require_store().history(**filters)

    def reproduce(
        self, decision_id: str, text: str | None = None, resend: str = "pass it again with --text"
    ) -> Reproduction:
        """Re-run a stored decision (its text, or `text` when it was not kept) and its computed alternatives;
        `resend` tells the caller how to give a text that was not kept."""
        store = self.require_store()
        record = store.get(decision_id)
        text = self.checked_text(record, text, resend)
        spec = self.engine.parse(record.path)
        decision = self.engine.decide(text, spec)
        diff = max(abs(a - b) for a, b in zip(decision.logits, record.logits, strict=True))
        done = [alt for alt in record.alternatives if alt.status == "done" and alt.logits is not None]
        specs = [self.engine.parse(alt.path) for alt in done]
        rerun = compute_alternatives(self.engine, [text], specs)[0] if specs else []
        matching = sum(
            1
            for alt, spec_alt, result in zip(done, specs, rerun, strict=True)
            if alt.label == result.label
            and max(abs(a - b) for a, b in zip(result.logits, alt.logits or (), strict=True))
            <= LOGIT_TOLERANCE[spec_alt.precision]
        )
        return Reproduction(
            decision_id=decision_id,
            path=record.path,
            label=decision.label,
            stored_label=record.label,
            max_abs_logit_diff=float(diff),
            tolerance=LOGIT_TOLERANCE[spec.precision],
            alternatives_checked=len(done),
            alternatives_matching=matching,
        )

    def checked_text(self, record: DecisionRecord, text: str | None, resend: str = "pass it again with --text") -> str:
        """The decision's text (kept, or `text`), refused when the model, the user's own groups the path named or
        the text differ from the record's; `resend` tells the caller how to give a text that was not kept."""
        decision_id, model = record.decision_id, self.engine.model
        if record.model_fingerprint != model.fingerprint:
            names = self.model_names()
            then = names.get(record.model_fingerprint)
            load = f"--model {then}" if then else "the same --model and --heads"
            raise InputError(
                f"decision {decision_id} was made by model {model_label(names, record.model_fingerprint)}, but "
                f"{model.name} ({model.fingerprint}) is loaded: models are never mixed in a reproduction or "
                f"comparison; load {load} (in the dashboard: pick it in the sidebar)"
            )
        self._check_group_definitions(record)
        text = text if text is not None else record.text
        if text is None:
            raise InputError(f"the text of decision {decision_id} was not kept: {resend}")
        check_text(text)  # before it is hashed: a lone surrogate cannot be encoded
        if self.require_store().input_fingerprint(text) != record.input_fingerprint:
            raise InputError(f"the text given is not the one decision {decision_id} decided (fingerprints differ)")
        return text

    def _check_group_definitions(self, record: DecisionRecord, names: set[str] | None = None) -> None:
        """Refuse when a user-defined group the decision read (those among `names`, when given) is missing here or
        defined otherwise."""
        groups = self.engine.model.groups
        read = {name: fp for name, fp in record.group_definitions.items() if names is None or name in names}
        missing = sorted(set(read) - set(groups.names))
        known = {name: read[name] for name in read if name not in missing}
        current = self.require_store().group_fingerprints(groups.definitions(known))
        changed = sorted(name for name, fingerprint in known.items() if current[name] != fingerprint)
        if missing or changed:
            problems = [f"{', '.join(missing)} not defined here"] if missing else []
            if changed:
                problems.append(f"{', '.join(changed)} defined otherwise than then")
            raise InputError(
                f"decision {record.decision_id} read your own input groups as they were defined then "
                f"({'; '.join(problems)}): define them again with the same regex or word list "
                '(--group NAME=regex:... or NAME=words:..., or the sidebar\'s "Add your own group") and retry'
            )

    def require_store(self) -> DecisionStore:
        """The open decision record; InputError saying how to open one when there is none."""
        if self.store is None:
            raise InputError(
                "no decision record is open: give --store or set PATHLENS_STORE to a file path or database URL"
            )
        return self.store
