"""Attribution units: the content tokens of the decided text, mapped back to characters of the original text."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from core.errors import InputError
from core.model import encode
from core.path import WithheldText


@dataclass(frozen=True)
class Unit:
    """One content token. `start`/`end` are character offsets in the original text; `word` groups word pieces.

    A withheld span's placeholder is one unit with `withheld` set to its group and no text of the original span.
    """

    text: str | None  # None in a stored explanation whose text was not kept (redacted)
    start: int
    end: int
    word: int
    withheld: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def token_units(tokenizer: Any, original: str, withheld: WithheldText, token_ids: tuple[int, ...]) -> list[Unit]:
    """Units for `token_ids` (specials included, as `PathEngine.prepare` made them) minus the first and last."""
    if not getattr(tokenizer, "is_fast", False):
        raise InputError("explanations need a fast (Rust) tokenizer to map tokens back to the text")
    encoded = encode(tokenizer, withheld.text)
    if encoded.ids != token_ids:
        raise InputError("the tokenizer gave different tokens the second time: explain the text again")
    offsets = encoded.offsets[1:-1]
    word_ids = encoded.words[1:-1]
    units: list[Unit] = []
    for (start, end), word in zip(offsets, word_ids, strict=True):
        group, original_start, original_end = _to_original(withheld, start, end)
        text = "" if group is not None else original[original_start:original_end]
        units.append(Unit(text, original_start, original_end, -1 if word is None else int(word), group))
    return units


def _to_original(withheld: WithheldText, start: int, end: int) -> tuple[str | None, int, int]:
    """(withheld group or None, start, end) in the original text of a character span of the withheld text."""
    shift = 0
    for group, original_start, original_end, new_start, new_end in withheld.replacements:
        if start < new_end and end > new_start:
            return group, original_start, original_end
        if new_end <= start:
            shift += (original_end - original_start) - (new_end - new_start)
    return None, start + shift, end + shift
