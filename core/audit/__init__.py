"""Batch audits of whole files along a path: `run_audit` (see `core.audit.run`), locally or on Ray Data."""

from core.audit.io import check_columns, read_chunks
from core.audit.on_ray import ModelSource
from core.audit.run import AuditResult, run_audit
from core.audit.scoring import AuditPlan, gold_index

__all__ = [
    "AuditPlan",
    "AuditResult",
    "ModelSource",
    "check_columns",
    "gold_index",
    "read_chunks",
    "run_audit",
]
