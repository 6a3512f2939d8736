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
from core.store.health import alternative_counts, check_store, flip_counts, readiness_problems
from core.store.keys import MAX_NAME_CHARS, UnknownKeyError, create_key, list_keys, revoke_key, role_allows, verify_key
from core.store.model_names import model_label, model_names, remember_model
from core.store.records import AlternativeRecord, AlternativeResult, DecisionRecord
from core.store.resume import Resumable, process_alive, resume_command
from core.store.schema import now_iso
from core.store.store import DecisionStore, open_store, store_location, worker_id

__all__ = [
    "MAX_NAME_CHARS",
    "AlternativeRecord",
    "AlternativeResult",
    "DecisionNotFoundError",
    "DecisionRecord",
    "DecisionStore",
    "Resumable",
    "StoreCorruptError",
    "StoreError",
    "StoreFullError",
    "StoreLockedError",
    "StoreReadOnlyError",
    "StoreUnavailableError",
    "UnknownKeyError",
    "alternative_counts",
    "check_store",
    "create_key",
    "flip_counts",
    "list_keys",
    "model_label",
    "model_names",
    "now_iso",
    "open_store",
    "process_alive",
    "readiness_problems",
    "remember_model",
    "resume_command",
    "revoke_key",
    "role_allows",
    "store_location",
    "verify_key",
    "worker_id",
]
