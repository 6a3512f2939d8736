"""The executor: run exactly the layers and heads of a path, as a plain loop over the chosen layers.

Nothing is installed on the shared model: head gates and attention capture travel as per-call kwargs into the
registered `pathlens` attention function (see `core.model.attention`), so a failed run leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import torch

from core.model import LayerInputs, Variant
from core.path import PathSpec, PolicyState, RowExit, step
from core.run.attention_bias import LayerProgram, attention_bias, layer_program, pooling_mask
from core.run.pruned import can_prune, run_pruned_layer, skip_attention

# (layer, attention probabilities (B, h_active, T, T), active head indices)
LayerAttentionSink = Callable[[int, torch.Tensor, torch.Tensor], None]
# (variant, layer, hidden (B, T, D), attention mask (B, T)) -> what to read out at an exit
Readout = Callable[[Variant, int, torch.Tensor, torch.Tensor], torch.Tensor]


@dataclass(frozen=True)
class Gates:
    """Per-row factors on each head's output and each layer's update (attribution patching, `core.advise`).

    1 everywhere is the path as it is; a head gate of 0 switches the head off, a layer gate of 0 skips the layer
    (its input passes through). Gradients flow to both.
    """

    heads: torch.Tensor  # (B, L, H) over all the model's layers and heads
    layers: torch.Tensor  # (B, L)


@dataclass(frozen=True)
class Batch:
    """Token ids and mask of a padded batch, on the variant's device."""

    input_ids: torch.Tensor  # (B, T)
    attention_mask: torch.Tensor  # (B, T)
    word_embeds: torch.Tensor | None = None  # (B, T, E): used instead of looking up input_ids (attributions)
    token_marks: torch.Tensor | None = None  # (B or 1, T) programmed-attention marks (core.run.program_marks)


def pad_ids(token_lists: Sequence[Sequence[int]], pad_id: int, device: torch.device) -> Batch:
    """Right-pad to the longest list (no truncation)."""
    length = max(len(ids) for ids in token_lists)
    input_ids = torch.full((len(token_lists), length), pad_id, dtype=torch.long)
    attention_mask = torch.zeros((len(token_lists), length), dtype=torch.long)
    for row, ids in enumerate(token_lists):
        input_ids[row, : len(ids)] = torch.tensor(list(ids), dtype=torch.long)
        attention_mask[row, : len(ids)] = 1
    return Batch(input_ids.to(device), attention_mask.to(device))


def embed(
    variant: Variant,
    input_ids: torch.Tensor,
    word_embeds: torch.Tensor | None = None,
    attention_mask: torch.Tensor | None = None,
) -> torch.Tensor:
    """(B, T) ids -> (B, T, D) input of layer 0, as the model's family embeds them.

    `word_embeds` (B, T, E) replaces the word-embedding lookup; positions and token types still follow the ids.
    """
    mask = attention_mask if attention_mask is not None else torch.ones_like(input_ids)
    return variant.family.embed(variant.encoder, input_ids, mask, word_embeds)


