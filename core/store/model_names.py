"""Which model name each model fingerprint in the record belongs to (key `model:<fingerprint>` of `store_meta`).

A decision keeps its model's fingerprint; the name ("banking77", a checkpoint's folder) is written once per
fingerprint when a service opens the store with that model, so History, reproduce and compare can say which model
decided without a schema change.
"""

from __future__ import annotations

from sqlalchemy import insert, select, update

from core.store import schema
from core.store.store import DecisionStore

KEY_PREFIX = "model:"


def remember_model(store: DecisionStore, fingerprint: str, name: str) -> None:
    """Record that `fingerprint` is the model called `name` (the latest name wins)."""
    key, table = KEY_PREFIX + fingerprint, schema.store_meta
    with store.transaction(write=True) as conn:
        known = conn.execute(select(table.c.value).where(table.c.key == key)).scalar()
        if known is None:
            conn.execute(insert(table).values(key=key, value=name))
        elif known != name:
            conn.execute(update(table).where(table.c.key == key).values(value=name))


def model_names(store: DecisionStore) -> dict[str, str]:
    """{fingerprint: name} of every model the record has seen a service open."""
    table = schema.store_meta
    with store.transaction() as conn:
        rows = conn.execute(select(table.c.key, table.c.value).where(table.c.key.startswith(KEY_PREFIX))).all()
    return {str(key)[len(KEY_PREFIX) :]: str(value) for key, value in rows}


def model_label(names: dict[str, str], fingerprint: str) -> str:
    """'banking77 (fingerprint)', or the fingerprint alone when its name is not known."""
    name = names.get(fingerprint)
    return f"{name} ({fingerprint})" if name else fingerprint
