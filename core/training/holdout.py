"""Holding whole sentences out of training together with every phrase of them (issue 13).

SST-2's training file lists every phrase of every parse tree as its own row, and dev, test and users' texts are
whole sentences. A sentence left out of a random subset is rarely unseen: most of its phrases were trained on, so
it looks easier than new text, and temperatures or thresholds judged on it are too optimistic. A sentence held out
with all its word-aligned sub-phrases is as unseen as dev is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

MAX_PHRASE_WORDS = 80  # longer rows are not searched for sub-phrases (no phrase table has rows that long)


def sub_phrase_rows(texts: Sequence[str], rows: Sequence[int]) -> set[int]:
    """Rows of `texts` whose text is a proper word-aligned sub-phrase of the text of one of `rows`."""
    index: dict[str, int] = {}
    for row, text in enumerate(texts):
        index.setdefault(text, row)
    found: set[int] = set()
    for row in rows:
        words = texts[row].split()
        if len(words) > MAX_PHRASE_WORDS:
            continue
        for start in range(len(words)):
            for end in range(start + 1, len(words) + 1):
                if end - start < len(words):
                    hit = index.get(" ".join(words[start:end]))
                    if hit is not None and hit != row:
                        found.add(hit)
    return found


def complete_sentence_rows(texts: Sequence[str]) -> list[int]:
    """Rows whose text is a sub-phrase of no other row (word-aligned), in table order."""
    contained = sub_phrase_rows(texts, range(len(texts)))
    return [row for row in range(len(texts)) if row not in contained]


@dataclass(frozen=True)
class SentenceHoldout:
    """A split of a table: rows training may read, and complete sentences it must not (nor any of their phrases)."""

    train_rows: list[int]
    sentence_rows: list[int]


def hold_out_sentences(texts: Sequence[str], count: int, seed: int) -> SentenceHoldout:
    """`count` complete sentences drawn with `seed`; training keeps every row that is none of them nor inside one."""
    sentences = complete_sentence_rows(texts)
    if not 0 < count < len(sentences):
        raise ValueError(f"cannot hold out {count} of the table's {len(sentences)} complete sentences")
    order = torch.randperm(len(sentences), generator=torch.Generator().manual_seed(seed))[:count]
    held = sorted(sentences[i] for i in order.tolist())
    excluded = set(held) | sub_phrase_rows(texts, held)
    return SentenceHoldout([row for row in range(len(texts)) if row not in excluded], held)
