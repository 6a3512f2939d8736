"""Programmable attention: `block` a group's tokens from chosen layers, or `emphasize` a group in chosen heads.

- `block=GROUP[@LAYERS]`: no head of those layers (default: every executed layer) may attend to the group's
  tokens; their keys get −inf before the softmax, so the remaining weights renormalise. A token blocked in every
  executed layer is also left out of the exit head's mean-pooled input.
- `emphasize=GROUP[@HEADS][:ALPHA]`: PASTA (Zhang et al., 2023) on those heads (default: every head that runs):
  attention to tokens outside the group is scaled by ALPHA (default 0.01) and each row renormalised.

Both are one additive bias on the pre-softmax scores (PASTA's rescaling is softmax(s + log ALPHA on the outside
keys)), so they run alike under the sdpa and eager kernels. This module is the program's grammar (its clauses,
checks, canonical text and JSON); running it is `core.run.attention_bias` (the bias) and `core.run.program_marks`
(which tokens each clause marks).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from core.errors import InvalidPathError

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


# -- validation and canonical text: `layers` are the path's executed layers, `active(layer)` its running heads ---------
def validate_program(
    block: Block | None,
    emphasis: Emphasis | None,
    layers: Sequence[int],
    active: Callable[[int], Sequence[int]],
    known: Sequence[str],
    withheld: frozenset[str],
) -> None:
    """Refuse a program that names an unknown (not in `known`) or withheld group, a skipped layer or a head that
    does not run."""
    for clause, group in (("block", block), ("emphasize", emphasis)):
        if group is None:
            continue
        check_group_known(clause, group.group, known)
        if group.group in withheld:
            raise InvalidPathError(
                f"{clause}={group.group} names a withheld group: its text never reaches the model; "
                f"drop it from withhold= or from {clause}="
            )
    skipped = sorted(block.layers - set(layers)) if block and block.layers is not None else []
    if skipped:
        raise InvalidPathError(
            f"block=...@{skipped[0]}: layer {skipped[0]} does not run on this path; block in run layers "
            f"({', '.join(map(str, layers))})"
        )
    if emphasis is not None:
        _validate_emphasis(emphasis, layers, active)


def _validate_emphasis(emphasis: Emphasis, layers: Sequence[int], active: Callable[[int], Sequence[int]]) -> None:
    if not 0 < emphasis.alpha <= 1:
        raise InvalidPathError(f"emphasis alpha {emphasis.alpha} is outside (0, 1]: give e.g. :0.01")
    if emphasis.heads is None:
        return
    if not emphasis.heads:
        raise InvalidPathError("emphasize=...@ names no head that runs: name heads as LAYER.HEAD or LAYER.*")
    for layer, head in sorted(emphasis.heads):
        if layer not in layers or head not in active(layer):
            raise InvalidPathError(
                f"emphasize=...@{layer}.{head}: head {layer}.{head} does not run on this path; "
                "emphasise heads of run layers that are not switched off"
            )


def program_clauses(
    block: Block | None,
    emphasis: Emphasis | None,
    layers: Sequence[int],
    active: Callable[[int], Sequence[int]],
    compress: Callable[[tuple[int, ...]], str],
) -> list[str]:
    """The canonical `block=` / `emphasize=` clauses (defaults dropped); `compress` writes a layer list."""
    clauses: list[str] = []
    if block is not None:
        blocked = [layer for layer in layers if block.layers is None or layer in block.layers]
        at = "" if len(blocked) == len(layers) else "@" + compress(tuple(sorted(blocked)))
        clauses.append(f"block={block.group}{at}")
    if emphasis is not None:
        heads = _emphasis_heads_text(emphasis, active)
        alpha = "" if emphasis.alpha == DEFAULT_ALPHA else f":{emphasis.alpha!r}"
        clauses.append(f"emphasize={emphasis.group}{'@' + heads if heads else ''}{alpha}")
    return clauses


def _emphasis_heads_text(emphasis: Emphasis, active: Callable[[int], Sequence[int]]) -> str:
    if emphasis.heads is None:
        return ""
    parts: list[str] = []
    for layer in sorted({lay for lay, _ in emphasis.heads}):
        heads = sorted(h for lay, h in emphasis.heads if lay == layer)
        if tuple(heads) == tuple(active(layer)):
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


def program_to_json(block: Block | None, emphasis: Emphasis | None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if block is not None:
        layers = None if block.layers is None else sorted(block.layers)
        data["block"] = {"group": block.group, "layers": layers}
    if emphasis is not None:
        heads = None if emphasis.heads is None else sorted([list(p) for p in emphasis.heads])
        data["emphasize"] = {"group": emphasis.group, "heads": heads, "alpha": emphasis.alpha}
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
