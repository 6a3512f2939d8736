"""Programmed-attention marks: per token of a text, whether it is in the blocked group (bit 1) and in the emphasised
group (bit 2); they travel beside the token ids through windows and padding (`core.run.runner`)."""

from __future__ import annotations

from collections.abc import Sequence

from core.errors import InputError
from core.model import Encoded, LoadedModel, encode
from core.path import GroupSet, PathSpec, has_program

BLOCK_MARK = 1
EMPHASIS_MARK = 2


def marks_for_texts(model: LoadedModel, texts: Sequence[str], spec: PathSpec) -> list[tuple[int, ...]] | None:
    """Per text (withheld and tokenized as `PathEngine.prepare` does it): its token marks; None without a program."""
    if not has_program(spec):
        return None
    result: list[tuple[int, ...]] = []
    for text in texts:
        withheld = model.groups.withhold(text, spec.withhold, model.placeholder).text
        result.append(token_marks(model.groups, spec, withheld, encode(model.tokenizer, withheld)) or ())
    return result


def token_marks(groups: GroupSet, spec: PathSpec, text: str, encoded: Encoded) -> tuple[int, ...] | None:
    """Per token of `text` (the withheld text, as `core.model.encode` tokenized it): its program marks; None if none."""
    if not has_program(spec):
        return None
    if not encoded.offsets:
        raise InputError("programmed attention needs a fast (Rust) tokenizer to find the group's tokens")
    marks = [0] * len(encoded.ids)
    for bit, clause in ((BLOCK_MARK, spec.block), (EMPHASIS_MARK, spec.emphasize)):
        if clause is None:
            continue
        spans = [(s.start, s.end) for s in groups.find(text, [clause.group])]
        for index, (start, end) in enumerate(encoded.offsets):
            if end > start and any(start < s_end and end > s_start for s_start, s_end in spans):
                marks[index] |= bit
    return tuple(marks)


def marked_counts(spec: PathSpec, marks: Sequence[int] | None) -> dict[str, int]:
    """How many tokens each clause marked, e.g. {"block": 3, "emphasize": 0}."""
    counts: dict[str, int] = {}
    for name, bit, clause in (("block", BLOCK_MARK, spec.block), ("emphasize", EMPHASIS_MARK, spec.emphasize)):
        if clause is not None:
            counts[name] = sum(1 for mark in marks or () if mark & bit)
    return counts


def program_notes(spec: PathSpec, marks: Sequence[int] | None) -> list[str]:
    """One line per clause saying what it did to this text (or that the group was not found)."""
    notes: list[str] = []
    counts = marked_counts(spec, marks)
    if spec.block is not None:
        found = counts["block"]
        notes.append(
            f"block={spec.block.group}: {found} token(s) blocked from attention"
            if found
            else f"block={spec.block.group}: the group does not occur in the text, nothing was blocked"
        )
    if spec.emphasize is not None:
        found = counts["emphasize"]
        notes.append(
            f"emphasize={spec.emphasize.group}: {found} token(s) emphasised (others scaled by {spec.emphasize.alpha!r})"
            if found
            else f"emphasize={spec.emphasize.group}: the group does not occur in the text; all keys were scaled alike"
        )
    return notes
