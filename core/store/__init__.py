"""The decision record: every decision, what was withheld (counts only), outputs, cost and the paths not taken."""

from core.store.errors import (
    DecisionNotFoundError,
    StoreCorruptError,
    StoreError,
    StoreFullError,
    StoreLockedError,
    StoreReadOnlyError,
    StoreUnavailableError,
)
from core.store.records import AlternativeRecord, AlternativeResult, DecisionRecord
from core.store.store import DecisionStore, open_store, store_location, worker_id

__all__ = [
    "AlternativeRecord",
    "AlternativeResult",
    "DecisionNotFoundError",
    "DecisionRecord",
    "DecisionStore",
    "StoreCorruptError",
    "StoreError",
    "StoreFullError",
    "StoreLockedError",
    "StoreReadOnlyError",
    "StoreUnavailableError",
    "open_store",
    "store_location",
    "worker_id",
]
