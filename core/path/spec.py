"""The computation path: which layers run, which heads are on, what input is withheld, precision and device.

Grammar (clauses separated by `;`, spaces ignored, 0-based indices)::

    full | depth=K | layers=0-2,4 | heads_off=2.3,1.* | withhold=email,phone | precision=bf16 | device=cuda
    | block=GROUP[@LAYERS] | emphasize=GROUP[@HEADS][:ALPHA]   (programmed attention, see core.path.attention_program)
    | exit=confidence>=0.9 | exit=patience:2   (an exit policy: see `core.path.exit_policy`)

`withhold=pii` names every personal-data group (see `core.path.groups.PII_GROUPS`).
`PathSpec` is frozen, hashable and validated against a `ModelTemplate`; `spec.canonical` prints the one canonical
form (fixed clause order, defaults dropped, ranges compressed, `full` when nothing differs) and parsing it gives
the same spec back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from core.errors import InvalidPathError
from core.path.attention_program import (
    Block,
    Emphasis,
    check_group_known,
    normalise_program,
    parse_alpha,
    program_clauses,
    program_from_json,
    program_to_json,
    validate_program,
)
from core.path.exit_policy import ExitPolicy
from core.path.groups import expand_pii

PRECISIONS = ("fp32", "bf16", "fp16", "int8")
DEVICES = ("auto", "cpu", "cuda")
MAX_PATH_CHARS = 10_000  # far more than any real path; refused before it is read
_CLAUSES = ("full", "depth", "layers", "heads_off", "withhold", "block", "emphasize", "precision", "device", "exit")


@dataclass(frozen=True)
class ModelTemplate:
    """What a path can choose from on one model: L layers, H heads per layer, the input groups."""

    num_layers: int
    num_heads: int
    groups: tuple[str, ...]
    cuda_available: bool = False
    exit_layers: tuple[int, ...] | None = None  # layers with an exit head; None = every layer

    def layer_range(self) -> str:
        return f"0-{self.num_layers - 1}" if self.num_layers > 1 else "0"


@dataclass(frozen=True)
class PathSpec:
    """A validated path. `layers` is the executed layer order; `heads_off` holds (layer, head) pairs."""

    template: ModelTemplate = field(repr=False)
    layers: tuple[int, ...]
    heads_off: frozenset[tuple[int, int]] = frozenset()
    withhold: frozenset[str] = frozenset()
    precision: str = "fp32"
    device: str = "auto"
    block: Block | None = None  # programmed attention (core.path.attention_program)
    emphasize: Emphasis | None = None
    exit: ExitPolicy | None = None  # stop a row early; `layers` are then the most that may run

    def __post_init__(self) -> None:
        _validate(self)

    # -- construction -------------------------------------------------------------------------------------------
    @classmethod
    def full(cls, template: ModelTemplate) -> PathSpec:
        return cls(template=template, layers=tuple(range(template.num_layers)))

    @classmethod
    def parse(cls, text: str, template: ModelTemplate) -> PathSpec:
        """Parse the path grammar; raise `InvalidPathError` naming what is possible."""
        return cls(template=template, **_parse_clauses(text, template))

    @classmethod
    def from_json(cls, data: dict[str, Any], template: ModelTemplate) -> PathSpec:
        layers = data.get("layers")
        return cls(
            template=template,
            layers=tuple(range(template.num_layers)) if layers is None else tuple(int(i) for i in layers),
            heads_off=frozenset((int(lay), int(h)) for lay, h in data.get("heads_off", [])),
            withhold=frozenset(data.get("withhold", [])),
            precision=data.get("precision", "fp32"),
            device=data.get("device", "auto"),
            **program_from_json(data),
            exit=ExitPolicy.from_json(data["exit"]) if data.get("exit") else None,
        )

    def replace(self, **changes: Any) -> PathSpec:
        """A copy with some fields changed; heads off in layers the new path skips are dropped."""
        values = {
            "layers": self.layers,
            "heads_off": self.heads_off,
            "withhold": self.withhold,
            "precision": self.precision,
            "device": self.device,
            "block": self.block,
            "emphasize": self.emphasize,
            "exit": self.exit,
        }
        values.update(changes)
        kept = set(values["layers"])
        values["heads_off"] = frozenset(p for p in values["heads_off"] if p[0] in kept)
        values["block"], values["emphasize"] = _program_within(values, self.template, restrict=True)
        return PathSpec(template=self.template, **values)

    # -- views --------------------------------------------------------------------------------------------------
    @property
    def is_full_depth(self) -> bool:
        return self.layers == tuple(range(self.template.num_layers))

    @property
    def exit_layer(self) -> int:
        """The layer whose exit head decides: the last executed one (with an exit policy: the last that may run)."""
        return self.layers[-1]

    @property
    def exit_positions(self) -> tuple[int, ...]:
        """Positions in `layers` after which an exit head can decide (layers with an exit head; the last always)."""
        exits = self.template.exit_layers
        return tuple(i for i, layer in enumerate(self.layers) if exits is None or layer in exits)

    def stopped_at(self, position: int) -> PathSpec:
        """The fixed path that runs this path's layers up to `position` and decides there (no exit policy)."""
        return self.replace(layers=self.layers[: position + 1], exit=None)

    def active_heads(self, layer: int) -> tuple[int, ...]:
        return tuple(h for h in range(self.template.num_heads) if (layer, h) not in self.heads_off)

    @property
    def heads_run(self) -> int:
        return sum(len(self.active_heads(layer)) for layer in self.layers)

    @property
    def groups_named(self) -> frozenset[str]:
        """Every input group the path names: withheld, blocked or emphasised."""
        programmed = {program.group for program in (self.block, self.emphasize) if program is not None}
        return self.withhold | programmed

    @property
    def canonical(self) -> str:
        clauses: list[str] = []
        if not self.is_full_depth:
            depth_form = self.layers == tuple(range(len(self.layers)))
            clauses.append(f"depth={len(self.layers)}" if depth_form else f"layers={_compress(self.layers)}")
        if self.heads_off:
            clauses.append(f"heads_off={self._heads_off_text()}")
        if self.withhold:
            clauses.append("withhold=" + ",".join(sorted(self.withhold)))
        clauses.extend(program_clauses(self.block, self.emphasize, self.layers, self.active_heads, _compress))
        if self.precision != "fp32":
            clauses.append(f"precision={self.precision}")
        if self.device != "auto":
            clauses.append(f"device={self.device}")
        if self.exit is not None:
            clauses.append(f"exit={self.exit.canonical}")
        return "; ".join(clauses) if clauses else "full"

    def __str__(self) -> str:
        return self.canonical

    def to_json(self) -> dict[str, Any]:
        return {
            "layers": list(self.layers),
            "heads_off": sorted([list(p) for p in self.heads_off]),
            "withhold": sorted(self.withhold),
            "precision": self.precision,
            "device": self.device,
            **program_to_json(self.block, self.emphasize),
            "exit": self.exit.to_json() if self.exit is not None else None,
        }

    def path_id(self, model_fingerprint: str) -> str:
        """Stable id of this path on this model."""
        return hashlib.sha256(f"{model_fingerprint}|{self.canonical}".encode()).hexdigest()[:16]

    def _heads_off_text(self) -> str:
        parts: list[str] = []
        for layer in sorted({lay for lay, _ in self.heads_off}):
            heads = sorted(h for lay, h in self.heads_off if lay == layer)
            if len(heads) == self.template.num_heads:
                parts.append(f"{layer}.*")
            else:
                parts.extend(f"{layer}.{h}" for h in heads)
        return ",".join(parts)


