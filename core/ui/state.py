"""Session-state key names of the dashboard, in one place, and the function every page calls to initialise them.

No Streamlit import: `init` takes the session-state mapping (``st.session_state``) as an argument.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from core.engine import PathEngine
from core.service import Auditor
from core.ui import PathControls, UserError, canonical, controls_from_path, path_from_controls

# State that survives page switches (not bound to a widget, so Streamlit never deletes it).
TEXT = "pl_text"  # the text being decided
PATH = "pl_path"  # the current path, canonical string
PATH_ERROR = "pl_path_error"  # why the last path edit was refused, or ""
DECISION = "pl_decision"  # the last decision on the Decide page (core.ui.DecisionView, explanation included)
OPENED = "pl_opened"  # id of the decision the Compare page shows (the last one decided, or one opened)
AUDIT = "pl_audit"  # the last batch audit (core.ui.AuditView)
LAST_SAMPLE = "pl_last_sample"  # the sample last copied into the text box
ENGINE = "pl_engine"  # the server's PathEngine (a cached resource, set by app.py on every run)
AUDITOR = "pl_auditor"  # the server's Auditor for the record (a cached resource, set by app.py on every run)

# Widget keys of the path builder (rebuilt from PATH whenever the builder is drawn).
W_PATH = "pl_w_path"
W_DEPTH = "pl_w_depth"
W_LAYERS = "pl_w_layers"  # pills: the layers up to the depth that run
W_PRECISION = "pl_w_precision"
W_DEVICE = "pl_w_device"
W_TEXT = "pl_w_text"
W_SAMPLE = "pl_w_sample"
W_METHOD = "pl_w_method"  # which method's heatmap is drawn
W_FOCUS = "pl_w_focus"  # the head (or rollout) drawn large
W_KEEP_TEXT = "pl_w_keep_text"
W_EXTRA = "pl_w_extra"  # more paths for the comparison set, separated by `|`
W_EXPLAIN_ALL = "pl_w_explain_all"  # explain the paths not taken too
W_STEPS = "pl_w_steps"  # Integrated Gradients steps (0: adaptive)
W_IG_TOLERANCE = "pl_w_ig_tolerance"  # adaptive IG's |relative delta| tolerance

DEFAULTS: dict[str, Any] = {
    TEXT: "A warm, funny and surprisingly moving story; call me on +44 20 7946 0958 or mail jo@example.com.",
    PATH: "full",
    PATH_ERROR: "",
    DECISION: None,
    OPENED: None,
    AUDIT: None,
    LAST_SAMPLE: "",
}


def heads_key(layer: int) -> str:
    """Pills: the heads of layer `layer` that are on."""
    return f"pl_w_heads_{layer}"


def group_key(group: str) -> str:
    """Checkbox: input group `group` is withheld."""
    return f"pl_w_group_{group}"


def init(state: MutableMapping[str, Any]) -> None:
    """Set every missing key to its default; keys already set are left alone."""
    for key, value in DEFAULTS.items():
        if key not in state:
            state[key] = value


def share_resources(state: MutableMapping[str, Any], engine: PathEngine, auditor: Auditor) -> None:
    """app.py runs before every page: it hands the cached engine and Auditor to the page through the state."""
    state[ENGINE] = engine
    state[AUDITOR] = auditor


def resources(state: MutableMapping[str, Any]) -> tuple[PathEngine, Auditor]:
    """The engine and Auditor app.py shared for this run."""
    return state[ENGINE], state[AUDITOR]


def write_controls(state: MutableMapping[str, Any], controls: PathControls, path: str) -> None:
    """Set the path builder's widgets to show `controls` (call before the widgets are drawn, or in a callback)."""
    state[PATH] = path
    state[W_PATH] = path
    state[W_DEPTH] = controls.depth
    state[W_PRECISION] = controls.precision
    state[W_DEVICE] = controls.device
    state[W_LAYERS] = [layer for layer, on in enumerate(controls.layers_on) if on]
    for layer in range(len(controls.layers_on)):
        state[heads_key(layer)] = list(controls.heads_on[layer])
    for group in controls.all_groups:
        state[group_key(group)] = group in controls.withhold


def read_controls(state: MutableMapping[str, Any], template: PathControls) -> PathControls:
    """The path builder's widgets as controls, shaped like `template` (the controls they were drawn from)."""
    layers = range(len(template.layers_on))
    return PathControls(
        depth=int(state[W_DEPTH]),
        layers_on=tuple(layer in (state[W_LAYERS] or ()) for layer in layers),
        heads_on=tuple(tuple(sorted(state[heads_key(layer)] or ())) for layer in layers),
        withhold=tuple(g for g in template.all_groups if state[group_key(g)]),
        precision=str(state[W_PRECISION]),
        device=str(state[W_DEVICE]),
        all_groups=template.all_groups,
    )


def apply_path_text(state: MutableMapping[str, Any], engine: PathEngine) -> None:
    """Callback: the path string was edited; canonicalise it and move the widgets to match, or say why not."""
    try:
        path = canonical(engine, state[W_PATH])
    except UserError as exc:
        state[PATH_ERROR] = f"Path refused: {exc}"
        return
    write_controls(state, controls_from_path(engine, path), path)
    state[PATH_ERROR] = ""


def apply_widgets(state: MutableMapping[str, Any], engine: PathEngine) -> None:
    """Callback: a path builder widget changed; rebuild the canonical path from all of them."""
    try:
        path = path_from_controls(engine, read_controls(state, controls_from_path(engine, "full")))
    except UserError as exc:
        state[PATH_ERROR] = f"Path refused: {exc}"
        return
    state[PATH] = state[W_PATH] = path
    state[PATH_ERROR] = ""
