"""What the HTTP API answers, as typed models for its OpenAPI schema; what a client generated from it can rely on.

Routes return the plain JSON of `core/` (`Decision.to_json`, `record_json`, ...); these models describe it for
clients and are checked against real answers by the Schemathesis suite (`tests/api/test_api_schema.py`). Objects
that grow with the methods or paths asked for (explanations, costs) are typed where a client reads them and allow
more fields.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, create_model

from core import model as core_model
from core import service as core_service


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


def _answer_of(shape: type, base: type[BaseModel], **more: Any) -> type[BaseModel]:
    """The answer model of a core dataclass: its fields, all required, from the one definition in `core/` (plus
    `more`, e.g. a property that its `to_json` writes)."""
    hints = typing.get_type_hints(shape)
    fields: dict[str, Any] = {field.name: (hints[field.name], ...) for field in dataclasses.fields(shape)}
    return create_model(shape.__name__, __base__=base, **fields, **more)


class ErrorBody(BaseModel):
    """Every error answer: one line saying what went wrong and what to do."""

    error: str


class NotReady(ErrorBody):
    """503 from /readyz: what is wrong with the store, one problem per line."""

    problems: list[str]


Cost = _answer_of(core_model.Cost, _Open)


class Tokens(_Open):
    total: int
    kept: int
    windows: int
    truncated: bool


class RecordStatus(BaseModel):
    """What happened to the decision's record: `stored`, `failed` (with the error) or `off` (no store)."""

    status: Literal["stored", "failed", "off"]
    alternatives_queued: int
    error: str | None


class Unit(_Open):
    """One token of the text (or one withheld span); `text` is null where token texts are redacted."""

    text: str | None
    start: int
    end: int
    withheld: str | None = None


class MethodExplanation(_Open):
    scores: list[float]
    seconds: float
    faithfulness: dict[str, Any] | None = None
    convergence_delta: float | None = None
    relative_delta: float | None = None
    steps: int | None = None
    within_tolerance: bool | None = None


class Explanations(_Open):
    """Per method, one score per unit of the text; faithfulness figures; for IG its convergence."""

    label: str
    target: str
    path: str
    units: list[Unit]
    methods: dict[str, MethodExplanation]


class Decision(_Open):
    """A decision as `decide` prints it, with what happened to its record."""

    decision_id: str
    label: str
    probs: dict[str, float]
    logits: list[float]
    path: str
    path_id: str
    model_fingerprint: str
    cost: Cost
    withheld: dict[str, int]
    tokens: Tokens
    notes: list[str]
    exit: dict[str, Any] | None = None
    record: RecordStatus
    explanations: Explanations | None = None


class UnrecordedDecision(ErrorBody):
    """503 from POST /v1/decisions: the decision was made but the store could not record it."""

    decision: Decision


class Alternative(_Open):
    path: str
    path_id: str
    status: Literal["pending", "done", "failed"]
    label: str | None = None
    probs: dict[str, float] | None = None
    error: str | None = None


class StoredDecision(_Open):
    """A decision in the record with its paths not taken; `text` only for analysts when it was kept."""

    decision_id: str
    created_at: str
    model_fingerprint: str
    model: str | None = None  # the name the record knows that fingerprint by (`GET /v1/models`), when known
    path: str
    path_id: str
    label: str
    probs: dict[str, float]
    logits: list[float]
    text: str | None
    text_kept: bool
    alternatives: list[Alternative]
    comparison_status: str
    explanations: Explanations | None = None
    redacted: bool = False


class History(BaseModel):
    decisions: list[StoredDecision]
    count: int


class DecisionText(BaseModel):
    decision_id: str
    text: str


class PathOutcome(_Open):
    path: str
    executed: bool
    status: str
    label: str | None = None
    probs: dict[str, float] | None = None
    flip: bool | None = None


class Comparison(_Open):
    """The executed path against each path not taken; `complete` once none is pending."""

    decision_id: str
    executed: PathOutcome
    alternatives: list[PathOutcome]
    complete: bool


Reproduction = _answer_of(core_service.Reproduction, BaseModel, matches=(bool, ...))


class AuditJob(BaseModel):
    job_id: str
    status: Literal["queued", "running", "done", "failed"]
    rows_done: int
    rows_total: int | None
    fraction: float | None
    path: str
    model: str  # the name of the model that audits it
    summary: dict[str, Any] | None
    error: str | None


class ApiKey(BaseModel):
    key_id: str
    role: Literal["viewer", "analyst", "admin"]
    name: str
    created_at: str
    revoked_at: str | None
    active: bool


class NewApiKey(ApiKey):
    key: str


class ApiKeys(BaseModel):
    keys: list[ApiKey]


class Health(BaseModel):
    status: Literal["ok"]
    model: str
    store: str | None
    auth: bool


class Ready(BaseModel):
    status: Literal["ready"]
    store: str | None


ERROR_MEANINGS = {
    400: "Bad input: an impossible path, a blank text, a text not kept, a file that cannot be audited",
    401: "No API key, or an unknown or revoked one (servers started with --auth)",
    403: "The key's role may not make this call",
    404: "No such decision, audit job or key",
    409: "The audit job is not done yet",
    413: "The body is over the limit (JSON 1 MiB, uploads 64 MiB by default)",
    415: "The body is not of a type this route takes",
    422: "A missing or unknown field, or a value outside the schema",
    503: "The store cannot serve the request now (locked, read-only, full, unreachable)",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error statuses, each with the error body and what it means here."""
    return {status: {"model": ErrorBody, "description": ERROR_MEANINGS[status]} for status in statuses}


def links(*operations: tuple[str, str, str]) -> dict[str, Any]:
    """OpenAPI links from an answer to the operations its ids open: (operationId, parameter, the answer's field)."""
    return {
        operation: {"operationId": operation, "parameters": {parameter: f"$response.body#/{field}"}}
        for operation, parameter, field in operations
    }


class ModelEntry(_Open):
    """One model a decision request may name, with the labels it decides between."""

    name: str
    task: str
    labels: list[str]
    shipped: bool
    data: str | None
    loaded: bool


class ModelList(BaseModel):
    """The models on offer; `served` is the one a request without `model` decides with."""

    served: str
    models: list[ModelEntry]


class HeadImportance(_Open):
    """The effect of each head (`heads[layer][head]`) and layer on the decided label's logit; null where it did not
    run on the path."""

    method: str
    path: str
    label: str
    logit: float
    heads: list[list[float | None]]
    layers: list[float | None]
    steps: int
    seconds: float
    notes: list[str]
