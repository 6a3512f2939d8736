"""Programmed-attention marks for many texts at once (windowed and padded with the ids by `core.run.runner`)."""

from __future__ import annotations

from collections.abc import Sequence

from core.model import LoadedModel
from core.path import PathSpec, has_program, token_marks


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
