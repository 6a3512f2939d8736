"""Programmed-attention marks for batches: marking many texts at once, and attaching marks to a padded batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from core.attention_program import has_program, token_marks
from core.executor import Batch, pad_ids
from core.model import LoadedModel
from core.paths import PathSpec


def marks_for_texts(model: LoadedModel, texts: Sequence[str], spec: PathSpec) -> list[tuple[int, ...]] | None:
    """Per text (withheld and tokenized as `PathEngine.prepare` does it): its token marks; None without a program."""
    if not has_program(spec):
        return None
    result: list[tuple[int, ...]] = []
    for text in texts:
        withheld = model.groups.withhold(text, spec.withhold, model.placeholder).text
        ids = model.tokenizer(withheld, add_special_tokens=True, truncation=False)["input_ids"]
        result.append(token_marks(model.tokenizer, model.groups, spec, withheld, ids) or ())
    return result


def attach_marks(batch: Batch, marks: Sequence[Sequence[int]] | None, window: int) -> Batch:
    """The batch with its rows' marks, truncated to `window` like the ids (`engine.pad_batch`) and padded alike."""
    if marks is None:
        return batch
    kept = [list(m) if len(m) <= window else [*m[: window - 1], m[-1]] for m in marks]
    padded = pad_ids(kept, 0, batch.input_ids.device).input_ids
    return replace(batch, token_marks=padded[:, : batch.input_ids.shape[1]])
