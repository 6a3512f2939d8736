"""The path advisor: which heads and layers matter (`importance`: attribution patching of one decision;
`sensitivity`: expected sensitivity over a data set), and the cheapest path that keeps decisions good enough
(`search`)."""

from core.advise.budget import Budget
from core.advise.importance import Importance, head_importance
from core.advise.search import advise, split_rows

__all__ = [
    "Budget",
    "Importance",
    "advise",
    "head_importance",
    "split_rows",
]
