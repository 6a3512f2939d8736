"""The dashboard's facade: the only core module the pages call. Plain data in and out; no Streamlit here.

Pages read widgets, call these functions and render what they return (see `core.ui.figures` for the charts and
`core.ui.state` for the session-state keys). The template and the path builder live here; the rest is
re-exported by topic: `core.ui.text` (escaped HTML of the text), `core.ui.explanations`, `core.ui.decisions`
(decisions through the DecisionService, comparisons, history) and `core.ui.audit` (batch audits).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import InputError, PathLensError
from core.model import load_model
from core.path import PRECISIONS, ExitPolicy, PathSpec, program_text
from core.run import PathEngine
from core.store import store_location
from core.ui.access import login, login_required, may_read_text, pages_for
from core.ui.audit import AuditView, read_table, recorded_decision, run_audit
from core.ui.audit import source_key as audit_source_key
from core.ui.decisions import (
    ComparisonView,
    DecisionView,
    compared_path_name,
    comparison,
    decide,
    explain_decision,
    explanation_of,
    history,
    history_count,
    open_service,
    records_json,
    reproduce,
    stored_path,
    stored_text,
    unrecorded_auditor,
)
from core.ui.explain_plan import ExplainCost, cheapest_first, default_methods, explain_cost, methods_for
from core.ui.explanations import METHOD_NAMES, ExplanationView, Progress
from core.ui.export import audit_html, comparison_html, decision_html
from core.ui.groups import GROUP_KINDS, display_name, group_preview, visible_groups
from core.ui.text import format_flops, html_escape, preview_html, segments_html
from core.ui.tradeoff import TradeoffView, exit_tradeoff

__all__ = [
    "FAVICON",
    "GROUP_KINDS",
    "METHOD_NAMES",
    "AuditView",
    "ComparisonView",
    "DecisionView",
    "ExplainCost",
    "ExplanationView",
    "PathControls",
    "Progress",
    "TemplateView",
    "TradeoffView",
    "UserError",
    "audit_html",
    "audit_source_key",
    "canonical",
    "cheapest_first",
    "compared_path_name",
    "comparison",
    "comparison_html",
    "controls_of",
    "cost_by_depth",
    "decide",
    "decision_html",
    "default_methods",
    "display_name",
    "exit_tradeoff",
    "explain_cost",
    "explain_decision",
    "explanation_of",
    "extra_paths",
    "format_flops",
    "group_preview",
    "history",
    "history_count",
    "html_escape",
    "load_engine",
    "login",
    "login_required",
    "may_read_text",
    "merge_program",
    "methods_for",
    "open_service",
    "pages_for",
    "path_from_controls",
    "preview_html",
    "program_clause",
    "read_table",
    "recorded_decision",
    "records_json",
    "reproduce",
    "run_audit",
    "sample_files",
    "sample_texts",
    "segments_html",
    "store_location",
    "stored_path",
    "stored_text",
    "template_view",
    "text_box_height",
    "to_json_text",
    "unrecorded_auditor",
    "visible_groups",
]

UserError = PathLensError  # what a page shows with st.error: the message says what to do
SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"
FAVICON = str(Path(__file__).resolve().parent / "assets" / "favicon.png")  # local: no request to an icon host
LONG_TEXT_CHARS = 1_500  # a text longer than this is shown in a scrolling box, not over the whole page
LONG_TEXT_PX = 240


def load_engine() -> PathEngine:
    """The model named by `PATHLENS_MODEL`/`PATHLENS_HEADS`, or the bundled one (wrap in st.cache_resource).

    One short decision warms it up, so that the first measured latency is not the one-off start-up cost.
    """
    engine = PathEngine(load_model())
    engine.decide("warm up", PathSpec.full(engine.model.template))
    return engine


# -- the model's template ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TemplateView:
    """What the path builder and the Model page draw: the template, labels and the heads' training report."""

    name: str
    fingerprint: str
    num_layers: int
    num_heads: int
    groups: tuple[str, ...]
    exit_layers: tuple[int, ...]
    labels: tuple[str, ...]
    precisions: tuple[str, ...]
    devices: tuple[str, ...]
    window: int
    accuracy_by_depth: tuple[float, ...]
    report: dict[str, Any] = field(default_factory=dict)
    calibration: dict[str, Any] = field(default_factory=dict)  # heads.json `calibration`: per-exit temperatures

    @property
    def calibration_note(self) -> str:
        """One line on how the exits' confidences were calibrated, or '' when they were not."""
        temperatures = self.calibration.get("temperatures")
        if not temperatures:
            return ""
        rows = self.calibration.get("rows", "?")
        kind = "held-out complete sentences" if self.calibration.get("held_out") else "held-out rows"
        values = ", ".join(f"{t:.2f}" for t in temperatures)
        return (
            f"Exit confidences are calibrated: one temperature per exit ({values}, shallow to deep) fitted on {rows} "
            f"{kind} of {self.calibration.get('data') or 'the training table'}."
        )