def _compress(values: tuple[int, ...]) -> str:
    """(0,1,2,4) -> '0-2,4'; only ascending runs of 3 or more are written as ranges, order is kept."""
    parts: list[str] = []
    start = 0
    while start < len(values):
        end = start
        while end + 1 < len(values) and values[end + 1] == values[end] + 1:
            end += 1
        if end - start >= 2:
            parts.append(f"{values[start]}-{values[end]}")
        else:
            parts.extend(str(v) for v in values[start : end + 1])
        start = end + 1
    return ",".join(parts)


def _parse_int(token: str, name: str, most: int, refusal: str) -> int:
    """A whole number in ASCII digits, at most `most`. Its digits are checked before a larger number is built, so
    `layers=0-999999999` costs what `layers=0-9` does; `refusal` ("layer {} does not exist: ...") says why not."""
    if not (token.isascii() and token.isdigit()):
        raise InvalidPathError(f"{name} must be a whole number, got {token[:40]!r}")
    digits = token.lstrip("0") or "0"  # leading zeros count towards int()'s 4,300-digit limit
    if len(digits) > len(str(most)) or int(digits) > most:
        shown = token if len(token) <= 20 else f"{token[:12]}... ({len(token)} digits)"
        raise InvalidPathError(refusal.format(shown))
    return int(digits)


