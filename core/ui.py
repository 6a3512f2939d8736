"""The dashboard's facade: the only core module the pages call. Plain data in and out; no Streamlit here.

Pages read widgets, call these functions and render what they return (see `core.figures` for the charts and
`core.ui_state` for the session-state keys). All text meant for HTML is escaped here.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core import ui_explain
from core.comparison import comparison_set, compute_alternatives
from core.cost import path_flops
from core.engine import PathEngine
from core.errors import InputError, PathLensError
from core.model import load_model
from core.paths import PRECISIONS, PathSpec

UserError = PathLensError  # what a page shows with st.error: the message says what to do
ProgressFn = ui_explain.Progress  # progress(fraction in [0, 1], message)
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
GROUP_COLOURS = {
    "email": "#f4a261",
    "url": "#8ecae6",
    "ip": "#bde0fe",
    "iban": "#e9c46a",
    "card": "#e76f51",
    "phone": "#a8dadc",
    "number": "#d9d9d9",
}


def load_engine() -> PathEngine:
    """The model named by `PATHLENS_MODEL`/`PATHLENS_HEADS`, or the bundled one (wrap in st.cache_resource)."""
    return PathEngine(load_model())


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


def template_view(engine: PathEngine) -> TemplateView:
    model = engine.model
    template = model.template
    cuda = template.cuda_available
    report = dict(model.heads_meta.get("report") or {})
    return TemplateView(
        name=model.name,
        fingerprint=model.fingerprint,
        num_layers=template.num_layers,
        num_heads=template.num_heads,
        groups=template.groups,
        exit_layers=template.exit_layers or tuple(range(template.num_layers)),
        labels=model.labels,
        precisions=tuple(p for p in PRECISIONS if cuda or p != "fp16"),
        devices=("auto", "cpu", "cuda") if cuda else ("auto", "cpu"),
        window=model.window,
        accuracy_by_depth=tuple(float(a) for a in report.get("dev_accuracy_by_depth", ())),
        report=report,
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


def canonical(engine: PathEngine, path: str) -> str:
    """The canonical form of a path string (raises InvalidPathError with what is possible)."""
    return engine.parse(path).canonical


def controls_from_path(engine: PathEngine, path: str) -> PathControls:
    spec = engine.parse(path)
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
    )


def path_from_controls(engine: PathEngine, controls: PathControls) -> str:
    """Canonical path of the sidebar's controls (raises InvalidPathError when they make an impossible path)."""
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
    )
    return spec.canonical


# -- text, samples and what will be withheld -----------------------------------------------------------------------
def sample_texts() -> list[str]:
    """The sample messages shipped in sample_data/messages.csv."""
    import pandas as pd

    return pd.read_csv(SAMPLE_DIR / "messages.csv")["text"].astype(str).tolist()


def sample_files() -> dict[str, Path]:
    """Sample CSV files by name, for the batch audit."""
    return {path.name: path for path in sorted(SAMPLE_DIR.glob("*.csv"))}


@dataclass(frozen=True)
class Segment:
    """A piece of the original text; `group` names the input group it belongs to when it will be withheld."""

    text: str
    group: str | None = None
    score: float | None = None


def withheld_segments(engine: PathEngine, text: str, groups: Sequence[str]) -> list[Segment]:
    """Split `text` into plain pieces and the spans that the groups will withhold."""
    segments: list[Segment] = []
    cursor = 0
    for span in engine.model.groups.find(text, groups):
        if span.start > cursor:
            segments.append(Segment(text[cursor : span.start]))
        segments.append(Segment(text[span.start : span.end], span.group))
        cursor = span.end
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments


def segments_html(segments: Sequence[Segment], mark_text: bool = True) -> str:
    """Escaped HTML of the segments: withheld spans boxed with their group, scored pieces shaded (red +, blue -).

    With `mark_text=False` a withheld span shows only its group name (what the model read instead).
    """
    peak = max((abs(s.score) for s in segments if s.score is not None), default=0.0) or 1.0
    parts: list[str] = []
    for segment in segments:
        body = html.escape(segment.text).replace("\n", "<br>")
        if segment.group is not None:
            colour = GROUP_COLOURS.get(segment.group, "#cdb4db")
            label = html.escape(segment.group)
            shown = f"<s>{body}</s> " if mark_text else ""
            parts.append(
                f'<span class="pl-withheld" data-group="{label}" title="withheld: {label}" '
                f'style="background:{colour};border:1px dashed #555;border-radius:4px;padding:0 3px">'
                f"{shown}<b>[{label}]</b></span>"
            )
        elif segment.score is not None:
            parts.append(f'<span class="pl-score" style="background:{_heat(segment.score / peak)}">{body}</span>')
        else:
            parts.append(body)
    return '<div class="pl-text" style="line-height:2;font-size:1.05rem">' + "".join(parts) + "</div>"


