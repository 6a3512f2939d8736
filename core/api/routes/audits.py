"""`/v1/audits`: submit a CSV file as a background audit job, poll its progress, fetch its per-row result."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from core.api.auth import Caller, requires
from core.api.context import ApiContext, context
from core.api.jobs import AuditJob, AuditOptions

router = APIRouter(prefix="/v1/audits", tags=["audits"])
Context = Annotated[ApiContext, Depends(context)]
Analyst = Annotated[Caller, Depends(requires("analyst"))]


@router.post(
    "",
    status_code=202,
    summary="Submit a CSV file (the request body) as a batch audit job",
    openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}, "required": True}},
)
async def submit(
    request: Request,
    ctx: Context,
    _caller: Analyst,
    path: str = "full",
    against: Annotated[str, Query(description="path to compare with; 'none' to skip")] = "full",
    text_col: str = "text",
    label_col: str | None = None,
    record: Annotated[bool, Query(description="record every decided row in the store")] = True,
    keep_text: bool = False,
) -> dict[str, Any]:
    options = AuditOptions(path, None if against == "none" else against, text_col, label_col, record, keep_text)
    job = await run_in_threadpool(ctx.jobs.new_job, options)
    with job.input.open("wb") as handle:
        async for chunk in request.stream():
            handle.write(chunk)
    await run_in_threadpool(ctx.jobs.submit, job)
    return job.to_json()


@router.get("/{job_id}", summary="A job's status and progress; its summary once done")
def status(job_id: str, ctx: Context, _caller: Analyst) -> dict[str, Any]:
    return _job(ctx, job_id).to_json()


@router.get("/{job_id}/result", summary="The per-row results of a finished job (CSV)", response_class=FileResponse)
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
