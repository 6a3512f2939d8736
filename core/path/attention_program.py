"""Programmable attention: `block` a group's tokens from chosen layers, or `emphasize` a group in chosen heads.

- `block=GROUP[@LAYERS]`: no head of those layers (default: every executed layer) may attend to the group's
  tokens; their keys get −inf before the softmax, so the remaining weights renormalise. A token blocked in every
  executed layer is also left out of the exit head's mean-pooled input.
- `emphasize=GROUP[@HEADS][:ALPHA]`: PASTA (Zhang et al., 2023) on those heads (default: every head that runs):
  attention to tokens outside the group is scaled by ALPHA (default 0.01) and each row renormalised.

Both are one additive bias on the pre-softmax scores (PASTA's rescaling is softmax(s + log ALPHA on the outside
keys)), so they run alike under the sdpa and eager kernels. A text's tokens carry integer marks (bit 1: in the
blocked group, bit 2: in the emphasised group) that travel beside the token ids through padding and windows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import torch

from core.errors import InputError, InvalidPathError

if TYPE_CHECKING:
    from core.path.groups import GroupSet
    from core.path.spec import PathSpec

BLOCK_MARK = 1
EMPHASIS_MARK = 2
DEFAULT_ALPHA = 0.01


@dataclass(frozen=True)
class Block:
    """`block=GROUP[@LAYERS]`; `layers` None = every executed layer."""

    group: str
    layers: frozenset[int] | None = None


@dataclass(frozen=True)
class Emphasis:
    """`emphasize=GROUP[@HEADS][:ALPHA]`; `heads` None = every head that runs."""

    group: str
    heads: frozenset[tuple[int, int]] | None = None
    alpha: float = DEFAULT_ALPHA


@dataclass(frozen=True)
class LayerProgram:
    """What one layer's attention is told: block the marked keys, and/or emphasise in `emphasis_heads`."""

    block: bool
    emphasis_heads: tuple[int, ...] = ()
    alpha: float = DEFAULT_ALPHA


def parse_alpha(text: str) -> float:
    try:
        alpha = float(text)
    except ValueError:
        raise InvalidPathError(f"emphasis alpha must be a number in (0, 1], e.g. 0.01; got {text!r}") from None
    if not (math.isfinite(alpha) and 0 < alpha <= 1):
        raise InvalidPathError(f"emphasis alpha {text} is outside (0, 1]: give e.g. :0.01 (smaller = stronger)")
    return alpha


def check_group_known(clause: str, group: str, known: Sequence[str]) -> None:
    """Refuse `clause`=`group` when the model's template has no such input group, naming the known ones."""
    if group not in known:
        raise InvalidPathError(
            f"{clause}= names unknown input group {group}: known groups are {', '.join(known)} "
            "(define your own with --group NAME=words:A,B or NAME=regex:PATTERN)"
        )


# -- validation and canonical text --------------------------------------------------------------------------------
def validate_program(spec: PathSpec) -> None:
    """Refuse a program that names an unknown or withheld group, a skipped layer or a head that does not run."""
    for clause, group in (("block", spec.block), ("emphasize", spec.emphasize)):
        if group is None:
            continue
        check_group_known(clause, group.group, spec.template.groups)
        if group.group in spec.withhold:
            raise InvalidPathError(
                f"{clause}={group.group} names a withheld group: its text never reaches the model; "
                f"drop it from withhold= or from {clause}="
            )
    skipped = sorted(spec.block.layers - set(spec.layers)) if spec.block and spec.block.layers is not None else []
    if skipped:
        raise InvalidPathError(
            f"block=...@{skipped[0]}: layer {skipped[0]} does not run on this path; block in run layers "
            f"({', '.join(map(str, spec.layers))})"
        )
    if spec.emphasize is not None:
        _validate_emphasis(spec, spec.emphasize)