def _heat(value: float) -> str:
    """Red for positive, blue for negative evidence; alpha by magnitude in [-1, 1]."""
    alpha = round(min(abs(value), 1.0) * 0.8, 3)
    return f"rgba(214,39,40,{alpha})" if value >= 0 else f"rgba(31,119,180,{alpha})"


def preview_html(engine: PathEngine, text: str, groups: Sequence[str]) -> str:
    return segments_html(withheld_segments(engine, text, groups))


# -- decisions -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DecisionView:
    """One decision for the page: the decision's JSON, the same text on the full path for the cost comparison."""

    text: str
    decision: dict[str, Any]
    full: dict[str, Any]

    @property
    def label(self) -> str:
        return str(self.decision["label"])

    @property
    def confidence(self) -> float:
        return float(max(self.decision["probs"].values()))

    def cost_rows(self) -> list[dict[str, Any]]:
        """Executed vs full path, one row per measure, with the share of the full path's cost."""
        executed, full = self.decision["cost"], self.full["cost"]
        rows = []
        for key, name in (("layers_run", "layers"), ("heads_run", "heads"), ("flops", "FLOPs"), ("latency_ms", "ms")):
            share = executed[key] / full[key] if full[key] else 0.0
            rows.append({"measure": name, "this path": executed[key], "full path": full[key], "share": share})
        return rows


def decide(engine: PathEngine, text: str, path: str) -> DecisionView:
    """Decide `text` on `path`, and on the full path (same withheld groups, precision, device) for comparison."""
    spec = engine.parse(path)
    decision = engine.decide(text, spec)
    full_spec = spec.replace(layers=tuple(range(spec.template.num_layers)), heads_off=frozenset())
    full = decision if full_spec == spec else engine.decide(text, full_spec)
    return DecisionView(text, decision.to_json(), full.to_json())


# -- explanations --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AttributionView:
    """One attribution method's result, ready to draw: token bars and the heatmap over the original text."""

    method: str
    tokens: tuple[str, ...]
    scores: tuple[float, ...]
    withheld: tuple[bool, ...]
    segments: tuple[Segment, ...]
    target: str
    delta: float | None


def attribution_methods() -> dict[str, str]:
    """Method key -> readable name."""
    return dict(ui_explain.METHODS)


def explain(engine: PathEngine, view: DecisionView, method: str, progress: ProgressFn) -> AttributionView:
    """Attribute the decision's label to its tokens along the decision's own path."""
    spec = engine.parse(view.decision["path"])
    result = ui_explain.attribute(engine, view.text, spec, method, progress)
    return AttributionView(
        method=method,
        tokens=result.tokens,
        scores=result.scores,
        withheld=tuple(group is not None for group in result.withheld),
        segments=tuple(_scored_segments(view.text, result)),
        target=result.target,
        delta=result.delta,
    )


def _scored_segments(text: str, result: ui_explain.TokenAttribution) -> list[Segment]:
    """The original text cut at token spans: each token's score shaded, withheld spans boxed as one unit."""
    units: dict[tuple[int, int], tuple[float, str | None]] = {}
    for span, score, group in zip(result.spans, result.scores, result.withheld, strict=True):
        if span is not None:
            previous = units.get(span, (0.0, group))[0]
            units[span] = (previous + score, group)
    segments: list[Segment] = []
    cursor = 0
    for (start, end), (score, group) in sorted(units.items()):
        if start < cursor:
            continue
        if start > cursor:
            segments.append(Segment(text[cursor:start]))
        segments.append(Segment(text[start:end], group, None if group else score))
        cursor = end
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments


def attention(engine: PathEngine, view: DecisionView) -> ui_explain.AttentionMaps:
    """Attention maps of the heads that ran on the decision's path, and their rollout."""
    return ui_explain.attention_maps(engine, view.text, engine.parse(view.decision["path"]))


