"""Batch audits of whole files along a path: `run_audit` (see `core.audit.run`), locally or on Ray Data."""

from core.audit.run import AuditResult, run_audit
from core.audit.scoring import AuditPlan, gold_index

__all__ = ["AuditPlan", "AuditResult", "gold_index", "run_audit"]
