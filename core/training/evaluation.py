"""Accuracy of every depth of a path on a labelled table, all depths from one pass per batch.

Texts are read as decisions read them: in windows when longer than the model's window.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tqdm import tqdm

from core.errors import InputError
from core.run import PathEngine, marks_of
from core.training.data import read_text_table


def evaluate_depths(
    engine: PathEngine, path: str | Path, text_col: str, label_col: str, spec_text: str = "full", batch_size: int = 64
) -> dict[str, Any]:
    """{'rows', 'accuracy_by_depth': {depth: acc}} for depths 1..len(path) that have an exit head."""
    spec = engine.parse(spec_text)
    frame = read_text_table(path, text_col, label_col)
    labels = list(engine.model.labels)
    gold = [_label_index(value, labels) for value in frame[label_col]]
    exit_layers = engine.model.template.exit_layers or spec.layers
    positions = [i for i, layer in enumerate(spec.layers) if layer in exit_layers]
    depths = [spec.replace(layers=spec.layers[: position + 1]) for position in positions]
    correct = dict.fromkeys(positions, 0)
    texts = frame[text_col].tolist()
    for start in tqdm(range(0, len(texts), batch_size), desc="evaluate", unit="batch"):
        chunk = texts[start : start + batch_size]
        prepared = [engine.prepare(t, spec) for t in chunk]
        run = engine.run(depths, [p.token_ids for p in prepared], marks=marks_of(prepared))  # one pass for all depths
        for position, logits in zip(positions, run.outputs, strict=True):
            predicted = logits.argmax(-1).tolist()
            correct[position] += sum(p == g for p, g in zip(predicted, gold[start : start + batch_size], strict=True))
    return {
        "rows": len(texts),
        "path": spec.canonical,
        "model_fingerprint": engine.model.fingerprint,
        "accuracy_by_depth": {str(p + 1): round(correct[p] / len(texts), 4) for p in positions},
    }


def _label_index(value: Any, labels: list[str]) -> int:
    """A gold label given as a name ('positive') or as the index of a name (1)."""
    text = str(value)
    if text in labels:
        return labels.index(text)
    if text.isdigit() and int(text) < len(labels):
        return int(text)
    raise InputError(f"label {text!r} is not one of the model's labels {labels} (nor an index into them)")