def template_view(engine: PathEngine, owner: str = "") -> TemplateView:
    """What the pages draw of the model; `groups` are those `owner` sees (built in, server-wide, their own)."""
    model = engine.model
    template = model.template
    cuda = template.cuda_available
    report = dict(model.heads_meta.get("report") or {})
    return TemplateView(
        name=model.name,
        fingerprint=model.fingerprint,
        num_layers=template.num_layers,
        num_heads=template.num_heads,
        groups=visible_groups(template.groups, owner),
        exit_layers=template.exit_layers or tuple(range(template.num_layers)),
        labels=model.labels,
        precisions=tuple(p for p in PRECISIONS if cuda or p != "fp16"),
        devices=("auto", "cpu", "cuda") if cuda else ("auto", "cpu"),
        window=model.window,
        accuracy_by_depth=tuple(float(a) for a in report.get("dev_accuracy_by_depth", ())),
        report=report,
        calibration=dict(model.heads_meta.get("calibration") or {}),
    )


# -- the path builder ----------------------------------------------------------------------------------------------
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


def extra_paths(engine: PathEngine, field_text: str) -> list[str]:
    """The canonical paths of the "Also compare" field (separated by `|`); an impossible one names the field."""
    paths = []
    for raw in (part.strip() for part in field_text.split("|")):
        if not raw:
            continue
        try:
            paths.append(canonical(engine, raw))
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


# -- text, samples and what will be withheld -----------------------------------------------------------------------
def sample_texts() -> list[str]:
    """The sample messages shipped in sample_data/messages.csv."""
    import pandas as pd

    return pd.read_csv(SAMPLE_DIR / "messages.csv")["text"].astype(str).tolist()


def sample_files() -> dict[str, Path]:
    """Sample CSV files by name, for the batch audit."""
    return {path.name: path for path in sorted(SAMPLE_DIR.glob("*.csv"))}


def text_box_height(text: str) -> int | str:
    """Height of the box a text is drawn in: a long text scrolls inside a fixed box instead of pushing the page."""
    return LONG_TEXT_PX if len(text) > LONG_TEXT_CHARS else "content"


def cost_by_depth(engine: PathEngine, tokens: int = 64) -> list[dict[str, Any]]:
    """FLOPs of every depth with an exit head on one text of `tokens` tokens, and its share of the full path's."""
    model = engine.model
    template = model.template
    full = PathSpec.full(template)
    exits = template.exit_layers or tuple(range(template.num_layers))
    specs = [full.replace(layers=tuple(range(layer + 1))) for layer in exits]
    full_flops = model.path_flops(full, tokens)
    rows = []
    for spec in specs:
        flops = model.path_flops(spec, tokens)
        rows.append(
            {"depth": len(spec.layers), "GFLOPs": round(flops / 1e9, 3), "share of full": round(flops / full_flops, 3)}
        )
    return rows


def to_json_text(data: Any) -> str:
    """Indented JSON of plain data, for downloads."""
    return json.dumps(data, indent=2, default=str)
