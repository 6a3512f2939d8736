"""`/v1/models`: the models a request may name (`model` in a decision request), with their labels."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from core.api.auth import Caller, requires
from core.api.models import ModelList, error_responses
from core.service import ModelServices

router = APIRouter(prefix="/v1/models", tags=["models"])
Viewer = Annotated[Caller, Depends(requires("viewer"))]


def model_services(request: Request) -> ModelServices:
    """The server's services by model (a FastAPI dependency; set by `create_app`)."""
    return request.app.state.models


Models = Annotated[ModelServices, Depends(model_services)]


@router.get(
    "",
    operation_id="listModels",
    summary="The models a decision request may name, with their labels; which one is served by default",
    response_model=None,
    responses={200: {"model": ModelList, "description": "The models"}, **error_responses(400, 401, 403, 422, 503)},
)
def list_models(models: Models, _caller: Viewer) -> dict[str, Any]:
    loaded = set(models.loaded())
    return {
        "served": models.served,
        "models": [{**info.to_json(), "loaded": info.name in loaded} for info in models.offered()],
    }
