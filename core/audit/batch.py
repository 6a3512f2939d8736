"""Batch audits: decide every row of a CSV/Parquet file along a path, compare with another path, stream results.

`run_audit` reads the file in chunks (memory stays flat), forms batches of similar length, runs the executed path
and the `against` path (one pass when one path's layers are a prefix of the other's), writes per-row results after
every chunk and saves its progress, so that a rerun with the same arguments continues where it stopped. The
scoring runs in-process (`engine="local"`) or as a Ray Data pipeline (`engine="ray"`, see `core.audit.on_ray`).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.audit.gold import GoldReading, read_gold
from core.audit.io import (
    AuditCheckpoint,
    BadRow,
    Chunk,
    ResultWriter,
    audit_key,
    check_table,
    label_values,
    nothing_read_warning,
    read_chunks,
    refuse_a_database,
    row_bar,
)
from core.audit.recording import AuditRecorder
from core.audit.scoring import AuditPlan, ScoredRow, score_rows
from core.errors import InputError
from core.path import PathSpec
from core.run import PathEngine
from core.store import DecisionStore

# progress(rows read so far, total rows or None when unknown)
ProgressCallback = Callable[[int, int | None], None]
# (row numbers, texts) of a chunk's valid rows -> one `ScoredRow` per row, in the same order
Scorer = Callable[[Sequence[int], Sequence[str]], list[ScoredRow]]


@dataclass(frozen=True)
class AuditResult:
    """Summary of an audit; `bad_rows` lists at most the first 1,000 skipped rows (`bad_rows_total` counts all)."""

    rows: int  # rows decided
    rows_read: int  # rows read, bad ones included
    path: str
    path_id: str
    against: str | None
    accuracy: float | None  # over decided rows whose gold label the model knows (`labelled` of them)
    flip_rate_vs_against: float | None  # vs the path named in `against`, as it ran (withheld groups included)
    flip_rate_vs_full: float | None  # deprecated alias of flip_rate_vs_against, set only when `against` is `full`
    compute_saved: float  # 1 - FLOPs of the executed path / FLOPs of the full path, each row at its own tokens
    rows_per_s: float
    elapsed_s: float
    bad_rows_total: int
    bad_rows: tuple[BadRow, ...]
    resumed_at_row: int
    engine: str
    model_fingerprint: str
    out: str | None
    labels: tuple[str, ...] = field(default=())
    store: str | None = None  # the decision record written to (None: nothing was recorded)
    audit_id: str | None = None  # tags this audit's records in the store
    recorded: int = 0  # decision records written, one per decided row
    already_recorded: int = 0  # decided rows the store already held for this audit (not written again)
    labelled: int = 0  # decided rows whose gold label the model knows: the rows `accuracy` is over
    unknown_labels: dict[str, Any] = field(default_factory=lambda: {"count": 0, "values": []})
    gold_warning: str | None = None  # the file's gold labels do not fit the model's (`core.audit.gold`)
    read_warning: str | None = None  # no row of the file could be read (`core.audit.io.nothing_read_warning`)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["bad_rows"] = [asdict(b) for b in self.bad_rows]
        data["labels"] = list(self.labels)
        data["deprecated"] = {"flip_rate_vs_full": DEPRECATED_FLIP_RATE_NOTE}
        return data


DEPRECATED_FLIP_RATE_NOTE = (
    "renamed flip_rate_vs_against (compared with the path named in `against`, withheld groups included); "
    "set only when `against` is exactly `full`; removed in the next release"
)
MAX_UNKNOWN_LABELS_LISTED = 20
TOP_LABELS = 5  # a model with more labels writes each row's top 5 (label, probability) and the rest summed


def unknown_label_summary(counts: dict[str, int]) -> dict[str, Any]:
    """Rows whose gold label the model does not know (left out of accuracy): how many, and the values seen."""
    return {"count": sum(counts.values()), "values": sorted(counts)[:MAX_UNKNOWN_LABELS_LISTED]}


def _result_rows(
    engine: PathEngine,
    plan: AuditPlan,
    chunk: Chunk,
    scored: Sequence[ScoredRow],
    gold_reading: GoldReading | None,
    all_probs: bool = False,
) -> pd.DataFrame:
    """The per-row output of a chunk: label, probabilities (`_probability_columns`), path, flip vs the against
    path, cost, gold and whether the label is correct (empty when the model does not know the gold label)."""
    labels = list(engine.model.labels)
    out = pd.DataFrame({"row": np.array([s.row for s in scored], dtype=np.int64)})
    out["label"] = [s.executed.label for s in scored]
    _probability_columns(out, labels, scored, all_probs)
    out["path"] = plan.spec.canonical
    if plan.against is not None:
        out["against_label"] = [s.against.label if s.against is not None else None for s in scored]
        out["flip"] = np.array([s.against is not None and s.against.label != s.executed.label for s in scored])
    out["layers_run"] = len(plan.spec.layers)
    out["heads_run"] = plan.spec.heads_run
    if plan.spec.exit is not None:  # where each row stopped: only what ran is counted
        stops = [s.exit for s in scored]
        assert all(stop is not None for stop in stops), "an adaptive path's rows say where they stopped"
        out["layers_run"] = [stop.position + 1 for stop in stops]
        out["heads_run"] = [plan.spec.stopped_at(stop.position).heads_run for stop in stops]
        out["exit_layer"] = [stop.layer for stop in stops]
        out["exit_value"] = np.array([stop.value for stop in stops], dtype=float).round(6)
        out["exit_triggered"] = np.array([stop.triggered for stop in stops], dtype=bool)
    out["flops"] = np.array([s.flops for s in scored], dtype=np.int64)
    out["tokens"] = np.array([s.tokens for s in scored], dtype=np.int64)
    out["truncated"] = np.array([s.truncated for s in scored], dtype=bool)
    if chunk.gold is not None:
        assert gold_reading is not None, "a file with gold labels has their reading"
        gold = gold_reading.indices(chunk.gold)
        out["gold"] = chunk.gold
        predicted = [labels.index(s.executed.label) for s in scored]
        correct = [None if g is None else g == p for g, p in zip(gold, predicted, strict=True)]
        out["correct"] = pd.array(correct, dtype="boolean")
    return out


def _probability_columns(out: pd.DataFrame, labels: list[str], scored: Sequence[ScoredRow], all_probs: bool) -> None:
    """`prob_LABEL` for every label when the model has at most `TOP_LABELS` of them (or with `all_probs`); else
    `top1_label`, `top1_prob` ... `top5_label`, `top5_prob` (most probable first) and `others_prob` (the rest)."""
    probs = np.array([[s.executed.probs[name] for name in labels] for s in scored], dtype=float)
    probs = probs.reshape(len(scored), len(labels))
    if len(labels) > TOP_LABELS:
        order = np.argsort(-probs, axis=1, kind="stable")[:, :TOP_LABELS]
        top = np.take_along_axis(probs, order, axis=1)
        for k in range(TOP_LABELS):
            out[f"top{k + 1}_label"] = [labels[i] for i in order[:, k]]
            out[f"top{k + 1}_prob"] = top[:, k]
        out["others_prob"] = np.clip(1.0 - top.sum(axis=1), 0.0, 1.0).round(6)  # as the probabilities are
    if all_probs or len(labels) <= TOP_LABELS:
        for j, name in enumerate(labels):
            out[f"prob_{name}"] = probs[:, j]


def _update(
    progress: AuditCheckpoint, gold: GoldReading | None, chunk: Chunk, rows: pd.DataFrame, scored: list[ScoredRow]
) -> None:
    progress.rows_read = chunk.end_row
    progress.decided += len(rows)
    progress.add_bad(chunk.bad)
    progress.flops += sum(s.flops for s in scored)
    progress.full_flops += sum(s.full_flops for s in scored)
    if "flip" in rows:
        progress.compared += len(rows)
        progress.flips += int(rows["flip"].sum())
    if "gold" in rows:
        assert gold is not None, "a file with gold labels has their reading"
        for value in rows["gold"]:
            if gold.index(value) is None:
                progress.unknown_labels[str(value)] = progress.unknown_labels.get(str(value), 0) + 1
            else:
                progress.labelled += 1
        progress.correct += int(rows["correct"].sum())


@dataclass
class _Resume:
    """An audit's saved progress, the file it is saved to and the result writer (both None without `out`)."""

    state: AuditCheckpoint
    resumed_at: int
    progress_path: Path | None
    writer: ResultWriter | None
    last: float = field(default_factory=time.perf_counter)  # when the elapsed time was last counted

    @classmethod
    def open(
        cls, path: Path, arguments: dict[str, Any], out: Path | None, recorder: AuditRecorder | None = None
    ) -> _Resume:
        """The unfinished audit with the same arguments, output and input file whose rows written so far are still
        there (in `out`, and in the recorder's store: a store deleted or replaced in between would miss the rows
        before the resume), or a fresh start."""
        key = audit_key(path, {**arguments, "out": str(out.resolve()) if out else None})
        if out is None:
            return cls(AuditCheckpoint(key), 0, None, None)
        progress_path = out.with_name(out.name + ".progress.json")
        saved = AuditCheckpoint.load(progress_path, key)
        state = saved if saved is not None and _still_there(saved, out, recorder) else AuditCheckpoint(key)
        return cls(state, state.rows_read, progress_path, ResultWriter(out, state.out_size))

    def chunk_done(self, gold: GoldReading | None, chunk: Chunk, rows: pd.DataFrame, scored: list[ScoredRow]) -> None:
        """Write a chunk's rows, count it, and save the progress."""
        if self.writer is not None:
            self.writer.write(rows)
            self.state.out_size = self.writer.size
        _update(self.state, gold, chunk, rows, scored)
        now = time.perf_counter()
        self.state.elapsed_s, self.last = self.state.elapsed_s + now - self.last, now
        self._save()

    def finish(self) -> None:
        """Make the rows written `out`, then drop the progress: a finished audit leaves nothing to resume from (a crash
        in between leaves a progress whose rows written so far are gone, which starts afresh)."""
        if self.writer is not None:
            self.writer.finish()
        if self.progress_path is not None:
            self.progress_path.unlink(missing_ok=True)

    def _save(self) -> None:
        if self.progress_path is not None:
            self.state.save(self.progress_path)


