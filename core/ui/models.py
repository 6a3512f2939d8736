"""The dashboard's model picker: which models may be picked, loading one by name, and what a switch resets.

Options are the shipped models and the operator's checkpoint folders (`PATHLENS_MODEL_DIRS`, and `PATHLENS_MODEL`
when it names a folder): `core.model.shipped.catalog`. Each model is loaded once per server (app.py caches
`load_engine_named` and `open_model_service` by name), so switching is instant after the first time and needs no
restart.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping, Sequence
from typing import Any

from core.errors import PathLensError
from core.model import DEFAULT_MODEL, ModelInfo, catalog, load_model
from core.path import PathSpec
from core.run import PathEngine
from core.service import DecisionService
from core.store import model_label
from core.ui.decisions import open_service, unrecorded_service
from core.ui.state import AUDIT, CANCELLED, DECISION, OPENED, PATH, PATH_ERROR, SPEC, TRADEOFF, W_TARGET, write_controls

Resources = tuple[PathEngine, DecisionService]  # what app.py hands the pages for the picked model
MODEL_SHOWN = "pl_model_shown"  # the model the session's state (path, decision, audit, sweep) belongs to
W_MODEL = "pl_w_model"  # the sidebar's model picker
W_HISTORY_MODEL = "pl_w_history_model"  # History's filter by model
RESET_ON_SWITCH = (DECISION, OPENED, AUDIT, TRADEOFF, CANCELLED)  # what belonged to the previous model
WIDGETS_ON_SWITCH = (W_TARGET, "pl_w_audit_label", W_HISTORY_MODEL)  # pickers whose options were the previous model's


def served_model() -> str:
    """The model the dashboard starts on: `PATHLENS_MODEL` (a name or a folder), else `sst2`."""
    return os.environ.get("PATHLENS_MODEL") or DEFAULT_MODEL


def model_choices() -> list[ModelInfo]:
    """The models the picker offers, the served one first."""
    choices = list(catalog())
    served = served_model()
    return sorted(choices, key=lambda info: info.name != served)


def model_caption(info: ModelInfo) -> str:
    """What the picker writes under a model's name: 'customer-service intents of online banking · 77 labels'."""
    return f"{info.task} · {len(info.labels)} labels"


def load_engine_named(name: str) -> PathEngine:
    """The model `name` (wrap in st.cache_resource: one per name per server), warmed up by one short decision.

    The served model loads as `load_model()` does (so `PATHLENS_HEADS` still applies to it); others by name.
    """
    engine = PathEngine(load_model(None if name == served_model() else name))
    engine.decide("warm up", PathSpec.full(engine.model.template))
    return engine


def open_model_service(_engine: PathEngine, location: str, model: str) -> DecisionService:
    """The record's service for one model (`model` is the cache key: the engine itself is not hashed)."""
    return open_service(_engine, location)


def unrecorded_model_service(_engine: PathEngine, model: str) -> DecisionService:
    """A service that records nothing, for one model (`model` is the cache key)."""
    return unrecorded_service(_engine)


def adopt_model(state: MutableMapping[str, Any], engine: PathEngine, name: str) -> bool:
    """After a switch to `name`: forget what belonged to the previous model (the decision shown, the audit, the
    sweep, label pickers) and re-read the current path on the new model, or start from `full` where it has no such
    path. Returns whether the model changed."""
    if state.get(MODEL_SHOWN) in (None, name):
        state[MODEL_SHOWN] = name
        return False
    state[MODEL_SHOWN] = name
    for key in RESET_ON_SWITCH:
        state[key] = None
    for key in WIDGETS_ON_SWITCH:
        state.pop(key, None)
    try:
        spec = engine.parse(str(state[PATH]))
        state[PATH_ERROR] = ""
    except PathLensError as exc:  # the new model cannot run the old path (other layers, heads or groups)
        spec = PathSpec.full(engine.model.template)
        state[PATH_ERROR] = f"The path {state[PATH]!r} does not fit {name} ({exc}): the full path is shown instead."
    state[SPEC] = None
    write_controls(state, spec)
    return True


def history_models(service: DecisionService) -> dict[str, str | None]:
    """History's model filter: {caption: fingerprint}, the loaded model first, then every other model the record
    names, then "(any model)" (None: no filter)."""
    names = service.model_names()
    loaded = service.engine.model
    options: dict[str, str | None] = {f"{loaded.name} (this model)": loaded.fingerprint}
    for fingerprint, name in sorted(names.items(), key=lambda item: item[1]):
        if fingerprint != loaded.fingerprint:
            options[f"{name} ({fingerprint[:8]})"] = fingerprint
    options["(any model)"] = None
    return options


def sample_for(model: str, samples: Sequence[str]) -> str:
    """The sample file the Batch page offers first: the model's own (`banking77_sample.csv`), else the SST-2 one."""
    own = f"{model}_sample.csv"
    return own if own in samples else "audit_sample.csv"


def other_model_note(service: DecisionService, decision_id: str) -> str:
    """Why a stored decision cannot be re-run here when another model made it ('' when the sidebar's model did)."""
    if service.store is None:
        return ""
    made_by = service.store.get(decision_id).model_fingerprint
    loaded = service.engine.model
    if made_by == loaded.fingerprint:
        return ""
    name = service.model_names().get(made_by)
    pick = f"pick {name} in the sidebar" if name else "load the model that made it"
    return (
        f"Decision {decision_id} was made by {model_label(service.model_names(), made_by)}, not by {loaded.name} "
        f"(the sidebar's model): it is shown as recorded, and models are never mixed, so to reproduce, explain or "
        f"re-run it {pick}."
    )
