"""Batch audits of whole files along a path: `run_audit` (see `core.audit.batch`), locally or on Ray Data."""

from core.audit.batch import AuditResult, run_audit
from core.audit.gold import GoldReading, gold_indices, read_gold, require_two_labels
from core.audit.io import (
    check_columns,
    check_table,
    nothing_read_warning,
    read_chunks,
    read_rows,
    refuse_a_database,
    refuse_repeated_columns,
    row_bar,
    table_columns,
)
from core.audit.on_ray import ModelSource
from core.audit.scoring import AuditPlan

__all__ = [
    "AuditPlan",
    "AuditResult",
    "GoldReading",
    "ModelSource",
    "check_columns",
    "check_table",
    "gold_indices",
    "nothing_read_warning",
    "read_chunks",
    "read_gold",
    "read_rows",
    "refuse_a_database",
    "refuse_repeated_columns",
    "require_two_labels",
    "row_bar",
    "run_audit",
    "table_columns",
]