# -- comparing paths, batch audits, the record -----------------------------------------------------------------------
def compare_paths(engine: PathEngine, view: DecisionView, extra: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The executed path and its comparison set (full, every shorter depth, `extra`) on the decision's text.

    One row per path: path, full (all layers and heads), label, probs, flipped (label differs from the executed
    one), confidence (probability of the executed label), flops, flops_ratio (this path's FLOPs / the executed
    path's), cost_saved (share of this path's FLOPs that the executed path did not spend; negative if cheaper).
    """
    executed = engine.parse(view.decision["path"])
    specs = comparison_set(executed, [engine.parse(p).replace(withhold=executed.withhold) for p in extra])
    results = compute_alternatives(engine, [view.text], specs)[0]
    executed_flops = view.decision["cost"]["flops"]
    rows = [_outcome_row(view.decision["path"], view.decision, view.label, executed_flops, executed=True)]
    rows[0]["full"] = executed.is_full_depth and not executed.heads_off
    for spec, result in zip(specs, results, strict=True):
        outcome = {"label": result.label, "probs": result.probs, "cost": result.cost}
        rows.append(_outcome_row(spec.canonical, outcome, view.label, executed_flops, executed=False))
        rows[-1]["full"] = spec.is_full_depth and not spec.heads_off
    return rows


def _outcome_row(path: str, outcome: dict[str, Any], label: str, executed_flops: int, executed: bool) -> dict[str, Any]:
    flops = int(outcome["cost"]["flops"])
    return {
        "path": path,
        "executed": executed,
        "label": outcome["label"],
        "flipped": outcome["label"] != label,
        "confidence": float(outcome["probs"][label]),
        "probs": outcome["probs"],
        "flops": flops,
        "flops_ratio": flops / executed_flops if executed_flops else 0.0,
        "cost_saved": 1 - executed_flops / flops if flops else 0.0,
    }


@dataclass(frozen=True)
class AuditView:
    """A finished batch audit: its summary and one row per decided input."""

    summary: dict[str, Any]
    rows: Any  # pandas.DataFrame


def read_table(data: bytes, name: str) -> Any:
    """A CSV or Parquet upload as a DataFrame (raises InputError with what to do)."""
    import io

    import pandas as pd

    try:
        if name.lower().endswith(".parquet"):
            return pd.read_parquet(io.BytesIO(data))
        return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    except (ValueError, UnicodeDecodeError, OSError) as exc:
        raise InputError(f"{name} is not a readable CSV or Parquet file ({exc}): save it as UTF-8 CSV") from None


def run_audit(
    engine: PathEngine, frame: Any, text_col: str, label_col: str | None, path: str, progress: ProgressFn
) -> AuditView:
    """Decide every row of `frame` on `path`, compared with the full path; `progress(fraction, message)`."""
    import tempfile

    import pandas as pd

    from core.audit import run_audit as audit

    total = len(frame)
    with tempfile.TemporaryDirectory(prefix="pathlens-ui-") as tmp:
        out = Path(tmp) / "rows.csv"
        result = audit(
            engine,
            frame,
            engine.parse(path),
            text_col=text_col,
            label_col=label_col,
            out=out,
            progress=lambda done, _: progress(min(done / max(total, 1), 1.0), f"{done} of {total} rows"),
        )
        rows = pd.read_csv(out) if out.exists() else pd.DataFrame(columns=["row", "label"])
    probs = rows[[c for c in rows.columns if c.startswith("prob_")]]
    rows.insert(1, "text", [str(frame[text_col].iloc[int(i)]) for i in rows["row"]])
    rows.insert(3, "confidence", probs.max(axis=1) if not probs.empty else [])
    return AuditView(result.to_json(), rows)


def cost_by_depth(engine: PathEngine, tokens: int = 64) -> list[dict[str, Any]]:
    """FLOPs of every depth with an exit head on one text of `tokens` tokens, and its share of the full path's."""
    config = engine.model.config
    template = engine.model.template
    ffn = int(getattr(config, "intermediate_size", None) or config.hidden_dim)
    full = PathSpec.full(template)
    exits = template.exit_layers or tuple(range(template.num_layers))
    specs = [full.replace(layers=tuple(range(layer + 1))) for layer in exits]
    full_flops = path_flops(full, 1, tokens, config.hidden_size, ffn, len(engine.model.labels))
    rows = []
    for spec in specs:
        flops = path_flops(spec, 1, tokens, config.hidden_size, ffn, len(engine.model.labels))
        rows.append(
            {"depth": len(spec.layers), "GFLOPs": round(flops / 1e9, 3), "share of full": round(flops / full_flops, 3)}
        )
    return rows


def to_json_text(data: Any) -> str:
    import json

    return json.dumps(data, indent=2, default=str)


def html_escape(text: str) -> str:
    """Text for st.markdown: HTML escaped (user text never becomes markup)."""
    return html.escape(text)


def history(limit: int = 200, path: str | None = None, label: str | None = None, since: str | None = None) -> Any:
    """Stored decisions (newest first) from the record (`PATHLENS_STORE` or the default file), as a DataFrame."""
    import pandas as pd

    from core.store import open_store

    records = open_store().history(limit=limit, path=path or None, label=label or None, since=since or None)
    return pd.DataFrame(
        [
            {
                "decision_id": r.decision_id,
                "time": r.created_at,
                "path": r.path,
                "label": r.label,
                "confidence": max(r.probs.values()),
                "withheld": ", ".join(f"{g}×{n}" for g, n in r.withheld.items()),
                "model": r.model_fingerprint,
                "flops": r.cost.get("flops"),
            }
            for r in records
        ]
    )
