"""Session-state key names of the dashboard, in one place, and the function every page calls to initialise them.

No Streamlit import: `init` takes the session-state mapping (``st.session_state``) as an argument.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from core.errors import PathLensError
from core.path import PII_GROUPS, ExitPolicy, PathSpec
from core.run import PathEngine
from core.service import DecisionService
from core.ui.groups import add_user_group, session_owner
from core.ui.path_builder import PathControls, controls_of, merge_program, path_from_controls, program_clause

# State that survives page switches (not bound to a widget, so Streamlit never deletes it).
TEXT = "pl_text"  # the text being decided
PATH = "pl_path"  # the current path, canonical string
SPEC = "pl_spec"  # the current path parsed (a PathSpec), kept beside PATH so that a rerun does not parse it again
PATH_ERROR = "pl_path_error"  # why the last path edit was refused, or ""
DECISION = "pl_decision"  # the last decision on the Decide page (core.ui.DecisionView, explanation included)
OPENED = "pl_opened"  # id of the decision the Compare page shows (the last one decided, or one opened)
AUDIT = "pl_audit"  # the last batch audit (core.ui.AuditView)
TRADEOFF = "pl_tradeoff"  # the last exit-policy sweep on the Model page (core.ui.TradeoffView)
LAST_SAMPLE = "pl_last_sample"  # the sample last copied into the text box
ENGINE = "pl_engine"  # the server's PathEngine (a cached resource, set by app.py on every run)
SERVICE = "pl_service"  # the server's DecisionService for the record (a cached resource, set by app.py on every run)
ROLE = "pl_role"  # the logged-in key's role (core.ui.access); None: no login asked, everyone is admin
CANCELLED = "pl_explain_cancelled"  # id of the decision whose explanation the user cancelled, or None
OWNER = "pl_owner"  # whose groups this session sees and adds: the session's own tag, or the logged-in key's

# Widget keys of the path builder (rebuilt from PATH whenever the builder is drawn).
W_PATH = "pl_w_path"
W_DEPTH = "pl_w_depth"
W_LAYERS = "pl_w_layers"  # pills: the layers up to the depth that run
W_PRECISION = "pl_w_precision"
W_DEVICE = "pl_w_device"
W_EXIT_RULE = "pl_w_exit_rule"  # exit policy: 'none', 'confidence' or 'patience'
W_EXIT_THRESHOLD = "pl_w_exit_threshold"  # with 'confidence': the top probability that stops a row
W_EXIT_PATIENCE = "pl_w_exit_patience"  # with 'patience': consecutive exits with an unchanged label
EXIT_LATER = "pl_exit_later"  # a threshold schedule's later thresholds (no widget: the slider sets the first)
W_TEXT = "pl_w_text"
W_SAMPLE = "pl_w_sample"
W_METHOD = "pl_w_method"  # which method's heatmap is drawn
W_FOCUS = "pl_w_focus"  # the head (or rollout) drawn large
W_KEEP_TEXT = "pl_w_keep_text"
W_EXTRA = "pl_w_extra"  # more paths for the comparison set, separated by `|`
W_EXPLAIN_ALL = "pl_w_explain_all"  # explain the paths not taken too
W_STEPS = "pl_w_steps"  # Integrated Gradients steps (0: adaptive)
W_IG_TOLERANCE = "pl_w_ig_tolerance"  # adaptive IG's |relative delta| tolerance
W_GROUP_NAME = "pl_w_group_name"  # the user's own group: its name,
W_GROUP_KIND = "pl_w_group_kind"  # "word list" or "regex",
W_GROUP_BODY = "pl_w_group_body"  # and the words or the pattern
W_PII = "pl_w_pii"  # button: withhold every personal-data group
W_ADD_GROUP = "pl_w_add_group"  # button: add the user's own group
GROUP_ERROR = "pl_group_error"  # why the last own group was refused, or ""
W_METHODS = "pl_w_methods"  # the explanation methods to run (multiselect)
W_TARGET = "pl_w_target"  # the label to explain, or TARGET_PREDICTED
TARGET_PREDICTED = "(the predicted label)"
W_PROGRAM = "pl_w_program"  # the programmed-attention clauses (block= / emphasize=), editable
W_PROGRAM_MODE = "pl_w_program_mode"  # the composer of one clause: block or emphasize
W_PROGRAM_GROUP = "pl_w_program_group"
W_PROGRAM_WHERE = "pl_w_program_where"  # layers (block) or heads (emphasize); blank = all
W_PROGRAM_ALPHA = "pl_w_program_alpha"

# Choices on Decide that outlive a visit to another page (Streamlit forgets a widget's value once a run does not
# draw it): `restore_choices` puts them back before the page draws them, `keep_choices` saves them after.
CHOICES = "pl_choices"
KEPT_WIDGETS = (W_METHODS, W_TARGET, W_EXTRA, W_KEEP_TEXT, W_EXPLAIN_ALL)

DEFAULTS: dict[str, Any] = {
    TEXT: "A warm, funny and surprisingly moving story; call me on +44 20 7946 0958 or mail jo@example.com.",
    PATH: "full",
    SPEC: None,
    PATH_ERROR: "",
    DECISION: None,
    OPENED: None,
    AUDIT: None,
    TRADEOFF: None,
    LAST_SAMPLE: "",
    ROLE: None,
    GROUP_ERROR: "",
    CANCELLED: None,
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
    if OWNER not in state:
        state[OWNER] = session_owner()


def restore_choices(state: MutableMapping[str, Any]) -> None:
    """Before Decide draws its widgets: the choices made on an earlier visit, where Streamlit forgot them."""
    for key, value in state.get(CHOICES, {}).items():
        if key not in state:
            state[key] = value


def keep_choices(state: MutableMapping[str, Any]) -> None:
    """After Decide drew its widgets: remember their values for the next visit."""
    state[CHOICES] = {key: state[key] for key in KEPT_WIDGETS if key in state}


def owner(state: MutableMapping[str, Any]) -> str:
    """The owner of the groups this session adds and sees (core.ui.groups)."""
    return str(state[OWNER])


def share_resources(state: MutableMapping[str, Any], engine: PathEngine, service: DecisionService) -> None:
    """app.py runs before every page: it hands the cached engine and DecisionService to the page through the state."""
    state[ENGINE] = engine
    state[SERVICE] = service


def resources(state: MutableMapping[str, Any]) -> tuple[PathEngine, DecisionService]:
    """The engine and DecisionService app.py shared for this run."""
    return state[ENGINE], state[SERVICE]


def role(state: MutableMapping[str, Any]) -> str:
    """The session's role: the logged-in key's, or `admin` when the dashboard asks for no login."""
    return str(state.get(ROLE) or "admin")


def log_in(state: MutableMapping[str, Any], role: str, key_owner: str) -> None:
    """After a key was accepted: its role, and its groups (the same in every session of that key)."""
    state[ROLE] = role
    state[OWNER] = key_owner


def log_out(state: MutableMapping[str, Any]) -> None:
    """Callback of the Log out button: forget the role and the key's groups, so the next run asks for a key."""
    state[ROLE] = None
    state[OWNER] = session_owner()