def _parse_layer(token: str, template: ModelTemplate) -> int:
    """A layer number that exists on this model."""
    refusal = f"layer {{}} does not exist: this model has layers {template.layer_range()}"
    return _parse_int(token, "a layer number", template.num_layers - 1, refusal)


def _parse_layers(text: str, template: ModelTemplate) -> tuple[int, ...]:
    """`0-2,4` -> (0, 1, 2, 4). Every number is checked against the model before a range is built, and a list
    longer than the model's layers is refused as it grows, so memory and time stay bounded by the model."""
    layers: list[int] = []
    for part in filter(None, text.split(",")):
        if "-" in part:
            lo, hi = (_parse_layer(x, template) for x in part.split("-", 1))
            if hi < lo:
                raise InvalidPathError(f"layer range {part!r} runs backwards: write it low-high, e.g. {hi}-{lo}")
            layers.extend(range(lo, hi + 1))
        else:
            layers.append(_parse_layer(part, template))
        if len(layers) > template.num_layers:
            raise InvalidPathError(
                f"layers={text[:40]}... names more than {template.num_layers} layers, and this model has layers "
                f"{template.layer_range()}: name each layer at most once"
            )
    if not layers:
        raise InvalidPathError("layers= names no layer: give at least one, e.g. layers=0-2")
    return tuple(layers)


def _parse_heads(text: str, template: ModelTemplate) -> frozenset[tuple[int, int]]:
    """`2.3,1.*,3-5.0` -> pairs; a layer range ("3-5.0": head 0 of layers 3, 4 and 5) is written as in `layers=`."""
    pairs: set[tuple[int, int]] = set()
    for part in filter(None, text.split(",")):
        if "." not in part:
            raise InvalidPathError(
                f"head {part!r} must be LAYER.HEAD (e.g. 2.3), LAYER.* for all heads of a layer, or a layer range "
                "such as 0-2.*"
            )
        layer_text, head_text = part.split(".", 1)
        for layer in (
            _parse_layers(layer_text, template) if "-" in layer_text else (_parse_layer(layer_text, template),)
        ):
            if head_text == "*":
                pairs.update((layer, h) for h in range(template.num_heads))
            else:
                pairs.add((layer, _parse_head(head_text, layer, template)))
    return frozenset(pairs)


def _parse_head(token: str, layer: int, template: ModelTemplate) -> int:
    """A head number that exists on this model."""
    refusal = f"head {layer}.{{}} does not exist: each layer has heads 0-{template.num_heads - 1}"
    return _parse_int(token, "a head number", template.num_heads - 1, refusal)


def _parse_clauses(text: str, template: ModelTemplate) -> dict[str, Any]:
    values: dict[str, Any] = {}
    seen: set[str] = set()
    if len(text) > MAX_PATH_CHARS:
        raise InvalidPathError(
            f"the path has {len(text):,} characters, more than {MAX_PATH_CHARS:,}: no path on any model needs that many"
        )
    for raw in "".join(text.split()).split(";"):  # every kind of whitespace is ignored
        if not raw:
            continue
        key, _, value = raw.partition("=")
        key = key.lower()
        if key not in _CLAUSES:
            raise InvalidPathError(f"unknown clause {key[:40]!r}: a path is built from {', '.join(_CLAUSES)}")
        if key in seen:
            raise InvalidPathError(f"clause {key!r} appears twice: give it once")
        seen.add(key)
        if key == "full":
            if value:
                raise InvalidPathError("'full' takes no value")
        elif not value:
            raise InvalidPathError(f"clause {key!r} needs a value, e.g. {key}=...")
        elif key == "depth":
            refusal = f"depth={{}} is impossible: this model has depths 1-{template.num_layers}"
            depth = _parse_int(value, "depth", template.num_layers, refusal)
            if depth < 1:
                raise InvalidPathError(refusal.format(depth))
            values["layers"] = tuple(range(depth))
        elif key == "layers":
            values["layers"] = _parse_layers(value, template)
        elif key == "heads_off":
            values["heads_off"] = _parse_heads(value, template)
        elif key == "withhold":
            values["withhold"] = expand_pii(value.split(","))
        elif key == "block":
            values["block"] = _parse_block(value, template)
        elif key == "emphasize":
            values["emphasize"] = _parse_emphasis(value, template)
        elif key == "exit":
            values["exit"] = ExitPolicy.parse(value)
        else:
            values[key] = value.lower()
    if "depth" in seen and "layers" in seen:
        raise InvalidPathError("give either depth= or layers=, not both")
    if "full" in seen and len(seen) > 1 and seen & {"depth", "layers", "heads_off"}:
        raise InvalidPathError("'full' runs every layer and head: drop it or drop depth/layers/heads_off")
    values.setdefault("layers", tuple(range(template.num_layers)))
    _resolve_emphasis_stars(values, template)
    return values