def _still_there(saved: AuditCheckpoint, out: Path, recorder: AuditRecorder | None) -> bool:
    """Whether what a saved progress wrote is still there: its rows in `out`, and its records in the store."""
    if not ResultWriter.holds(out, saved.out_size):
        return False
    return recorder is None or recorder.store.audit_rows(recorder.audit_id) >= saved.recorded + saved.already_recorded


def run_audit(
    engine: PathEngine | Callable[[], PathEngine],
    source: str | Path | pd.DataFrame,
    spec: PathSpec | str,
    *,
    against: PathSpec | str | None = "full",
    text_col: str = "text",
    label_col: str | None = None,
    out: str | Path | None = None,
    batch_size: int = 64,
    chunk_rows: int = 4096,
    backend: str = "local",
    ray_loader: Callable[[], PathEngine] | None = None,
    ray_actors: int | None = None,
    progress: ProgressCallback | None = None,
    batch_progress: ProgressCallback | None = None,
    show_progress: bool = False,
    store: DecisionStore | Callable[[], DecisionStore] | None = None,
    keep_text: bool = False,
    on_rows: Callable[[pd.DataFrame], None] | None = None,
    all_probs: bool = False,
) -> AuditResult:
    """Audit a CSV/Parquet file (or an in-memory frame) along `spec`; per-row results go to `out` (CSV/Parquet), in one
    rename when the audit finishes (an unfinished audit leaves `out` as it was).

    `label_col=None` uses a `label` column when there is one; a named column that is missing is an `InputError`
    before any work. `against=None` skips the comparison. With `out`, progress is saved next to it after every
    chunk (`OUT.progress.json`), and a rerun with the same arguments on the same file continues where it stopped.
    `progress(done, total)` is called after every chunk, `batch_progress(done, total)` after every batch too (local
    engine; a bar that moves within a chunk), with the rows read so far.
    `backend="ray"` scores on Ray Data (`core.audit.on_ray`): actors load the model with `ray_loader` (default:
    the engine's model directory), `ray_actors` of them.
    With a `store`, every decided row is recorded (`core.audit.recording`), one transaction per chunk, the raw text
    only with `keep_text`; the same audit (file, arguments, model) never records a row twice in one store. A function
    that opens the store is called once the file and every argument are checked: a refused audit makes no store.
    `engine` may be a function that loads the model too, called once the file is checked (a refused file loads none).
    Rows are read as `decide` reads texts: in windows when longer than the model's window (`core.run.runner`).
    `on_rows(rows)` receives each chunk's per-row results (those written to `out`) as they are made.
    A model with more than `TOP_LABELS` labels writes each row's top 5 labels and probabilities and the rest summed
    (`top1_label`, `top1_prob`, ..., `others_prob`); `all_probs` adds `prob_LABEL` for every label (fewer labels:
    always).
    """
    if keep_text and store is None:
        raise InputError("--keep-text keeps the texts in the decision record: give --store or set PATHLENS_STORE")
    for option, value in (("--batch-size", batch_size), ("--chunk-rows", chunk_rows)):
        if value < 1:
            raise InputError(f"{option} must be at least 1, not {value}")
    with ExitStack() as stack:
        path = _input_path(source, stack)
        out_path = Path(out) if out is not None else None
        if out_path is not None and out_path.exists() and path.exists() and out_path.samefile(path):
            raise InputError(f"--out {out_path} is the input file: give another path, e.g. --out audit.csv")
        if out_path is not None and out_path.is_dir():
            raise InputError(f"--out {out_path} is a folder: give a file's path, e.g. --out {out_path / 'audit.csv'}")
        if out_path is not None:
            refuse_a_database(out_path)
        label_col, total = check_table(path, text_col, label_col)
        engine = engine if isinstance(engine, PathEngine) else engine()
        gold = read_gold(label_values(path, label_col), engine.model.labels) if label_col else None
        plan = AuditPlan.make(_parse(engine, spec), _parse(engine, against))
        opened = store() if callable(store) else store
        arguments = _arguments(engine, plan, text_col, label_col, batch_size, chunk_rows, opened, keep_text)
        recorder = (
            AuditRecorder(engine, plan, opened, audit_key(path, arguments), keep_text) if opened is not None else None
        )
        if all_probs:  # other output columns, the same decisions: resumes apart, records under the same audit
            arguments["all_probs"] = True
        resume = _Resume.open(path, arguments, out_path, recorder)
        bar = stack.enter_context(row_bar(total, "audit", show_progress, resume.resumed_at))
        read_before = [resume.resumed_at]  # rows read before the chunk being scored

        def batch_done(scored: int) -> None:  # within a chunk: its rows scored so far (its bad rows come at its end)
            if batch_progress is not None:
                batch_progress(read_before[0] + scored, total)

        score = _scorer(engine, plan, batch_size, backend, ray_loader, ray_actors, stack, batch_done)
        if backend == "local":  # each precision's modules are built once (int8 calibrates): no part of rows/s
            for planned in (plan.spec, plan.against):
                if planned is not None:
                    engine.model.variant(planned.device, planned.precision)
        resume.last = time.perf_counter()
        for chunk in read_chunks(path, text_col, label_col, chunk_rows, resume.resumed_at):
            rows = _audit_chunk(engine, plan, chunk, score, recorder, resume, gold, all_probs)
            if on_rows is not None:
                on_rows(rows)
            bar.update(chunk.end_row - bar.n)
            read_before[0] = chunk.end_row
            if progress is not None:
                progress(chunk.end_row, total)
            if batch_progress is not None:
                batch_progress(chunk.end_row, total)
        resume.finish()
    return _summary(engine, plan, resume, backend, out_path, recorder, gold)