def exit_logits(variant: Variant, layer: int, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """The decision at `layer`: the checkpoint's own classifier at the last layer, else the exit head."""
    if variant.native_head is not None and variant.decides_natively(layer):
        return variant.native_head(hidden, attention_mask)
    assert variant.exit_heads is not None, f"layer {layer} has no exit head"
    return variant.exit_heads(layer, *variant.exit_inputs(hidden, attention_mask))


def layer_inputs(variant: Variant, hidden: torch.Tensor, attention_mask: torch.Tensor) -> LayerInputs:
    """What every layer of this batch needs (masks, rotary positions), built once per batch by the family."""
    return variant.family.layer_inputs(variant.encoder, hidden, attention_mask)


def run_layers(
    variant: Variant,
    batch: Batch,
    spec: PathSpec,
    exits: Iterable[int] | None = None,
    attention_sink: LayerAttentionSink | None = None,
    kernel: str = "sdpa",
    readout: Readout = exit_logits,
    gates: Gates | None = None,
) -> dict[int, torch.Tensor]:
    """Run the path's layers in order; return the readout ((B, C) logits by default) at each exit position.

    `exits` are positions in `spec.layers` after which to read out (default: only the last), so all depths of
    a path come out of one pass; layers after the last exit are never entered. Gradients flow if enabled.
    `gates` scale heads' outputs and layers' updates per row (see `Gates`).
    """
    positions = sorted(set(exits)) if exits is not None else [len(spec.layers) - 1]
    hidden = embed(variant, batch.input_ids, batch.word_embeds, batch.attention_mask)  # (B, T, D)
    inputs = layer_inputs(variant, hidden, batch.attention_mask)
    num_heads = spec.template.num_heads
    pooled = pooling_mask(spec, batch.token_marks, batch.attention_mask)
    biases: dict[tuple[LayerProgram, tuple[int, ...]], torch.Tensor] = {}
    results: dict[int, torch.Tensor] = {}
    for position, layer in enumerate(spec.layers[: positions[-1] + 1]):
        active = spec.active_heads(layer)
        bias = _program_bias(layer_program(spec, layer), batch.token_marks, active, hidden, biases)
        head_gate = None if gates is None else gates.heads[:, layer]  # (B, H)
        updated = _run_layer(variant, layer, active, num_heads, hidden, inputs, kernel, attention_sink, bias, head_gate)
        if gates is not None:
            updated = hidden + gates.layers[:, layer, None, None].to(hidden.dtype) * (updated - hidden)
        hidden = updated
        if position in positions:
            results[position] = readout(variant, layer, hidden, pooled)
    return results


def _program_bias(
    program: LayerProgram | None,
    marks: torch.Tensor | None,  # (B, T) program marks of the batch's rows
    active: tuple[int, ...],
    hidden: torch.Tensor,
    made: dict[tuple[LayerProgram, tuple[int, ...]], torch.Tensor],
) -> torch.Tensor | None:
    """The layer's programmed-attention bias; layers with the same program and heads share one (`made`)."""
    if program is None or marks is None:
        return None
    key = (program, active)
    if key not in made:
        made[key] = attention_bias(program, marks, active, hidden.shape[0], hidden.dtype)
    return made[key]


def _run_layer(
    variant: Variant,
    layer: int,
    active: tuple[int, ...],
    num_heads: int,
    hidden: torch.Tensor,  # (B, T, D)
    inputs: LayerInputs,
    kernel: str = "sdpa",
    attention_sink: LayerAttentionSink | None = None,
    bias: torch.Tensor | None = None,
    head_gate: torch.Tensor | None = None,
) -> torch.Tensor:
    """One layer with only the `active` heads computed; returns (B, T, D).

    All heads on: the model's own layer module runs. Some heads off: the layer runs with the off heads' weights
    sliced away (`core.run.pruned`, BERT family), or, where projections cannot be sliced (int8, other families),
    with them gated in attention. Every head off (BERT family, any precision): attention is skipped altogether.
    `head_gate`: (B, H) factors on the heads' outputs.
    """
    family = variant.family
    module = family.layers(variant.encoder)[layer]
    sink = _bind(attention_sink, layer) if attention_sink is not None else None
    if not active and family.prunes:
        if sink is not None:  # the maps still show the layer ran, with no head: (B, 0, T, T)
            length = hidden.shape[1]
            sink(hidden.new_zeros(hidden.shape[0], 0, length, length), hidden.new_zeros(0, dtype=torch.long))
        return skip_attention(module, hidden)
    if len(active) < num_heads and family.prunes and can_prune(module):
        return run_pruned_layer(module, active, num_heads, hidden, inputs.mask(layer), kernel, sink, bias, head_gate)
    kwargs: dict[str, object] = {"pathlens_kernel": kernel}
    if head_gate is not None:
        kwargs["pathlens_head_gate"] = head_gate
    if len(active) < num_heads:
        kwargs["pathlens_active_heads"] = torch.tensor(active, dtype=torch.long, device=hidden.device)
    if sink is not None:
        kwargs["pathlens_attention_sink"] = sink
    if bias is not None:
        kwargs["pathlens_attention_bias"] = bias
    return family.call_layer(module, layer, hidden, inputs, kwargs)


@dataclass
class _PrefixNode:
    """A node of the prefix trie: a (layer, active heads, attention program) step, its children, the specs exiting."""

    children: dict[tuple[int, tuple[int, ...], LayerProgram | None], _PrefixNode] = field(default_factory=dict)
    exits: list[int] = field(default_factory=list)


def run_paths(
    variant: Variant,
    batch: Batch,
    specs: Sequence[PathSpec],
    readout: Readout = exit_logits,
    before_layer: Callable[[], None] | None = None,
) -> list[torch.Tensor]:
    """The readout ((B, C) logits) of every spec, computing each shared prefix of (layer, active heads) once.

    The specs form a trie over their layer steps (a step includes its programmed attention); a depth-first walk
    runs each trie edge once, so all depths of one path cost one pass. Every spec must share the batch's input
    (same withheld groups, and the token marks of any programmed attention) and the variant.
    `before_layer` is called before each layer runs (e.g. to yield to foreground work).
    """
    if not specs:
        return []
    num_heads = specs[0].template.num_heads
    root = _PrefixNode()
    for index, spec in enumerate(specs):
        node = root
        for layer in spec.layers:
            step = (layer, spec.active_heads(layer), layer_program(spec, layer))
            node = node.children.setdefault(step, _PrefixNode())
        node.exits.append(index)
    hidden = embed(variant, batch.input_ids, batch.word_embeds, batch.attention_mask)  # (B, T, D)
    inputs = layer_inputs(variant, hidden, batch.attention_mask)
    results: list[torch.Tensor | None] = [None] * len(specs)
    biases: dict[tuple[LayerProgram, tuple[int, ...]], torch.Tensor] = {}

    def visit(node: _PrefixNode, parent_hidden: torch.Tensor) -> None:
        for (layer, active, program), child in node.children.items():
            if before_layer is not None:
                before_layer()
            bias = _program_bias(program, batch.token_marks, active, parent_hidden, biases)
            child_hidden = _run_layer(variant, layer, active, num_heads, parent_hidden, inputs, bias=bias)  # (B, T, D)
            for index in child.exits:
                pooled = pooling_mask(specs[index], batch.token_marks, batch.attention_mask)
                results[index] = readout(variant, layer, child_hidden, pooled)
            visit(child, child_hidden)

    visit(root, hidden)
    return [result for result in results if result is not None]


def _bind(sink: LayerAttentionSink, layer: int) -> Callable[[torch.Tensor, torch.Tensor], None]:
    return lambda weights, heads: sink(layer, weights, heads)


def path_logits(
    variant: Variant,
    batch: Batch,
    spec: PathSpec,
    attention_sink: LayerAttentionSink | None = None,
    kernel: str = "sdpa",
) -> torch.Tensor:
    """(B, C) logits of the path's exit."""
    return run_layers(variant, batch, spec, attention_sink=attention_sink, kernel=kernel)[len(spec.layers) - 1]


@dataclass(frozen=True)
class AdaptiveRun:
    """Per row of the batch: the logits of the exit where it stopped (B, C) and where and why it stopped."""

    logits: torch.Tensor  # (B, C)
    exits: tuple[RowExit, ...]


def run_adaptive(
    variant: Variant,
    batch: Batch,
    spec: PathSpec,
    readout: Readout = exit_logits,
    before_layer: Callable[[], None] | None = None,
) -> AdaptiveRun:
    """Run a path with an exit policy: after each exit the rows that stop leave the batch, the rest go on.

    Exited rows are never computed again: hidden states and masks of the running rows are `index_select`ed and
    their padding trimmed to the longest running row, so the batch shrinks as rows exit. The policy's rule is
    `core.path.exit_policy.step`; the path's last layer decides for rows that never triggered. `before_layer` is called
    before each layer runs, as in `run_paths`.
    """
    assert spec.exit is not None, "run_adaptive needs a path with an exit policy"
    exit_positions, last = set(spec.exit_positions), len(spec.layers) - 1
    rows = batch.input_ids.shape[0]
    hidden = embed(variant, batch.input_ids, batch.word_embeds, batch.attention_mask)  # (B, T, D)
    attention_mask = batch.attention_mask  # (b, T) of the running rows
    marks = batch.token_marks  # (b, T) program marks of the running rows, or None
    pooled = pooling_mask(spec, marks, attention_mask)
    biases: dict[tuple[LayerProgram, tuple[int, ...]], torch.Tensor] = {}  # per program and heads, for these rows
    running = list(range(rows))  # batch row of each running row
    state = PolicyState.start(rows, hidden.device)
    logits_out: list[torch.Tensor | None] = [None] * rows
    exits: list[RowExit | None] = [None] * rows
    layer_tokens: list[list[int]] = [[] for _ in range(rows)]
    evaluated = 0
    inputs = layer_inputs(variant, hidden, attention_mask)
    for position, layer in enumerate(spec.layers):
        if before_layer is not None:
            before_layer()
        active = spec.active_heads(layer)
        bias = _program_bias(layer_program(spec, layer), marks, active, hidden, biases)
        hidden = _run_layer(variant, layer, active, spec.template.num_heads, hidden, inputs, bias=bias)
        for row in running:
            layer_tokens[row].append(hidden.shape[1])
        if position not in exit_positions:
            continue
        evaluated += 1
        logits = readout(variant, layer, hidden, pooled)  # (b, C)
        stop, value, state = step(spec.exit, state, logits)
        fired = stop.tolist()
        values = value.tolist()
        for index, row in enumerate(running):
            if fired[index] or position == last:
                logits_out[row] = logits[index]
                exits[row] = RowExit(
                    position, layer, spec.exit.rule, values[index], fired[index], evaluated, tuple(layer_tokens[row])
                )
        keep = [index for index in range(len(running)) if not fired[index]]
        if not keep or position == last:
            break
        if len(keep) < len(running):
            hidden, attention_mask, state = _shrink(hidden, attention_mask, state, keep)
            if marks is not None:  # (b, T) or one row (1, T) shared by every row
                kept = marks if marks.shape[0] == 1 else marks.index_select(0, torch.tensor(keep, device=marks.device))
                marks = kept[:, : attention_mask.shape[1]]
            pooled, biases = pooling_mask(spec, marks, attention_mask), {}
            running = [running[index] for index in keep]
            inputs = layer_inputs(variant, hidden, attention_mask)
    return AdaptiveRun(torch.stack([t for t in logits_out if t is not None]), tuple(e for e in exits if e is not None))


def _shrink(
    hidden: torch.Tensor, attention_mask: torch.Tensor, state: PolicyState, keep: list[int]
) -> tuple[torch.Tensor, torch.Tensor, PolicyState]:
    """The running rows `keep` only, with padding trimmed to the longest of them: (b', T', D), (b', T')."""
    index = torch.tensor(keep, dtype=torch.long, device=hidden.device)
    attention_mask = attention_mask.index_select(0, index)
    length = int(attention_mask.sum(dim=1).max())
    return hidden.index_select(0, index)[:, :length], attention_mask[:, :length], state.select(index)
