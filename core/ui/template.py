"""What the pages draw of the loaded model: its template (layers, heads, groups, exits), labels, training report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.path import PRECISIONS
from core.run import PathEngine
from core.ui.groups import visible_groups


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