def _validate_emphasis(spec: PathSpec, emphasis: Emphasis) -> None:
    if not 0 < emphasis.alpha <= 1:
        raise InvalidPathError(f"emphasis alpha {emphasis.alpha} is outside (0, 1]: give e.g. :0.01")
    if emphasis.heads is None:
        return
    if not emphasis.heads:
        raise InvalidPathError("emphasize=...@ names no head that runs: name heads as LAYER.HEAD or LAYER.*")
    for layer, head in sorted(emphasis.heads):
        if layer not in spec.layers or head not in spec.active_heads(layer):
            raise InvalidPathError(
                f"emphasize=...@{layer}.{head}: head {layer}.{head} does not run on this path; "
                "emphasise heads of run layers that are not switched off"
            )


def program_clauses(spec: PathSpec, compress: Callable[[tuple[int, ...]], str]) -> list[str]:
    """The canonical `block=` / `emphasize=` clauses (defaults dropped); `compress` writes a layer list."""
    clauses: list[str] = []
    if spec.block is not None:
        layers = [layer for layer in spec.layers if spec.block.layers is None or layer in spec.block.layers]
        at = "" if len(layers) == len(spec.layers) else "@" + compress(tuple(sorted(layers)))
        clauses.append(f"block={spec.block.group}{at}")
    if spec.emphasize is not None:
        heads = _emphasis_heads_text(spec)
        alpha = "" if spec.emphasize.alpha == DEFAULT_ALPHA else f":{spec.emphasize.alpha!r}"
        clauses.append(f"emphasize={spec.emphasize.group}{'@' + heads if heads else ''}{alpha}")
    return clauses


def _emphasis_heads_text(spec: PathSpec) -> str:
    chosen = spec.emphasize.heads if spec.emphasize is not None else None
    if chosen is None:
        return ""
    parts: list[str] = []
    for layer in sorted({lay for lay, _ in chosen}):
        heads = sorted(h for lay, h in chosen if lay == layer)
        if tuple(heads) == spec.active_heads(layer):
            parts.append(f"{layer}.*")
        else:
            parts.extend(f"{layer}.{h}" for h in heads)
    return ",".join(parts)


def normalise_program(
    spec_layers: Sequence[int],
    active: Callable[[int], Sequence[int]],
    block: Block | None,
    emphasis: Emphasis | None,
) -> tuple[Block | None, Emphasis | None]:
    """Drop choices equal to the defaults (all executed layers, all running heads) so equal programs compare equal.

    `active(layer)` gives the running heads of a layer.
    """
    if block is not None and block.layers is not None and set(spec_layers) == block.layers:  # not a superset
        block = Block(block.group)
    if emphasis is not None and emphasis.heads is not None:
        running = {(layer, h) for layer in spec_layers for h in active(layer)}
        if emphasis.heads == running:
            emphasis = Emphasis(emphasis.group, None, emphasis.alpha)
    return block, emphasis


def program_to_json(spec: PathSpec) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if spec.block is not None:
        layers = None if spec.block.layers is None else sorted(spec.block.layers)
        data["block"] = {"group": spec.block.group, "layers": layers}
    if spec.emphasize is not None:
        heads = None if spec.emphasize.heads is None else sorted([list(p) for p in spec.emphasize.heads])
        data["emphasize"] = {"group": spec.emphasize.group, "heads": heads, "alpha": spec.emphasize.alpha}
    return data