def current_spec(state: MutableMapping[str, Any], engine: PathEngine) -> PathSpec:
    """The current path as a PathSpec, parsed only when PATH changed (History and Audit set PATH as text)."""
    spec = state[SPEC]
    if spec is None or spec.canonical != state[PATH]:
        spec = state[SPEC] = engine.parse(state[PATH])
    return spec


def write_controls(state: MutableMapping[str, Any], spec: PathSpec) -> None:
    """Make `spec` the current path and set the path builder's widgets to show it (before they are drawn, or in a
    callback)."""
    controls = controls_of(spec)
    state[SPEC] = spec
    state[PATH] = state[W_PATH] = spec.canonical
    state[W_DEPTH] = controls.depth
    state[W_PRECISION] = controls.precision
    state[W_DEVICE] = controls.device
    state[W_LAYERS] = [layer for layer, on in enumerate(controls.layers_on) if on]
    state[W_PROGRAM] = controls.program
    for layer in range(len(controls.layers_on)):
        state[heads_key(layer)] = list(controls.heads_on[layer])
    for group in controls.all_groups:
        state[group_key(group)] = group in controls.withhold
    policy = ExitPolicy.parse(controls.exit) if controls.exit else None
    state[W_EXIT_RULE] = policy.rule if policy is not None else "none"
    state[W_EXIT_THRESHOLD] = policy.threshold if policy is not None and policy.threshold is not None else 0.9
    state[W_EXIT_PATIENCE] = policy.patience if policy is not None and policy.patience is not None else 2
    state[EXIT_LATER] = policy.later if policy is not None else ()


def read_controls(state: MutableMapping[str, Any], template: PathControls) -> PathControls:
    """The path builder's widgets as controls, shaped like `template` (the controls they were drawn from)."""
    layers = range(len(template.layers_on))
    return PathControls(
        depth=int(state[W_DEPTH]),
        layers_on=tuple(layer in (state[W_LAYERS] or ()) for layer in layers),
        heads_on=tuple(tuple(sorted(state[heads_key(layer)] or ())) for layer in layers),
        withhold=tuple(g for g in template.all_groups if state.get(group_key(g), False)),
        precision=str(state[W_PRECISION]),
        device=str(state[W_DEVICE]),
        all_groups=template.all_groups,
        program=str(state.get(W_PROGRAM, "")),
        exit=_exit_text(state),
    )


