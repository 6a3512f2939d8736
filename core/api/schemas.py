"""Request bodies of the HTTP API: what the server enforces is what the OpenAPI schema says.

Unknown fields are refused (a misspelt field is an error, not ignored); booleans are strict (`"yes"` is not true);
texts, paths and key names carry their limits in the schema.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool
from pydantic_core import PydanticCustomError

from core.errors import MAX_TEXT_CHARS, text_problem
from core.explain import ALL_METHODS, DEFAULT_IG_TOLERANCE
from core.model import shipped_labels_text
from core.store import MAX_NAME_CHARS

MAX_PATH_CHARS = 2000
# The characters a path may hold (clauses `key=value` joined by `;`, see README "Paths"); which paths this model can
# run is checked by the server (400 with what is possible).
PATH_PATTERN = r"^[A-Za-z0-9_.,;:*@<>= \t-]*$"
NAME_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f]*$"  # no control characters

TEXT_REFUSED = "text_refused"  # the validation error type that answers 400, as the service does for a bad text


def _decidable(value: object) -> object:
    """A text the core rule (`core.errors.text_problem`) refuses is refused here in its words, before the schema's
    length bounds (which describe the same rule) would answer in pydantic's; a non-string is left to pydantic."""
    problem = text_problem(value) if isinstance(value, str) else None
    if problem is not None:
        raise PydanticCustomError(TEXT_REFUSED, "{problem}", {"problem": str(problem)})
    return value


Text = Annotated[
    str,
    BeforeValidator(_decidable),
    Field(
        min_length=1,
        max_length=MAX_TEXT_CHARS,
        description=f"a text of 1 to {MAX_TEXT_CHARS:,} characters with some content (not only blanks); never logged",
    ),
]
PathText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_PATH_CHARS,
        pattern=PATH_PATTERN,
        description="a path, e.g. 'depth=3; withhold=email' (README: Paths)",
        examples=["depth=3; withhold=email"],
    ),
]


def _true_or_false(value: object) -> object:
    """A query flag is `true` or `false`; `yes`, `1` or `on` are refused rather than guessed."""
    if isinstance(value, str) and value not in ("true", "false"):
        raise PydanticCustomError("bool_parsing", "give true or false (got {value!r})", {"value": value})
    return value


QueryBool = Annotated[bool, BeforeValidator(_true_or_false)]
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _rfc3339(value: object) -> object:
    """An RFC 3339 time (a date, a time and an offset), as the schema's `date-time` says; no guessing."""
    if not isinstance(value, str) or not _RFC3339.fullmatch(value):
        raise PydanticCustomError("datetime_from_date_parsing", "give an RFC 3339 time such as 2026-01-01T00:00:00Z")
    try:
        return datetime.fromisoformat(value.upper())
    except ValueError:
        raise PydanticCustomError("datetime_from_date_parsing", "no such time: {value}", {"value": value}) from None


IsoTime = Annotated[datetime, BeforeValidator(_rfc3339)]
ColumnName = Annotated[str, Field(min_length=1, max_length=200)]
Method = Literal["ig", "gxi", "saliency", "lrp", "occlusion", "attention"]
assert set(Method.__args__) == set(ALL_METHODS), "the schema's methods are the explainers'"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DecideRequest(_Body):
    text: Text
    path: PathText = "full"
    keep_text: StrictBool = Field(False, description="store the raw text (default: a salted hash only)")
    also: list[PathText] = Field(default_factory=list, max_length=16, description="extra paths for the comparison set")
    compare: StrictBool = Field(True, description="compute and store the comparison set in the background")
    explain: list[Method] = Field(default_factory=list, description="methods to explain the decision with")
    target: str | None = Field(None, max_length=200, description="label to explain (default: the predicted one)")
    model: str | None = Field(
        None,
        max_length=200,
        description="the model to decide with: a name from GET /v1/models (default: the one the server was started "
        f"with). The shipped models and their labels: {shipped_labels_text()}",
    )


STORED_MODEL = (
    "the model to run it with, a name from GET /v1/models (default: the model that made the decision); a model "
    "other than the one that made it is refused, naming both"
)


class ExplainRequest(_Body):
    methods: list[Method] = Field(
        default_factory=lambda: list(ALL_METHODS), min_length=1, description="explanation methods"
    )
    text: Text | None = Field(None, description="the decided text, when the record did not keep it")
    target: str | None = Field(None, max_length=200, description="label to explain (default: the predicted one)")
    n_steps: int | None = Field(
        None, ge=1, le=1000, description="fixed Gauss-Legendre IG steps; null (the default): adaptive IG"
    )
    ig_tolerance: float = Field(
        DEFAULT_IG_TOLERANCE, gt=0, lt=1, description="adaptive IG refines until |relative delta| is within this"
    )
    model: str | None = Field(None, max_length=200, description=STORED_MODEL)


class ReproduceRequest(_Body):
    text: Text | None = Field(None, description="the decided text, when the record did not keep it")
    model: str | None = Field(None, max_length=200, description=STORED_MODEL)


class KeyRequest(_Body):
    role: Literal["viewer", "analyst", "admin"]
    name: str = Field(
        "", max_length=MAX_NAME_CHARS, pattern=NAME_PATTERN, description="who or what the key is for (printable)"
    )