def _parse_block(value: str, template: ModelTemplate) -> Block:
    """`GROUP[@LAYERS]`."""
    group, at, layers = value.partition("@")
    if not group:
        raise InvalidPathError("block= needs a group, e.g. block=email or block=email@0-2")
    check_group_known("block", group.lower(), template.groups)  # before its layers: the group is what was meant
    return Block(group.lower(), frozenset(_parse_layers(layers, template)) if at else None)


def _parse_emphasis(value: str, template: ModelTemplate) -> tuple[Emphasis, frozenset[int]]:
    """`GROUP[@HEADS][:ALPHA]`; also returns the layers written `LAYER.*` (resolved once heads_off is known)."""
    rest, colon, alpha_text = value.partition(":")
    group, at, heads_text = rest.partition("@")
    if not group:
        raise InvalidPathError("emphasize= needs a group, e.g. emphasize=email or emphasize=email@2.*:0.01")
    check_group_known("emphasize", group.lower(), template.groups)  # before its heads: the group is what was meant
    alpha = parse_alpha(alpha_text) if colon else Emphasis(group).alpha
    if not at:
        return Emphasis(group.lower(), None, alpha), frozenset()
    stars = frozenset(_parse_layer(p.split(".", 1)[0], template) for p in heads_text.split(",") if p.endswith(".*"))
    explicit = ",".join(p for p in heads_text.split(",") if p and not p.endswith(".*"))
    heads = _parse_heads(explicit, template) if explicit else frozenset()
    if not heads and not stars:
        raise InvalidPathError("emphasize=...@ names no head: write heads as LAYER.HEAD or LAYER.* (e.g. @2.3,4.*)")
    return Emphasis(group.lower(), heads, alpha), stars


def _resolve_emphasis_stars(values: dict[str, Any], template: ModelTemplate) -> None:
    """`LAYER.*` in emphasize= means every head of LAYER that runs (heads_off known now); defaults normalised."""
    if "emphasize" in values:
        emphasis, stars = values["emphasize"]
        off = values.get("heads_off", frozenset())
        if emphasis.heads is not None:
            running = {(layer, h) for layer in stars for h in range(template.num_heads) if (layer, h) not in off}
            emphasis = Emphasis(emphasis.group, emphasis.heads | running, emphasis.alpha)
        values["emphasize"] = emphasis
    values["block"], values["emphasize"] = _program_within(values, template, restrict=False)


def _program_within(
    values: dict[str, Any], template: ModelTemplate, restrict: bool
) -> tuple[Block | None, Emphasis | None]:
    """The program with defaults normalised; `restrict` also drops layers and heads the path no longer runs."""
    off, layers = values.get("heads_off", frozenset()), values["layers"]
    block, emphasis = values.get("block"), values.get("emphasize")
    if restrict and block is not None and block.layers is not None:
        kept = block.layers & set(layers)
        block = Block(block.group, kept) if kept else None
    if restrict and emphasis is not None and emphasis.heads is not None:
        kept_heads = frozenset(p for p in emphasis.heads if p[0] in layers and p not in off)
        emphasis = Emphasis(emphasis.group, kept_heads, emphasis.alpha) if kept_heads else None

    def running(layer: int) -> list[int]:
        return [h for h in range(template.num_heads) if (layer, h) not in off]

    return normalise_program(layers, running, block, emphasis)


