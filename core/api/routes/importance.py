"""`/v1/importance`: which heads and layers a text's decision along a path rests on (attribution patching)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from core.api.auth import Caller, requires
from core.api.context import ApiContext, context

router = APIRouter(prefix="/v1/importance", tags=["importance"])
Context = Annotated[ApiContext, Depends(context)]
Analyst = Annotated[Caller, Depends(requires("analyst"))]


class ImportanceRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="the text to decide and weigh; never logged or stored")
    path: str = Field("full", description="path spec, e.g. 'depth=3; exit=confidence>=0.9'")
    steps: int = Field(1, ge=1, le=64, description="gate integration points (1: attribution patching at gate 1)")


@router.post("", summary="Importance of every head and layer for one decision (nothing is recorded)")
def importance(body: ImportanceRequest, ctx: Context, _caller: Analyst) -> dict[str, Any]:
    spec = ctx.service.engine.parse(body.path)
    return ctx.service.head_importance(body.text, spec, body.steps).to_json()