def _arguments(
    engine: PathEngine,
    plan: AuditPlan,
    text_col: str,
    label_col: str | None,
    batch_size: int,
    chunk_rows: int,
    store: DecisionStore | None,
    keep_text: bool,
) -> dict[str, Any]:
    """What identifies an audit (with the input file): a rerun with the same resumes, a changed one starts afresh."""
    return {
        "spec": plan.spec.canonical,
        "against": plan.against.canonical if plan.against else None,
        "text_col": text_col,
        "label_col": label_col,
        "model": engine.model.fingerprint,
        "batch_size": batch_size,
        "chunk_rows": chunk_rows,
        "store": store.location if store is not None else None,
        "keep_text": keep_text,
    }


def _input_path(source: str | Path | pd.DataFrame, stack: ExitStack) -> Path:
    """The file to audit; an in-memory table (the dashboard's upload) is staged as Parquet until `stack` closes."""
    if not isinstance(source, pd.DataFrame):
        return Path(source)
    staged = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pathlens-audit-"))) / "input.parquet"
    source.to_parquet(staged, index=False)
    return staged


def _parse(engine: PathEngine, path: PathSpec | str | None) -> PathSpec | None:
    return engine.parse(path) if isinstance(path, str) else path


def _audit_chunk(
    engine: PathEngine,
    plan: AuditPlan,
    chunk: Chunk,
    score: Scorer,
    recorder: AuditRecorder | None,
    resume: _Resume,
    gold: GoldReading | None,
    all_probs: bool,
) -> pd.DataFrame:
    """Score one chunk's valid rows, record them (with a store), write their result rows and save the progress."""
    scored_at = time.perf_counter()
    scored = score(chunk.rows, chunk.texts) if chunk.rows else []
    if recorder is not None and chunk.rows:
        written, skipped = recorder.record(chunk.texts, scored, time.perf_counter() - scored_at)
        resume.state.recorded += written
        resume.state.already_recorded += skipped
    rows = _result_rows(engine, plan, chunk, scored, gold, all_probs)
    resume.chunk_done(gold, chunk, rows, scored)
    return rows


