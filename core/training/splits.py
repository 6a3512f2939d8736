"""Stratified, seeded development splits of a labelled table (how the shipped models' dev splits are made)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from core.errors import InputError


def stratified_split(
    frame: pd.DataFrame, label_col: str, fraction: float, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, dev): from every label, round(fraction * its rows) rows (at least one) drawn with `seed` go to dev.

    Rows keep the table's order in both parts, so the split depends only on the table, the fraction and the seed.
    """
    if not 0 < fraction < 1:
        raise InputError(f"--fraction {fraction} is not a share of the table: give a number between 0 and 1")
    rng = np.random.default_rng(seed)
    dev_rows: list[int] = []
    for label in sorted(frame[label_col].astype(str).unique()):
        rows = np.flatnonzero(frame[label_col].astype(str).to_numpy() == label)
        if len(rows) < 2:
            raise InputError(f"label {label!r} has {len(rows)} row: a split needs at least 2 rows of every label")
        take = min(len(rows) - 1, max(1, round(fraction * len(rows))))
        dev_rows.extend(rng.choice(rows, size=take, replace=False).tolist())
    is_dev = np.zeros(len(frame), dtype=bool)
    is_dev[dev_rows] = True
    return frame[~is_dev].reset_index(drop=True), frame[is_dev].reset_index(drop=True)


def write_split(frame: pd.DataFrame, label_col: str, fraction: float, seed: int, out_dir: Path) -> dict[str, int]:
    """Write `out_dir`/train.csv and `out_dir`/dev.csv; return their row counts."""
    train, dev = stratified_split(frame, label_col, fraction, seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    train.to_csv(out_dir / "train.csv", index=False)
    dev.to_csv(out_dir / "dev.csv", index=False)
    return {"train_rows": len(train), "dev_rows": len(dev)}
