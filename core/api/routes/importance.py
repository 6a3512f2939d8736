"""`/v1/importance`: which heads and layers a text's decision along a path rests on (attribution patching)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from core.api.auth import Caller, requires
from core.api.context import ApiContext, context
from core.api.models import HeadImportance, error_responses
from core.api.schemas import PathText, Text

router = APIRouter(prefix="/v1/importance", tags=["importance"])
Context = Annotated[ApiContext, Depends(context)]
Analyst = Annotated[Caller, Depends(requires("analyst"))]


class ImportanceRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Text
    path: PathText = "full"
    steps: int = Field(1, ge=1, le=64, description="gate integration points (1: attribution patching at gate 1)")


@router.post(
    "",
    operation_id="headImportance",
    summary="Importance of every head and layer for one decision (nothing is recorded)",
    response_model=None,
    responses={
        200: {"model": HeadImportance, "description": "Attribution patching of the decision"},
        **error_responses(400, 401, 403, 413, 422, 503),
    },
)
def importance(body: ImportanceRequest, ctx: Context, _caller: Analyst) -> dict[str, Any]:
    spec = ctx.service.engine.parse(body.path)
    return ctx.service.head_importance(body.text, spec, body.steps).to_json()