def _scorer(
    engine: PathEngine,
    plan: AuditPlan,
    batch_size: int,
    backend: str,
    ray_loader: Callable[[], PathEngine] | None,
    ray_actors: int | None,
    stack: ExitStack,
    on_batch: Callable[[int], None],
) -> Scorer:
    if backend == "local":
        return lambda rows, texts: score_rows(engine, rows, texts, plan, batch_size, on_batch)
    if backend == "ray":
        from core.audit.on_ray import RayScorer, default_loader

        loader = ray_loader or default_loader(engine)
        return stack.enter_context(RayScorer(loader, engine.model.fingerprint, plan, batch_size, ray_actors))
    raise InputError(f"unknown audit engine {backend!r}: use local or ray")


def _summary(
    engine: PathEngine,
    plan: AuditPlan,
    resume: _Resume,
    engine_name: str,
    out: Path | None,
    recorder: AuditRecorder | None,
    gold: GoldReading | None,
) -> AuditResult:
    state, resumed_at = resume.state, resume.resumed_at
    flip_rate = round(state.flips / state.compared, 4) if state.compared else None
    against_is_full = plan.against is not None and plan.against.canonical == "full"
    return AuditResult(
        rows=state.decided,
        rows_read=state.rows_read,
        path=plan.spec.canonical,
        path_id=plan.spec.path_id(engine.model.fingerprint),
        against=plan.against.canonical if plan.against else None,
        accuracy=round(state.correct / state.labelled, 4) if state.labelled else None,
        flip_rate_vs_against=flip_rate,
        flip_rate_vs_full=flip_rate if against_is_full else None,
        compute_saved=round(1 - state.flops / state.full_flops, 4) if state.full_flops else 0.0,
        rows_per_s=round(state.decided / state.elapsed_s, 1) if state.elapsed_s else 0.0,
        elapsed_s=round(state.elapsed_s, 3),
        bad_rows_total=state.bad_total,
        bad_rows=tuple(state.bad_rows),
        resumed_at_row=resumed_at,
        engine=engine_name,
        model_fingerprint=engine.model.fingerprint,
        out=str(out) if out else None,
        labels=engine.model.labels,
        store=recorder.store.location if recorder is not None else None,
        audit_id=recorder.audit_id if recorder is not None else None,
        recorded=state.recorded,
        already_recorded=state.already_recorded,
        labelled=state.labelled,
        unknown_labels=unknown_label_summary(state.unknown_labels),
        gold_warning=gold.warning if gold is not None else None,
        read_warning=nothing_read_warning(state.rows_read, state.bad_total, [bad.reason for bad in state.bad_rows]),
    )
