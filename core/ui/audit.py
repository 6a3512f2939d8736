"""Batch audits for the dashboard: an uploaded table decided row by row (`core.audit.run_audit`), with progress."""

from __future__ import annotations

import hashlib
import io
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from core.audit import read_gold
from core.audit import run_audit as audit
from core.errors import InputError
from core.explain import Progress
from core.service import DecisionService
from core.ui.text import format_flops

LOW_CONFIDENCE = 0.7


def source_key(name: str, data: bytes) -> str:
    """What identifies an audited input: its name and a hash of its bytes (a new upload is another source)."""
    return f"{name}:{hashlib.sha256(data).hexdigest()[:16]}"


@dataclass(frozen=True)
class AuditView:
    """A finished batch audit: its summary (`AuditResult.to_json()`), one row per decided input, and the source it
    read (`source_key`), so that a page can drop results that belong to another file."""

    summary: dict[str, Any]
    rows: pd.DataFrame
    source: str = ""

    @property
    def accuracy_note(self) -> str:
        """Over which rows the accuracy is, and which labels the model does not know (left out of it)."""
        summary = self.summary
        unknown = summary.get("unknown_labels") or {"count": 0, "values": []}
        note = f"over {summary.get('labelled', 0)} row(s) with a label the model knows"
        if unknown["count"]:
            values = ", ".join(repr(v) for v in unknown["values"])
            note += f"; {unknown['count']} row(s) have a label it does not know ({values}), left out"
        return note

    def label_accuracy(self) -> pd.DataFrame:
        """Per gold label: rows, correct, accuracy (empty without gold labels)."""
        rows = self.rows
        if "gold" not in rows:
            return pd.DataFrame(columns=["gold", "rows", "correct", "accuracy"])
        grouped = rows.groupby(rows["gold"].astype(str))["correct"].agg(["size", "sum"]).reset_index()
        grouped.columns = ["gold", "rows", "correct"]
        reading = read_gold(grouped["gold"].tolist(), list(self.summary.get("labels") or ()))
        grouped["accuracy"] = [
            c / n if reading.index(g) is not None else None
            for g, n, c in zip(grouped["gold"], grouped["rows"], grouped["correct"], strict=True)
        ]
        return grouped

    def flips_by_label(self) -> pd.DataFrame:
        """Rows per (label on the compared path, label on the audited path), flips first (empty without `against`)."""
        rows = self.rows
        if "flip" not in rows:
            return pd.DataFrame(columns=["against_label", "label", "rows", "flip"])
        counts = rows.groupby(["against_label", "label"]).size().reset_index(name="rows")
        counts["flip"] = counts["against_label"] != counts["label"]
        return counts.sort_values(["flip", "rows"], ascending=[False, False], ignore_index=True)

    def readable(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Rows as the page shows them: FLOPs with units (the downloads keep the plain numbers)."""
        return rows.assign(flops=[format_flops(int(f)) for f in rows["flops"]]) if "flops" in rows else rows

    def parquet(self) -> bytes:
        """The rows as Parquet (typed columns, for pandas, Spark or DuckDB)."""
        buffer = io.BytesIO()
        self.rows.to_parquet(buffer, index=False)
        return buffer.getvalue()

    def filtered(self, show: str, label: str | None = None) -> pd.DataFrame:
        """`show` is `all`, `flipped only` or `low confidence`; `label` keeps rows decided as that label."""
        rows = self.rows
        if show == "flipped only" and "flip" in rows:
            rows = rows[rows["flip"].astype(bool)]
        elif show == "low confidence":
            rows = rows[rows["confidence"] < LOW_CONFIDENCE]
        return rows if label is None else rows[rows["label"] == label]


def read_table(data: bytes, name: str) -> pd.DataFrame:
    """A CSV or Parquet upload as a DataFrame (raises InputError with what to do).

    Bytes that are not UTF-8 are replaced here (this frame only names the columns and shows the texts); the
    audit reads the file itself, as the CLI does, and skips and lists such a row instead of refusing the file.
    """
    try:
        if name.lower().endswith(".parquet"):
            return pd.read_parquet(io.BytesIO(data))
        return pd.read_csv(
            io.BytesIO(data), dtype=str, keep_default_na=False, encoding_errors="replace", index_col=False
        )
    except (ValueError, UnicodeDecodeError, OSError) as exc:
        raise InputError(f"{name} is not a readable CSV or Parquet file ({exc}): save it as UTF-8 CSV") from None


def run_audit(
    service: DecisionService,
    data: bytes,
    name: str,
    text_col: str,
    label_col: str | None,
    path: str,
    progress: Progress,
    record: bool = False,
) -> AuditView:
    """Decide every row of the file (`data`, named `name`) on `path` against the full path, reading it as the CLI
    does (bad rows skipped and listed); `record` stores each decided row in the record. `progress(fraction,
    message)` is called after every batch (64 rows) with the rows done, rows per second and the time left."""
    engine = service.engine
    frame = read_table(data, name)
    total = len(frame)
    started = time.perf_counter()
    if record and service.store is None:
        raise InputError("no decision record is open: set PATHLENS_STORE to record the audit")
    parts: list[pd.DataFrame] = []

    def keep(rows: pd.DataFrame) -> None:
        if len(rows):  # a chunk of bad rows only adds nothing
            parts.append(rows)

    with tempfile.TemporaryDirectory(prefix="pathlens-ui-") as tmp:
        source = Path(tmp) / ("input.parquet" if name.lower().endswith(".parquet") else "input.csv")
        source.write_bytes(data)  # the audit reads the upload as a file, as the CLI does
        result = audit(
            engine,
            source,
            engine.parse(path),
            text_col=text_col,
            label_col=label_col,
            store=service.store if record else None,
            batch_progress=lambda done, _: progress(
                min(done / max(total, 1), 1.0), progress_text(done, total, started)
            ),
            on_rows=keep,
        )
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["row", "label"])
    probs = rows[[c for c in rows.columns if c.startswith("prob_")]]
    rows.insert(1, "text", [str(frame[text_col].iloc[int(i)]) for i in rows["row"]])
    confidence = rows["top1_prob"] if "top1_prob" in rows else probs.max(axis=1) if not probs.empty else []
    rows.insert(3, "confidence", confidence)
    return AuditView(result.to_json(), rows, source_key(name, data))


def progress_text(done: int, total: int, started: float) -> str:
    """'120 of 872 rows · 64 rows/s · about 12 s left', as tqdm shows on the command line."""
    elapsed = time.perf_counter() - started
    rate = done / elapsed if elapsed > 0 else 0.0
    left = f"about {(total - done) / rate:.0f} s left" if rate > 0 and done < total else "finishing"
    return f"{done:,} of {total:,} rows · {rate:.0f} rows/s · {left}"


def recorded_decision(service: DecisionService, audit_id: str, row: int) -> str | None:
    """Id of the decision an audit recorded for input row `row`, or None when it was not recorded."""
    if service.store is None:
        return None
    return service.store.audit_decision(audit_id, row)
