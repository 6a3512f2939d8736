"""One DecisionService per model a server offers: the one it started with, and others loaded on first request.

A request may name a model of the catalog (`core.model.shipped.catalog`: the shipped names and the operator's
configured checkpoint folders); anything else is refused, so that a request can never make the server read an
arbitrary folder. Every service shares the server's store; each model is loaded once and kept.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping

from core.errors import InputError
from core.model import ModelInfo, catalog, load_model
from core.run import PathEngine
from core.service.decisions import DecisionService
from core.store import DecisionRecord, model_label

_FINGERPRINT = re.compile(r"[0-9a-f]{16}")  # a model fingerprint as `core.model` writes it


def own_model(record: DecisionRecord, names: Mapping[str, str]) -> str | None:
    """The model that made `record`, by the name the record knows (`names`: fingerprint -> name), when the catalog
    offers it by that name: what explaining or reproducing the decision loads unless another model is named.
    None when the catalog does not offer it (the caller's default model is used, and refuses a decision it did not
    make, naming both)."""
    made_by = names.get(record.model_fingerprint)
    return made_by if made_by in {info.name for info in catalog()} else None


class ModelServices:
    """The server's services by model name; thread-safe (loading a model holds the lock, deciding does not)."""

    def __init__(self, default: DecisionService) -> None:
        self.default = default
        self._services: dict[str, DecisionService] = {self.served: default}
        self._lock = threading.Lock()

    @property
    def served(self) -> str:
        """What the server started with: a shipped name or a folder (`--model` / `PATHLENS_MODEL`)."""
        model = self.default.engine.model
        return model.source or model.name

    def offered(self) -> tuple[ModelInfo, ...]:
        """The models a request may name."""
        return catalog()

    def loaded(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._services)

    def service_for(self, name: str | None) -> DecisionService:
        """The service of model `name` (None: the served one), loading it on first use."""
        if name is None or name == self.served:
            return self.default
        with self._lock:
            if name not in self._services:
                names = [info.name for info in self.offered()]
                if name not in names:
                    raise InputError(f"unknown model {name!r}: choose one of {', '.join(names)} (GET /v1/models)")
                self._services[name] = DecisionService(PathEngine(load_model(name)), self.default.store)
            return self._services[name]

    def for_record(self, record: DecisionRecord, name: str | None = None) -> DecisionService:
        """The service to explain or reproduce `record` with: model `name` when given (refused, naming both models,
        when another model made the decision), else the model that made it when the catalog offers it by the name
        the record knows, else the served one (whose `checked_text` refuses a decision made by another model)."""
        names = self.default.model_names()
        made_by = names.get(record.model_fingerprint)
        if name is None:
            own = own_model(record, names)
            return self.service_for(own) if own is not None else self.default
        service = self.service_for(name)
        model = service.engine.model
        if model.fingerprint != record.model_fingerprint:
            switch = f'send "model": "{made_by}" or leave "model" out' if made_by else 'leave "model" out'
            raise InputError(
                f"decision {record.decision_id} was made by model {model_label(names, record.model_fingerprint)}, "
                f"not by {name} ({model.fingerprint}) named in this request: models are never mixed in an "
                f"explanation or a reproduction; {switch}"
            )
        return service

    def fingerprints_of(self, model: str) -> tuple[str, ...]:
        """The fingerprints a History filter `model` means: every fingerprint the record knows by that name, or
        `model` itself (a fingerprint) when no recorded model has that name."""
        recorded = self.default.model_names()
        named = tuple(sorted(fp for fp, known in recorded.items() if known == model))
        if named or _FINGERPRINT.fullmatch(model) or model in {info.name for info in catalog()}:
            return named or (model,)
        known = sorted(set(recorded.values()) | {info.name for info in catalog()})
        raise InputError(
            f"unknown model {model!r}: give a model's name (GET /v1/models) or a fingerprint (16 hex digits); "
            "known names: " + ", ".join(known)
        )

    def close(self, timeout_s: float | None = None) -> bool:
        """Wait for every loaded model's queued comparison sets (the default service is its owner's to close)."""
        with self._lock:
            others = [service for service in self._services.values() if service is not self.default]
        return all([service.close(timeout_s) for service in others])
