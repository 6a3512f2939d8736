"""Batch audits: decide every row of a CSV/Parquet file along a path, compare with another path, stream results.

`run_audit` reads the file in chunks (memory stays flat), forms batches of similar length, runs the executed path
and the `against` path (one pass when one path's layers are a prefix of the other's), writes per-row results after
every chunk and saves its progress, so that a rerun with the same arguments continues where it stopped. The
scoring runs in-process (`engine="local"`) or as a Ray Data pipeline (`engine="ray"`, see `core.audit.on_ray`).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from core.audit.io import BadRow, Chunk, Progress, ResultWriter, audit_key, check_columns, count_rows, read_chunks
from core.audit.record import AuditRecorder
from core.audit.scoring import AuditPlan, gold_index, score_frame
from core.engine import MAX_TEXT_CHARS, PathEngine
from core.errors import InputError
from core.paths import PathSpec
from core.store import DecisionStore

# progress(rows read so far, total rows or None when unknown)
ProgressCallback = Callable[[int, int | None], None]
# valid rows of a chunk (columns `row`, `text`) -> scores (see `score_frame`)
Scorer = Callable[[pd.DataFrame], pd.DataFrame]


@dataclass(frozen=True)
class AuditResult:
    """Summary of an audit; `bad_rows` lists at most the first 1,000 skipped rows (`bad_rows_total` counts all)."""

    rows: int  # rows decided
    rows_read: int  # rows read, bad ones included
    path: str
    path_id: str
    against: str | None
    accuracy: float | None  # over decided rows with a gold label
    flip_rate_vs_against: float | None
    flip_rate_vs_full: float | None  # the same figure, when the `against` path is the full path
    compute_saved: float  # 1 - FLOPs of the executed path / FLOPs of the full path, over the same batches
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

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["bad_rows"] = [asdict(b) for b in self.bad_rows]
        data["labels"] = list(self.labels)
        return data


def _result_rows(engine: PathEngine, plan: AuditPlan, chunk: Chunk, scores: pd.DataFrame) -> pd.DataFrame:
    """The per-row output of a chunk: label, probabilities, path, flip vs the against path, cost, gold."""
    labels = list(engine.model.labels)
    probs = scores[[f"p{c}" for c in range(len(labels))]].to_numpy(dtype=float)
    out = pd.DataFrame({"row": scores["row"].to_numpy()})
    out["label"] = [labels[i] for i in probs.argmax(1)]
    for c, name in enumerate(labels):
        out[f"prob_{name}"] = probs[:, c].round(6)
    out["path"] = plan.spec.canonical
    if plan.against is not None:
        against = scores[[f"a{c}" for c in range(len(labels))]].to_numpy(dtype=float).argmax(1)
        out["against_label"] = [labels[i] for i in against]
        out["flip"] = against != probs.argmax(1)
    out["layers_run"] = len(plan.spec.layers)
    out["heads_run"] = plan.spec.heads_run
    if plan.spec.exit is not None:  # where each row stopped: only what ran is counted
        positions = scores["exit_position"].to_numpy()
        out["layers_run"] = positions + 1
        out["heads_run"] = [plan.spec.stopped_at(int(p)).heads_run for p in positions]
        out["exit_layer"] = [plan.spec.layers[int(p)] for p in positions]
        out["exit_value"] = scores["exit_value"].to_numpy().round(6)
        out["exit_triggered"] = scores["exit_triggered"].to_numpy()
    out["flops"] = scores["flops"].to_numpy()
    out["tokens"] = scores["tokens"].to_numpy()
    out["truncated"] = scores["kept"].to_numpy() < scores["tokens"].to_numpy()
    if chunk.gold is not None:
        gold = [gold_index(value, labels) for value in chunk.gold]
        out["gold"] = chunk.gold
        out["correct"] = [g is not None and g == p for g, p in zip(gold, probs.argmax(1), strict=True)]
    return out


def _split_long(chunk: Chunk) -> Chunk:
    """Move texts longer than the engine accepts into the chunk's bad rows."""
    too_long = {i for i, text in enumerate(chunk.texts) if len(text) > MAX_TEXT_CHARS}
    if not too_long:
        return chunk
    keep = [i for i in range(len(chunk.texts)) if i not in too_long]
    bad = chunk.bad + [BadRow(chunk.rows[i], f"text longer than {MAX_TEXT_CHARS:,} characters") for i in too_long]
    return Chunk(
        chunk.end_row,
        [chunk.rows[i] for i in keep],
        [chunk.texts[i] for i in keep],
        [chunk.gold[i] for i in keep] if chunk.gold is not None else None,
        sorted(bad, key=lambda b: b.row),
    )


def _update(progress: Progress, engine: PathEngine, chunk: Chunk, rows: pd.DataFrame, scores: pd.DataFrame) -> None:
    progress.rows_read = chunk.end_row
    progress.decided += len(rows)
    progress.add_bad(chunk.bad)
    progress.flops += int(scores["flops"].sum())
    progress.full_flops += int(scores["full_flops"].sum())
    if "flip" in rows:
        progress.compared += len(rows)
        progress.flips += int(rows["flip"].sum())
    if "gold" in rows:
        known = [gold_index(value, list(engine.model.labels)) is not None for value in rows["gold"]]
        progress.labelled += sum(known)
        progress.correct += int(rows["correct"].sum())


