"""Request bodies of the HTTP API (unknown fields are refused, so a misspelt field is an error, not ignored)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.explain import ALL_METHODS, DEFAULT_IG_TOLERANCE


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


class ExplainRequest(_Body):
    methods: list[str] = Field(default_factory=lambda: list(ALL_METHODS), description="explanation methods")
    text: str | None = Field(None, description="the decided text, when the record did not keep it")
    target: str | None = Field(None, description="label to explain (default: the predicted one)")
    n_steps: int | None = Field(
        None, ge=1, le=1000, description="fixed Gauss-Legendre IG steps; null (the default): adaptive IG"
    )
    ig_tolerance: float = Field(
        DEFAULT_IG_TOLERANCE, gt=0, lt=1, description="adaptive IG refines until |relative delta| is within this"
    )


class ReproduceRequest(_Body):
    text: str | None = Field(None, description="the decided text, when the record did not keep it")


class KeyRequest(_Body):
    role: Literal["viewer", "analyst", "admin"]
    name: str = Field("", max_length=200, description="who or what the key is for")