def cancel_explanation(state: MutableMapping[str, Any], decision_id: str) -> None:
    """Callback of Cancel: Streamlit stops the running explanation at its next progress step (between windows and
    methods); this flag keeps the rerun from starting it again. The decision itself is already recorded."""
    state[CANCELLED] = decision_id


def explain_again(state: MutableMapping[str, Any]) -> None:
    """Callback: explain the shown decision (again) with the methods and target chosen now."""
    state[CANCELLED] = None
    view = state[DECISION]
    if view is not None:
        state[DECISION] = view.without_explanation()


def _exit_text(state: MutableMapping[str, Any]) -> str:
    """The exit-policy widgets as the `exit=` clause's value ('' for none)."""
    rule = state.get(W_EXIT_RULE, "none")
    if rule == "confidence":
        later = "".join(f",{value}" for value in state.get(EXIT_LATER, ()))
        return f"confidence>={round(float(state[W_EXIT_THRESHOLD]), 3)}{later}"
    if rule == "patience":
        return f"patience:{int(state[W_EXIT_PATIENCE])}"
    return ""


def apply_path_text(state: MutableMapping[str, Any], engine: PathEngine) -> None:
    """Callback: the path string was edited; parse it and move the widgets to match, or say why not."""
    try:
        spec = engine.parse(state[W_PATH])
    except PathLensError as exc:
        state[PATH_ERROR] = f"Path refused: {exc}"
        return
    write_controls(state, spec)
    state[PATH_ERROR] = ""


def runnable_spec(state: MutableMapping[str, Any], engine: PathEngine) -> PathSpec | None:
    """The path Decide runs: the one the path field shows, or None while the builder holds no valid path.

    A refused edit or an impossible set of widgets leaves an error; Decide stays disabled until it is fixed, so
    that a path other than the one shown can never run.
    """
    if state[PATH_ERROR] or state.get(W_PATH, state[PATH]) != state[PATH]:
        return None
    return current_spec(state, engine)


def apply_widgets(state: MutableMapping[str, Any], engine: PathEngine) -> None:
    """Callback: a path builder widget changed; rebuild the path from all of them."""
    try:
        spec = path_from_controls(engine, read_controls(state, controls_of(PathSpec.full(engine.model.template))))
    except PathLensError as exc:
        state[PATH_ERROR] = f"Path refused: {exc}"
        state[W_PATH] = ""  # the last valid path is not what the widgets show: no canonical path beside the refusal
        return
    state[SPEC] = spec
    state[PATH] = state[W_PATH] = spec.canonical
    state[PATH_ERROR] = ""


def withhold_pii(state: MutableMapping[str, Any], engine: PathEngine) -> None:
    """Callback: tick every personal-data group, then rebuild the path."""
    for group in PII_GROUPS:
        state[group_key(group)] = True
    apply_widgets(state, engine)


def add_group(state: MutableMapping[str, Any], engine: PathEngine) -> None:
    """Callback: offer this session (or key) its own group (word list or regex), or say why it was refused. Adding
    a group chooses nothing: it is not withheld, blocked or emphasised until the user says so."""
    try:
        name = add_user_group(engine, state[W_GROUP_NAME], state[W_GROUP_KIND], state[W_GROUP_BODY], owner(state))
    except PathLensError as exc:
        state[GROUP_ERROR] = f"Group refused: {exc}"
        return
    state[GROUP_ERROR] = ""
    state[group_key(name)] = False


def apply_program(state: MutableMapping[str, Any], engine: PathEngine, clear: bool = False) -> None:
    """Callback: add the composed block/emphasize clause to the program (or clear it), then rebuild the path.

    A refused program is taken back, so the builder keeps the last path that worked.
    """
    previous = str(state.get(W_PROGRAM, ""))
    if clear:
        state[W_PROGRAM] = ""
    else:
        try:
            clause = program_clause(
                str(state[W_PROGRAM_MODE]),
                str(state[W_PROGRAM_GROUP]),
                str(state.get(W_PROGRAM_WHERE, "")),
                float(state[W_PROGRAM_ALPHA]) if state[W_PROGRAM_MODE] == "emphasize" else None,
            )
        except PathLensError as exc:
            state[PATH_ERROR] = f"Path refused: {exc}"
            return
        state[W_PROGRAM] = merge_program(previous, clause)
    apply_widgets(state, engine)
    if state[PATH_ERROR]:
        state[W_PROGRAM] = previous