def run_audit(
    engine: PathEngine,
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
    show_progress: bool = False,
    store: DecisionStore | None = None,
    keep_text: bool = False,
) -> AuditResult:
    """Audit a CSV/Parquet file (or an in-memory frame) along `spec`; per-row results go to `out` (CSV/Parquet).

    `label_col=None` uses a `label` column when there is one; a named column that is missing is an `InputError`
    before any work. `against=None` skips the comparison. With `out`, progress is saved next to it after every
    chunk (`OUT.progress.json`), and a rerun with the same arguments on the same file continues where it stopped.
    `progress(done, total)` is called after every chunk. `backend="ray"` scores on Ray Data (`core.audit.on_ray`):
    actors load the model with `ray_loader` (default: the engine's model directory), `ray_actors` of them.
    With a `store`, every decided row is recorded (`core.audit.record`), one transaction per chunk, the raw text
    only with `keep_text`; the same audit (file, arguments, model) never records a row twice in one store.
    """
    if isinstance(source, pd.DataFrame):  # an in-memory table (the dashboard's upload) is staged as Parquet
        with tempfile.TemporaryDirectory(prefix="pathlens-audit-") as tmp:
            staged = Path(tmp) / "input.parquet"
            source.to_parquet(staged, index=False)
            return run_audit(
                engine,
                staged,
                spec,
                against=against,
                text_col=text_col,
                label_col=label_col,
                out=out,
                batch_size=batch_size,
                chunk_rows=chunk_rows,
                backend=backend,
                ray_loader=ray_loader,
                ray_actors=ray_actors,
                progress=progress,
                show_progress=show_progress,
                store=store,
                keep_text=keep_text,
            )
    if keep_text and store is None:
        raise InputError("--keep-text keeps the texts in the decision record: give --store or set PATHLENS_STORE")
    path = Path(source)
    label_col, total = check_columns(path, text_col, label_col)
    spec = engine.parse(spec) if isinstance(spec, str) else spec
    against_spec = engine.parse(against) if isinstance(against, str) else against
    plan = AuditPlan.make(engine, spec, against_spec)
    if batch_size < 1 or chunk_rows < 1:
        raise InputError("--batch-size and the chunk size must be at least 1")
    out_path = Path(out) if out is not None else None
    arguments = {
        "spec": spec.canonical,
        "against": plan.against.canonical if plan.against else None,
        "text_col": text_col,
        "label_col": label_col,
        "model": engine.model.fingerprint,
        "batch_size": batch_size,
        "chunk_rows": chunk_rows,
        "store": store.location if store is not None else None,
        "keep_text": keep_text,
    }
    key = audit_key(path, {**arguments, "out": str(out_path.resolve()) if out_path else None})
    recorder = AuditRecorder(engine, plan, store, audit_key(path, arguments), keep_text) if store is not None else None
    progress_path = out_path.with_name(out_path.name + ".progress.json") if out_path else None
    state = (Progress.load(progress_path, key) if progress_path else None) or Progress(key)
    resumed_at = state.rows_read
    writer = ResultWriter(out_path, state.out_size) if out_path else None
    total = total if total is not None else count_rows(path, text_col)
    bar = tqdm(total=total, initial=resumed_at, desc="audit", unit="row", disable=not show_progress)
    last = time.perf_counter()
    with ExitStack() as stack:
        stack.callback(bar.close)
        score = _scorer(engine, plan, batch_size, backend, ray_loader, ray_actors, stack)
        for chunk in map(_split_long, read_chunks(path, text_col, label_col, chunk_rows, resumed_at)):
            frame = pd.DataFrame({"row": chunk.rows, "text": chunk.texts})
            scored_at = time.perf_counter()
            scores = score(frame) if chunk.rows else score_frame(engine, frame, plan, batch_size)
            if recorder is not None and chunk.rows:
                seconds = time.perf_counter() - scored_at
                written, skipped = recorder.record(chunk.texts, scores, seconds)
                state.recorded, state.already_recorded = state.recorded + written, state.already_recorded + skipped
            rows = _result_rows(engine, plan, chunk, scores)
            if writer is not None:
                writer.write(rows)
                state.out_size = writer.size
            _update(state, engine, chunk, rows, scores)
            now = time.perf_counter()
            state.elapsed_s, last = state.elapsed_s + now - last, now
            if progress_path is not None:
                state.save(progress_path)
            bar.update(chunk.end_row - bar.n)
            if progress is not None:
                progress(chunk.end_row, total)
    if writer is not None:
        writer.finish()
    state.complete = True
    if progress_path is not None:
        state.save(progress_path)
    return _summary(engine, plan, state, resumed_at, backend, out_path, recorder)


def _scorer(
    engine: PathEngine,
    plan: AuditPlan,
    batch_size: int,
    backend: str,
    ray_loader: Callable[[], PathEngine] | None,
    ray_actors: int | None,
    stack: ExitStack,
) -> Scorer:
    if backend == "local":
        return lambda frame: score_frame(engine, frame, plan, batch_size)
    if backend == "ray":
        from core.audit.on_ray import RayScorer, default_loader

        loader = ray_loader or default_loader(engine)
        return stack.enter_context(RayScorer(loader, engine.model.fingerprint, plan, batch_size, ray_actors))
    raise InputError(f"unknown audit engine {backend!r}: use local or ray")


def _summary(
    engine: PathEngine,
    plan: AuditPlan,
    state: Progress,
    resumed_at: int,
    engine_name: str,
    out: Path | None,
    recorder: AuditRecorder | None,
) -> AuditResult:
    flip_rate = round(state.flips / state.compared, 4) if state.compared else None
    against_is_full = plan.against is not None and plan.against.replace(withhold=frozenset()).canonical == "full"
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
    )