def program_from_json(data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if data.get("block"):
        layers = data["block"].get("layers")
        values["block"] = Block(str(data["block"]["group"]), None if layers is None else frozenset(map(int, layers)))
    if data.get("emphasize"):
        emph = data["emphasize"]
        heads = None if emph.get("heads") is None else frozenset((int(a), int(b)) for a, b in emph["heads"])
        values["emphasize"] = Emphasis(str(emph["group"]), heads, float(emph.get("alpha", DEFAULT_ALPHA)))
    return values


def program_text(spec: PathSpec) -> str:
    """The `block=` / `emphasize=` clauses of the canonical path ("" when attention is not programmed)."""
    return "; ".join(c for c in spec.canonical.split("; ") if c.startswith(("block=", "emphasize=")))


# -- the program of one layer, and its bias on the scores ----------------------------------------------------------
def has_program(spec: PathSpec) -> bool:
    return spec.block is not None or spec.emphasize is not None


def program_groups(spec: PathSpec) -> tuple[str | None, str | None]:
    """The (blocked, emphasised) groups: paths with equal ones share their texts' token marks."""
    return (
        spec.block.group if spec.block is not None else None,
        spec.emphasize.group if spec.emphasize is not None else None,
    )


def layer_program(spec: PathSpec, layer: int) -> LayerProgram | None:
    """The program of `layer` on this path (None: attention runs unprogrammed there)."""
    block = spec.block is not None and (spec.block.layers is None or layer in spec.block.layers)
    heads: tuple[int, ...] = ()
    alpha = DEFAULT_ALPHA
    if spec.emphasize is not None:
        chosen = spec.emphasize.heads
        heads = tuple(h for h in spec.active_heads(layer) if chosen is None or (layer, h) in chosen)
        alpha = spec.emphasize.alpha
    if not block and not heads:
        return None
    return LayerProgram(block, heads, alpha)


def programmed_heads(spec: PathSpec) -> dict[int, tuple[int, ...]]:
    """layer -> the running heads whose attention is programmed (every running head of a blocking layer)."""
    result: dict[int, tuple[int, ...]] = {}
    for layer in spec.layers:
        program = layer_program(spec, layer)
        if program is not None:
            result[layer] = spec.active_heads(layer) if program.block else program.emphasis_heads
    return result


def attention_bias(
    program: LayerProgram | None,
    marks: torch.Tensor | None,  # (B or 1, T) integer marks
    active: tuple[int, ...],
    batch_size: int,
    dtype: torch.dtype,
) -> torch.Tensor | None:
    """(B, h_active or 1, 1, T) additive bias on the scores of the heads that run, or None (nothing programmed)."""
    if program is None or marks is None:
        return None
    marks = marks.expand(batch_size, -1)
    bias = torch.zeros(batch_size, 1, 1, marks.shape[1], dtype=dtype, device=marks.device)
    if program.block:
        blocked = (marks & BLOCK_MARK).bool()[:, None, None, :]
        bias = bias.masked_fill(blocked, torch.finfo(dtype).min)
    if program.emphasis_heads:
        scaled = ~(marks & EMPHASIS_MARK).bool()[:, None, None, :]  # (B, 1, 1, T): keys outside the group
        if set(active) - set(program.emphasis_heads):  # only some heads: (B, h_active, 1, T)
            chosen = torch.tensor([h in program.emphasis_heads for h in active], device=marks.device)
            scaled = scaled & chosen[None, :, None, None]
        bias = bias + scaled.to(dtype) * math.log(program.alpha)
    return bias


def pooling_mask(spec: PathSpec, marks: torch.Tensor | None, attention_mask: torch.Tensor) -> torch.Tensor:
    """The exit head's pooling mask (B, T): tokens blocked in every executed layer are left out."""
    if marks is None or spec.block is None or (spec.block.layers is not None and set(spec.layers) - spec.block.layers):
        return attention_mask
    blocked = (marks.expand(attention_mask.shape[0], -1) & BLOCK_MARK).bool()
    return attention_mask.masked_fill(blocked, 0)


# -- marking a text's tokens ----------------------------------------------------------------------------------------
def token_marks(
    tokenizer: Any, groups: GroupSet, spec: PathSpec, text: str, token_ids: Sequence[int]
) -> tuple[int, ...] | None:
    """Per token of `text` (the withheld text, as tokenized into `token_ids`): its program marks; None if none."""
    if not has_program(spec):
        return None
    if not getattr(tokenizer, "is_fast", False):
        raise InputError("programmed attention needs a fast (Rust) tokenizer to find the group's tokens")
    encoded = tokenizer(text, add_special_tokens=True, truncation=False, return_offsets_mapping=True)
    if tuple(encoded["input_ids"]) != tuple(token_ids):
        raise InputError("the tokenizer gave different tokens the second time: decide the text again")
    marks = [0] * len(token_ids)
    for bit, clause in ((BLOCK_MARK, spec.block), (EMPHASIS_MARK, spec.emphasize)):
        if clause is None:
            continue
        spans = [(s.start, s.end) for s in groups.find(text, [clause.group])]
        for index, (start, end) in enumerate(encoded["offset_mapping"]):
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
