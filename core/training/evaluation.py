"""Accuracy of every depth of a path on a labelled table, all depths from one pass per batch.

Texts are read as decisions read them: in windows when longer than the model's window.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tqdm import tqdm

from core.audit import GoldReading, read_gold
from core.errors import InputError
from core.run import PathEngine, marks_of
from core.training.data import read_text_table
from core.training.label_metrics import label_report


def evaluate_depths(
    engine: PathEngine, path: str | Path, text_col: str, label_col: str, spec_text: str = "full", batch_size: int = 64
) -> dict[str, Any]:
    """{'rows', 'accuracy_by_depth': {depth: acc}, 'macro_f1_by_depth', 'by_label', 'gold_warning'} for depths
    1..len(path) that have an exit head; `by_label` (per-label precision, recall, F1, top confusions) is the path's
    own, its deepest depth. Gold labels are read by the audits' rule (`core.audit.gold`); one the model does not know
    is refused, and `gold_warning` says when they fit the model only in part (None when they fit)."""
    spec = engine.parse(spec_text)
    frame = read_text_table(path, text_col, label_col)
    labels = list(engine.model.labels)
    values = [str(value).strip() for value in frame[label_col]]
    reading = read_gold(values, labels)
    gold = [_known(value, reading) for value in values]
    exit_layers = engine.model.template.exit_layers or spec.layers
    positions = [i for i, layer in enumerate(spec.layers) if layer in exit_layers]
    depths = [spec.replace(layers=spec.layers[: position + 1]) for position in positions]
    predicted: dict[int, list[int]] = {position: [] for position in positions}
    texts = frame[text_col].tolist()
    for start in tqdm(range(0, len(texts), batch_size), desc="evaluate", unit="batch"):
        chunk = texts[start : start + batch_size]
        prepared = [engine.prepare(t, spec) for t in chunk]
        run = engine.run(depths, [p.token_ids for p in prepared], marks=marks_of(prepared))  # one pass for all depths
        for position, logits in zip(positions, run.outputs, strict=True):
            predicted[position].extend(logits.argmax(-1).tolist())
    gold_names = [labels[g] for g in gold]
    reports = {p: label_report(gold_names, [labels[i] for i in predicted[p]], labels) for p in positions}
    return {
        "rows": len(texts),
        "path": spec.canonical,
        "model_fingerprint": engine.model.fingerprint,
        "accuracy_by_depth": {str(p + 1): reports[p].accuracy for p in positions},
        "macro_f1_by_depth": {str(p + 1): reports[p].macro_f1 for p in positions},
        "by_label": reports[positions[-1]].to_json(),
        "gold_warning": reading.warning,
    }


def _known(value: str, reading: GoldReading) -> int:
    """The label position of a gold value; refused when the model does not know it."""
    index = reading.index(value)
    if index is None:
        raise InputError(
            f"label {value!r} is not one of the model's labels {list(reading.labels)} (nor a position into them: "
            "numbers are positions only when every number in the file is one)"
        )
    return index
