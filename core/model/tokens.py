"""A user's text to token ids, on every family: the string of a special token typed in a text (`[SEP]`, `[CLS]`,
`<s>`, `</s>`, `<mask>`) is read as plain text, so a user cannot inject structure into what the model reads. The
unknown token's string (`[UNK]`) stays one unknown token: it is what a withheld span becomes
(`LoadedModel.placeholder`), and typed by a user it says no more than that.

A text holding no special token's string is tokenized exactly as the tokenizer always did. A text holding one is
tokenized by a copy of the tokenizer made once with `split_special_tokens=True` (a per-call flag would flip a shared
setting of the Rust tokenizer under other threads), and the pieces of each `[UNK]` are joined back into its id. A
vocabulary that holds a special token as an ordinary piece (SentencePiece's, as DeBERTa-v3's) still reads the string
whole: such a token, found inside the text, becomes the unknown token, never structure.
"""

from __future__ import annotations

import copy
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core.errors import InputError

_SPLITTING: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Encoded:
    """A text's token ids (special tokens added); with a fast tokenizer, each token's (start, end) characters ((0, 0)
    for an added one) and the index of the word it is part of (None for an added one)."""

    ids: tuple[int, ...]
    offsets: tuple[tuple[int, int], ...]
    words: tuple[int | None, ...]


def encode(tokenizer: Any, text: str) -> Encoded:
    """The ids and offsets of `text` (untruncated, the model's special tokens added); offsets are empty for a slow
    (Python) tokenizer, which cannot read a text holding a special token's string."""
    fast = bool(getattr(tokenizer, "is_fast", False))
    typed = _typed_specials(tokenizer, text)
    if typed and not fast:
        raise InputError(
            "the text holds a special token's string (such as [SEP]) and this model's tokenizer is not a fast (Rust) "
            "one that can read it as plain text: remove it, or use a checkpoint with tokenizer.json"
        )
    chosen = _splitting(tokenizer) if typed else tokenizer
    encoded = chosen(text, add_special_tokens=True, truncation=False, return_offsets_mapping=fast)
    ids, offsets = list(encoded["input_ids"]), [tuple(pair) for pair in encoded.get("offset_mapping", [])]
    words = encoded.word_ids() if fast else []
    if typed:
        ids, offsets, words = _join_unknowns(tokenizer, text, ids, offsets, words)
        structure = set(tokenizer.all_special_ids) - {tokenizer.unk_token_id}
        inside = [end > start for start, end in offsets]
        ids = [tokenizer.unk_token_id if i in structure and text_ else i for i, text_ in zip(ids, inside, strict=True)]
    return Encoded(tuple(ids), tuple(offsets), tuple(words))


def encode_ids(tokenizer: Any, texts: Sequence[str]) -> list[list[int]]:
    """The ids of every text, as `encode` gives them; texts without a special token's string in one tokenizer call."""
    plain = [i for i, text in enumerate(texts) if not _typed_specials(tokenizer, text)]
    result: list[list[int]] = [[] for _ in texts]
    if plain:
        ids = tokenizer([texts[i] for i in plain], add_special_tokens=True, truncation=False)["input_ids"]
        for index, row in zip(plain, ids, strict=True):
            result[index] = list(row)
    for index in sorted(set(range(len(texts))) - set(plain)):
        result[index] = list(encode(tokenizer, texts[index]).ids)
    return result


def _typed_specials(tokenizer: Any, text: str) -> bool:
    """Whether `text` holds the string of a special token other than the unknown one."""
    return any(token in text for token in tokenizer.all_special_tokens if token and token != tokenizer.unk_token)


def _splitting(tokenizer: Any) -> Any:
    """A copy of `tokenizer` that reads special tokens' strings as text (made once per tokenizer)."""
    with _LOCK:
        splitting = _SPLITTING.get(tokenizer)
        if splitting is None:
            splitting = copy.deepcopy(tokenizer)
            splitting.split_special_tokens = True
            _SPLITTING[tokenizer] = splitting
        return splitting


def _join_unknowns(
    tokenizer: Any, text: str, ids: list[int], offsets: list[tuple[int, int]], words: list[int | None]
) -> tuple[list[int], list[tuple[int, int]], list[int | None]]:
    """Each `[UNK]` in `text`, split into pieces by the splitting tokenizer, back to the one unknown id (its word:
    the first piece's)."""
    unknown = tokenizer.unk_token
    if not unknown or unknown not in text:
        return ids, offsets, words
    spans, start = [], text.find(unknown)
    while start >= 0:
        spans.append((start, start + len(unknown)))
        start = text.find(unknown, start + len(unknown))
    joined_ids: list[int] = []
    joined_offsets: list[tuple[int, int]] = []
    joined_words: list[int | None] = []
    for token_id, (begin, end), word in zip(ids, offsets, words, strict=True):
        span = next((s for s in spans if end > begin and begin < s[1] and end > s[0]), None)
        if span is None or not joined_offsets or joined_offsets[-1] != span:
            joined_ids.append(token_id if span is None else int(tokenizer.unk_token_id))
            joined_offsets.append((begin, end) if span is None else span)
            joined_words.append(word)
    return joined_ids, joined_offsets, joined_words
