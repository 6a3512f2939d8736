"""The sidebar's path builder: the controls showing a path (`PathControls`), and the path they make, as a PathSpec."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import InputError, PathLensError
from core.path import ExitPolicy, PathSpec, program_text
from core.run import PathEngine


@dataclass(frozen=True)
class PathControls:
    """The path as the sidebar shows it: a depth, which layers up to it run, the heads on per layer, and so on."""

    depth: int
    layers_on: tuple[bool, ...]  # one per layer of the model; only the first `depth` count
    heads_on: tuple[tuple[int, ...], ...]  # one tuple of head indices per layer
    withhold: tuple[str, ...]
    precision: str
    device: str
    all_groups: tuple[str, ...]  # every group the model offers
    program: str = ""  # the programmed-attention clauses, e.g. "block=quote@0-2" (core.path.attention_program)
    exit: str = ""  # the exit policy, e.g. 'confidence>=0.9' or 'patience:2'; '' for none


def canonical(engine: PathEngine, path: str) -> str:
    """The canonical form of a path string (raises InvalidPathError with what is possible)."""
    return engine.parse(path).canonical


def controls_of(spec: PathSpec) -> PathControls:
    """The sidebar's controls showing `spec`."""
    template = spec.template
    executed = set(spec.layers)
    return PathControls(
        depth=max(spec.layers) + 1,
        layers_on=tuple(layer in executed for layer in range(template.num_layers)),
        heads_on=tuple(spec.active_heads(layer) for layer in range(template.num_layers)),
        withhold=tuple(sorted(spec.withhold)),
        precision=spec.precision,
        device=spec.device,
        all_groups=template.groups,
        program=program_text(spec),
        exit=spec.exit.canonical if spec.exit is not None else "",
    )


def extra_paths(engine: PathEngine, field_text: str) -> list[PathSpec]:
    """The paths of the "Also compare" field (separated by `|`); an impossible one names the field."""
    paths = []
    for raw in (part.strip() for part in field_text.split("|")):
        if not raw:
            continue
        try:
            paths.append(engine.parse(raw))
        except PathLensError as exc:
            raise InputError(f"Also compare: the path {raw!r} is refused: {exc}") from None
    return paths


def path_from_controls(engine: PathEngine, controls: PathControls) -> PathSpec:
    """The path of the sidebar's controls (raises InvalidPathError when they make an impossible path)."""
    template = engine.model.template
    layers = tuple(layer for layer in range(controls.depth) if controls.layers_on[layer])
    if not layers:
        raise InputError("no layer is switched on: switch on at least one layer up to the chosen depth")
    heads_off = frozenset(
        (layer, head) for layer in layers for head in range(template.num_heads) if head not in controls.heads_on[layer]
    )
    spec = PathSpec(
        template=template,
        layers=layers,
        heads_off=heads_off,
        withhold=frozenset(controls.withhold),
        precision=controls.precision,
        device=controls.device,
        exit=ExitPolicy.parse(controls.exit) if controls.exit else None,
    )
    if controls.program.strip():
        spec = PathSpec.parse(f"{spec.canonical}; {controls.program}", template)
    return spec


def program_clause(mode: str, group: str, where: str = "", alpha: float | None = None) -> str:
    """One programmed-attention clause from the sidebar: mode `block` (where = layers) or `emphasize` (heads)."""
    if mode not in ("block", "emphasize"):
        raise InputError(f"attention can be programmed to block or emphasize a group, not {mode!r}")
    at = f"@{where.replace(' ', '')}" if where.strip() else ""
    strength = f":{alpha!r}" if mode == "emphasize" and alpha is not None else ""
    return f"{mode}={group}{at}{strength}"


def merge_program(program: str, clause: str) -> str:
    """`program` with `clause` added, replacing a clause of the same kind (one block and one emphasis at most)."""
    kind = clause.partition("=")[0]
    kept = [c.strip() for c in program.split(";") if c.strip() and c.strip().partition("=")[0] != kind]
    return "; ".join([*kept, clause])
