"""`/v1/audits`: submit a CSV file as a background audit job, poll its progress, fetch its per-row result."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from core.api.auth import Caller, requires
from core.api.context import ApiContext, context
from core.api.jobs import AuditJob, AuditOptions
from core.api.models import AuditJob as AuditJobModel
from core.api.models import error_responses, links
from core.api.schemas import ColumnName, PathText, QueryBool

router = APIRouter(prefix="/v1/audits", tags=["audits"])
Context = Annotated[ApiContext, Depends(context)]
Analyst = Annotated[Caller, Depends(requires("analyst"))]
ALWAYS = (400, 401, 403, 422, 503)
UPLOAD_TYPES = ("text/csv", "text/plain", "application/octet-stream")  # a CSV file, however the client labels it
UPLOAD_SCHEMA = {
    "type": "string",
    "pattern": r"^text(,label)?\r?\n",  # the header of the default columns; others are named by text_col, label_col
    "description": "CSV, UTF-8, a header row first: `text` (or the column named by text_col), optionally `label`",
    "examples": ["text,label\nA gripping thriller.,positive\n"],
}


@router.post(
    "",
    status_code=202,
    operation_id="submitAudit",
    summary="Submit a CSV file (the request body, UTF-8, a header row naming its columns) as a batch audit job",
    openapi_extra={
        "requestBody": {
            "content": {kind: {"schema": UPLOAD_SCHEMA} for kind in UPLOAD_TYPES},
            "required": True,
        }
    },
    response_model=None,
    responses={
        202: {
            "model": AuditJobModel,
            "description": "Queued",
            "links": links(("getAudit", "job_id", "job_id"), ("getAuditResult", "job_id", "job_id")),
        },
        **error_responses(*ALWAYS, 413, 415),
    },
)
async def submit(
    request: Request,
    ctx: Context,
    _caller: Analyst,
    path: Annotated[PathText, Query()] = "full",
    against: Annotated[PathText, Query(description="path to compare with; 'none' to skip")] = "full",
    text_col: Annotated[ColumnName, Query(description="the column holding the texts")] = "text",
    label_col: Annotated[ColumnName | None, Query(description="the gold labels' column (default: `label`)")] = None,
    record: Annotated[QueryBool, Query(description="record every decided row in the store")] = True,
    keep_text: Annotated[QueryBool, Query(description="keep the raw texts in the record (needs record)")] = False,
    model: Annotated[
        str | None, Query(max_length=200, description="a name from GET /v1/models (default: the served model)")
    ] = None,
    all_probs: Annotated[
        QueryBool, Query(description="a prob_LABEL column for every label (over 5 labels: the top 5 by default)")
    ] = False,
) -> dict[str, Any]:
    kind = request.headers.get("content-type", "text/csv").partition(";")[0].strip().lower()
    if kind not in UPLOAD_TYPES:
        raise HTTPException(415, f"the body is a CSV file: send it as Content-Type: text/csv (not {kind})")
    against_path = None if against == "none" else against
    options = AuditOptions(path, against_path, text_col, label_col, record, keep_text, model, all_probs)
    job = await run_in_threadpool(ctx.jobs.new_job, options)
    try:
        with job.input.open("wb") as handle:
            async for chunk in request.stream():
                handle.write(chunk)
    except BaseException:  # over the size limit, or the client went away: nothing of the upload is kept
        ctx.jobs.discard(job)
        raise
    await run_in_threadpool(ctx.jobs.submit, job)
    return job.to_json()


@router.get(
    "/{job_id}",
    operation_id="getAudit",
    summary="A job's status and progress; its summary once done",
    response_model=None,
    responses={200: {"model": AuditJobModel, "description": "The job"}, **error_responses(*ALWAYS, 404)},
)
def status(job_id: str, ctx: Context, _caller: Analyst) -> dict[str, Any]:
    return _job(ctx, job_id).to_json()


@router.get(
    "/{job_id}/result",
    operation_id="getAuditResult",
    summary="The per-row results of a finished job (CSV, the columns of `audit --out`); 409 until done",
    response_class=FileResponse,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "The rows"},
        **error_responses(*ALWAYS, 404, 409),
    },
)
def result(job_id: str, ctx: Context, _caller: Analyst) -> FileResponse:
    job = _job(ctx, job_id)
    if job.status != "done":
        raise HTTPException(409, f"audit job {job_id} is {job.status}: poll /v1/audits/{job_id} until it is done")
    return FileResponse(job.output, media_type="text/csv", filename=f"audit-{job_id}.csv")


def _job(ctx: ApiContext, job_id: str) -> AuditJob:
    job = ctx.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no audit job {job_id!r} on this server (jobs are kept until it restarts)")
    return job
