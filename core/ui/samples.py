"""The sample inputs shipped in sample_data/: messages for Decide, CSV files for the batch audit."""

from __future__ import annotations

from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"


def sample_texts() -> list[str]:
    """The sample messages shipped in sample_data/messages.csv."""
    import pandas as pd

    return pd.read_csv(SAMPLE_DIR / "messages.csv")["text"].astype(str).tolist()


def sample_files() -> dict[str, Path]:
    """Sample CSV files by name, for the batch audit."""
    return {path.name: path for path in sorted(SAMPLE_DIR.glob("*.csv"))}
