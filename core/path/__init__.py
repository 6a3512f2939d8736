"""The path a user chooses: its grammar (PathSpec), input groups, exit policy and attention program."""

from core.path.attention_program import DEFAULT_ALPHA, Block, Emphasis
from core.path.exit_policy import ExitPolicy, PolicyState, RowExit, simulate, step
from core.path.groups import (
    BUILTIN_GROUPS,
    DEFAULT_PLACEHOLDER_STYLE,
    NER_GROUPS,
    PII_GROUPS,
    GroupSet,
    PatternGroup,
    Span,
    WithheldText,
    custom_group,
    expand_pii,
    iban_valid,
    luhn_valid,
    parse_group_option,
)
from core.path.name_list import holds_a_listed_name
from core.path.rows import CellSpan, RowText, cell_spans, merged_cell_spans, row_text
from core.path.spec import PRECISIONS, ModelTemplate, PathSpec, has_program, program_groups, program_text

__all__ = [
    "BUILTIN_GROUPS",
    "DEFAULT_ALPHA",
    "DEFAULT_PLACEHOLDER_STYLE",
    "NER_GROUPS",
    "PII_GROUPS",
    "PRECISIONS",
    "Block",
    "CellSpan",
    "Emphasis",
    "ExitPolicy",
    "GroupSet",
    "ModelTemplate",
    "PathSpec",
    "PatternGroup",
    "PolicyState",
    "RowExit",
    "RowText",
    "Span",
    "WithheldText",
    "cell_spans",
    "custom_group",
    "expand_pii",
    "has_program",
    "holds_a_listed_name",
    "iban_valid",
    "luhn_valid",
    "merged_cell_spans",
    "parse_group_option",
    "program_groups",
    "program_text",
    "row_text",
    "simulate",
    "step",
]
