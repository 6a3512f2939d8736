"""Batch audits for the dashboard: an uploaded table decided row by row (`core.audit.run_audit`), with progress."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from core.audit import run_audit as audit
from core.errors import InputError
from core.service import DecisionService

LOW_CONFIDENCE = 0.7


@dataclass(frozen=True)
class AuditView:
    """A finished batch audit: its summary (`AuditResult.to_json()`) and one row per decided input."""

    summary: dict[str, Any]
    rows: pd.DataFrame

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
        return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding_errors="replace")
    except (ValueError, UnicodeDecodeError, OSError) as exc:
        raise InputError(f"{name} is not a readable CSV or Parquet file ({exc}): save it as UTF-8 CSV") from None


def run_audit(
    service: DecisionService,
    data: bytes,
    name: str,
    text_col: str,
    label_col: str | None,
    path: str,
    progress: Callable[[float, str], None],
    record: bool = False,
) -> AuditView:
    """Decide every row of the file (`data`, named `name`) on `path` against the full path, reading it as the CLI
    does (bad rows skipped and listed); `record` stores each decided row in the record."""
    engine = service.engine
    frame = read_table(data, name)
    total = len(frame)
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
            progress=lambda done, _: progress(min(done / max(total, 1), 1.0), f"{done} of {total} rows"),
            on_rows=keep,
        )
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["row", "label"])
    probs = rows[[c for c in rows.columns if c.startswith("prob_")]]
    rows.insert(1, "text", [str(frame[text_col].iloc[int(i)]) for i in rows["row"]])
    rows.insert(3, "confidence", probs.max(axis=1) if not probs.empty else [])
    return AuditView(result.to_json(), rows)


def recorded_decision(service: DecisionService, audit_id: str, row: int) -> str | None:
    """Id of the decision an audit recorded for input row `row`, or None when it was not recorded."""
    if service.store is None:
        return None
    return service.store.audit_decision(audit_id, row)