def _validate(spec: PathSpec) -> None:
    t = spec.template
    for layer in spec.layers:
        if not 0 <= layer < t.num_layers:
            raise InvalidPathError(f"layer {layer} does not exist: this model has layers {t.layer_range()}")
    if len(set(spec.layers)) != len(spec.layers):
        raise InvalidPathError(f"layers {list(spec.layers)} repeat a layer: name each layer at most once")
    for layer, head in spec.heads_off:
        if not 0 <= layer < t.num_layers:
            raise InvalidPathError(f"heads_off names layer {layer}, which does not exist: layers are {t.layer_range()}")
        if not 0 <= head < t.num_heads:
            raise InvalidPathError(f"head {layer}.{head} does not exist: each layer has heads 0-{t.num_heads - 1}")
        if layer not in spec.layers:
            raise InvalidPathError(
                f"heads_off names layer {layer}, which this path skips: switch off heads of run layers"
            )
    if t.exit_layers is not None and spec.exit_layer not in t.exit_layers:
        raise InvalidPathError(
            f"layer {spec.exit_layer} has no exit head, so a path cannot end there: this model can exit after layers "
            f"{', '.join(map(str, t.exit_layers))} (train exit heads with `python -m core train-heads`)"
        )
    if spec.exit is not None:
        _validate_exit(spec, spec.exit)
    if all(not spec.active_heads(layer) for layer in spec.layers):
        raise InvalidPathError("every head of every executed layer is off: leave at least one head on")
    unknown = sorted(spec.withhold - set(t.groups))
    if unknown:
        raise InvalidPathError(f"unknown input group {', '.join(unknown)}: known groups are pii, {', '.join(t.groups)}")
    validate_program(spec.block, spec.emphasize, spec.layers, spec.active_heads, t.groups, spec.withhold)
    if spec.precision not in PRECISIONS:
        raise InvalidPathError(f"precision={spec.precision} is unknown: choose one of {', '.join(PRECISIONS)}")
    if spec.device not in DEVICES:
        raise InvalidPathError(f"device={spec.device} is unknown: choose one of {', '.join(DEVICES)}")
    runs_on_cuda = spec.device == "cuda" or (spec.device == "auto" and t.cuda_available)
    if spec.device == "cuda" and not t.cuda_available:
        raise InvalidPathError("device=cuda is impossible: no CUDA GPU is visible here; use device=cpu or auto")
    if spec.precision == "fp16" and not runs_on_cuda:
        raise InvalidPathError("precision=fp16 needs a CUDA GPU: on CPU use fp32, bf16 or int8")
    if spec.precision == "int8" and runs_on_cuda:
        raise InvalidPathError("precision=int8 (fbgemm quantized kernels) runs on CPU only: add device=cpu or use bf16")


def _validate_exit(spec: PathSpec, policy: ExitPolicy) -> None:
    """An exit policy needs at least two exits on the path, and a patience that can fire before the last one."""
    positions = spec.exit_positions
    if len(positions) < 2:
        template = spec.template
        exits = template.exit_layers if template.exit_layers is not None else tuple(range(template.num_layers))
        if len(exits) < 2:
            raise InvalidPathError(
                f"exit={policy.canonical} needs exit heads, and this model has none (it can decide only after layer "
                f"{spec.exit_layer}): train them with `python -m core train-heads` and load them with --heads DIR"
            )
        raise InvalidPathError(
            f"exit={policy.canonical} needs at least two exits on the path, and this path has one: run more layers "
            f"(this model can exit after layers {', '.join(map(str, exits))})"
        )
    if len(policy.later) >= len(positions) - 1:
        raise InvalidPathError(
            f"exit={policy.canonical} gives {1 + len(policy.later)} thresholds and this path has {len(positions)} "
            f"exits, the last of which always decides: give at most {len(positions) - 1}"
        )
    if policy.patience is not None and policy.patience >= len(positions):
        raise InvalidPathError(
            f"exit=patience:{policy.patience} can never fire on this path of {len(positions)} exits: "
            f"use patience 1-{len(positions) - 1}"
        )


# -- the attention program of a path (its grammar: core.path.attention_program) ---------------------------------
def has_program(spec: PathSpec) -> bool:
    return spec.block is not None or spec.emphasize is not None


def program_groups(spec: PathSpec) -> tuple[str | None, str | None]:
    """The (blocked, emphasised) groups: paths with equal ones share their texts' token marks."""
    return (
        spec.block.group if spec.block is not None else None,
        spec.emphasize.group if spec.emphasize is not None else None,
    )


def program_text(spec: PathSpec) -> str:
    """The `block=` / `emphasize=` clauses of the canonical path ("" when attention is not programmed)."""
    return "; ".join(c for c in spec.canonical.split("; ") if c.startswith(("block=", "emphasize=")))
