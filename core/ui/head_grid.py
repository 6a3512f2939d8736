"""The Decide page's heads grid: every head coloured by its importance for the decision shown (attribution patching,
`core.advise.importance`); clicking a head switches it off in the sidebar's path and decides the text again.

Its session-state keys live here (not in `core.ui.state`) so that the grid stays one self-contained addition.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from core.advise import Importance, head_importance
from core.run import PathEngine
from core.ui import state as ui_state
from core.ui.decisions import DecisionView

IMPORTANCE = "pl_head_importance"  # (decision id, Importance) of the decision shown, computed once per decision
CHANGE = "pl_head_change"  # the last head switched off from the grid (HeadChange), or None
OFF_COLOUR = "#e6e6e6"  # a head the path does not run


def head_key(layer: int, head: int) -> str:
    """The widget key of one head's button in the grid."""
    return f"pl_w_grid_head_{layer}_{head}"


@dataclass(frozen=True)
class HeadChange:
    """A head switched off from the grid: the decision before and after, and the estimate beside the truth."""

    decision_id: str  # the decision the head was switched off from (the change is shown beside it alone)
    head: str  # "layer.head"
    path: str  # the path decided again (the head off)
    label_before: str
    label_after: str
    probability_before: float  # of the label decided before, on each path
    probability_after: float
    logit_drop: float  # the decided label's logit before minus after (the true effect)
    estimated_drop: float  # the grid's importance of the head (attribution patching)

    def summary(self) -> str:
        flipped = "the label flips to" if self.label_after != self.label_before else "the label stays"
        return (
            f"Head {self.head} off: {flipped} {self.label_after}; P({self.label_before}) "
            f"{self.probability_before:.1%} → {self.probability_after:.1%}; its logit drops by {self.logit_drop:+.3f} "
            f"(estimated {self.estimated_drop:+.3f}). Path now `{self.path}`: press Decide to record it."
        )


def importance_of(state: MutableMapping[str, Any], engine: PathEngine, view: DecisionView) -> Importance:
    """The importance of every head for the decision shown (computed on its first drawing, then kept)."""
    kept = state.get(IMPORTANCE)
    if kept is not None and kept[0] == view.decision_id:
        return kept[1]
    weights = head_importance(engine, view.text, view.spec)
    state[IMPORTANCE] = (view.decision_id, weights)
    return weights


def switch_off(state: MutableMapping[str, Any], engine: PathEngine, layer: int, head: int) -> None:
    """Callback of a head's button: that head off in the sidebar's path, the text decided again (not recorded)."""
    view: DecisionView = state[ui_state.DECISION]
    weights: Importance = state[IMPORTANCE][1]
    before = view.decision
    spec = view.spec.replace(heads_off=view.spec.heads_off | {(layer, head)})
    after = engine.decide(view.text, spec)
    labels = list(engine.model.labels)
    index = labels.index(before.label)
    state[CHANGE] = HeadChange(
        decision_id=view.decision_id,
        head=f"{layer}.{head}",
        path=spec.canonical,
        label_before=before.label,
        label_after=after.label,
        probability_before=before.probs[before.label],
        probability_after=after.probs[before.label],
        logit_drop=before.logits[index] - after.logits[index],
        estimated_drop=weights.heads[layer][head] or 0.0,
    )
    ui_state.write_controls(state, spec)
    state[ui_state.PATH_ERROR] = ""


def head_colour(value: float | None, scale: float) -> str:
    """Red for a head that supports the decided label, blue for one that opposes it, white for none; grey when the
    path does not run it. `scale` is the largest |importance| of the grid."""
    if value is None:
        return OFF_COLOUR
    share = min(abs(value) / scale, 1.0) if scale > 0 else 0.0
    fade = round(255 * (1 - share))
    return f"rgb(255,{fade},{fade})" if value > 0 else f"rgb({fade},{fade},255)"


def grid_css(weights: Importance) -> str:
    """One <style> block colouring each head's button by its importance (no user text in it)."""
    values = [v for row in weights.heads for v in row if v is not None]
    scale = max((abs(v) for v in values), default=0.0)
    rules = [
        f".st-key-{head_key(layer, head)} button {{background-color: {head_colour(value, scale)}; "
        "color: #222; padding: 0 2px; min-height: 1.6rem; font-size: 0.7rem;}"
        for layer, row in enumerate(weights.heads)
        for head, value in enumerate(row)
    ]
    return "<style>" + "\n".join(rules) + "</style>"


def head_label(value: float | None) -> str:
    """A head button's text: its importance, or a dash where the path does not run the head."""
    return "–" if value is None else f"{value:+.2f}"
