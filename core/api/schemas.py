"""Request bodies of the HTTP API (unknown fields are refused, so a misspelt field is an error, not ignored)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.explain import ALL_METHODS
from core.model.shipped import shipped_labels_text


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DecideRequest(_Body):
    text: str = Field(description="the text to decide; never logged, stored only with keep_text")
    path: str = Field("full", description="path spec, e.g. 'depth=3; withhold=email'")
    keep_text: bool = Field(False, description="store the raw text (default: a salted hash only)")
    also: list[str] = Field(default_factory=list, description="extra paths for the comparison set")
    compare: bool = Field(True, description="compute and store the comparison set in the background")
    explain: list[str] = Field(default_factory=list, description=f"methods to explain with: {', '.join(ALL_METHODS)}")
    target: str | None = Field(None, description="label to explain (default: the predicted one)")
    model: str | None = Field(
        None,
        description="the model to decide with: a name from GET /v1/models (default: the one the server was started "
        f"with). The shipped models and their labels: {shipped_labels_text()}",
    )


class ExplainRequest(_Body):
    methods: list[str] = Field(default_factory=lambda: list(ALL_METHODS), description="explanation methods")
    text: str | None = Field(None, description="the decided text, when the record did not keep it")
    target: str | None = Field(None, description="label to explain (default: the predicted one)")
    n_steps: int = Field(50, ge=1, le=1000, description="Integrated Gradients steps")


class ReproduceRequest(_Body):
    text: str | None = Field(None, description="the decided text, when the record did not keep it")


class KeyRequest(_Body):
    role: Literal["viewer", "analyst", "admin"]
    name: str = Field("", max_length=200, description="who or what the key is for")
