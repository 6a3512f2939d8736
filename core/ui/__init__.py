"""The dashboard's facade: the only core module the pages call. Plain data in and out; no Streamlit here.

Pages read widgets, call these functions and render what they return (see `core.ui.figures` for the charts and
`core.ui.state` for the session-state keys). This module only re-exports, by topic: `core.ui.template` (what the pages
draw of the model), `core.ui.path_builder` (the sidebar's controls and their path), `core.ui.text` (escaped HTML of
the text), `core.ui.explanations`, `core.ui.decisions` (decisions through the DecisionService, comparisons, history),
`core.ui.audit` (batch audits), `core.ui.samples`, `core.ui.cost_view` and `core.ui.export`.
"""

from __future__ import annotations

from core.errors import PathLensError
from core.explain import Progress
from core.store import store_location
from core.ui.access import login, login_required, may_read_text, pages_for
from core.ui.audit import AuditView, read_table, recorded_decision, run_audit
from core.ui.audit import source_key as audit_source_key
from core.ui.cost_view import cost_by_depth
from core.ui.decisions import (
    ComparisonView,
    DecisionView,
    compared_path_name,
    comparison,
    decide,
    explain_decision,
    explanation_of,
    history,
    history_count,
    open_service,
    records_json,
    reproduce,
    stored_path,
    stored_text,
    unrecorded_service,
)
from core.ui.explain_plan import ExplainCost, cheapest_first, default_methods, explain_cost, methods_for
from core.ui.explanations import METHOD_NAMES, ExplanationView
from core.ui.export import audit_html, comparison_html, decision_html, to_json_text
from core.ui.groups import GROUP_KINDS, display_name, group_preview, visible_groups
from core.ui.path_builder import (
    PathControls,
    canonical,
    controls_of,
    extra_paths,
    merge_program,
    path_from_controls,
    program_clause,
)
from core.ui.samples import sample_files, sample_texts
from core.ui.template import TemplateView, template_view
from core.ui.text import format_flops, html_escape, preview_html, segments_html, text_box_height
from core.ui.tradeoff import TradeoffView, exit_tradeoff

__all__ = [
    "GROUP_KINDS",
    "METHOD_NAMES",
    "AuditView",
    "ComparisonView",
    "DecisionView",
    "ExplainCost",
    "ExplanationView",
    "PathControls",
    "Progress",
    "TemplateView",
    "TradeoffView",
    "UserError",
    "audit_html",
    "audit_source_key",
    "canonical",
    "cheapest_first",
    "compared_path_name",
    "comparison",
    "comparison_html",
    "controls_of",
    "cost_by_depth",
    "decide",
    "decision_html",
    "default_methods",
    "display_name",
    "exit_tradeoff",
    "explain_cost",
    "explain_decision",
    "explanation_of",
    "extra_paths",
    "format_flops",
    "group_preview",
    "history",
    "history_count",
    "html_escape",
    "login",
    "login_required",
    "may_read_text",
    "merge_program",
    "methods_for",
    "open_service",
    "pages_for",
    "path_from_controls",
    "preview_html",
    "program_clause",
    "read_table",
    "recorded_decision",
    "records_json",
    "reproduce",
    "run_audit",
    "sample_files",
    "sample_texts",
    "segments_html",
    "store_location",
    "stored_path",
    "stored_text",
    "template_view",
    "text_box_height",
    "to_json_text",
    "unrecorded_service",
    "visible_groups",
]

UserError = PathLensError  # what a page shows with st.error: the message says what to do
