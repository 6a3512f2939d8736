"""Pending alternatives left by a process that died: which are orphaned, and taking them over to recompute them.

An alternative is computed from the decision's text, which the store holds only when it was kept. Orphans of a
decision whose text was kept are left `pending` and taken over (`claim_orphans`) by the next process that opens
the store with the same model; orphans of a decision whose text was not kept are failed with the command that
recomputes them (`python -m core resume --decision ID --text ...`), and `reclaim` takes those back.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, or_, select, update

from core.store import schema

if TYPE_CHECKING:
    from core.store.store import DecisionStore

STALE_PENDING = timedelta(hours=1)  # a pending row untouched this long is orphaned, whatever host owns it


@dataclass(frozen=True)
class Resumable:
    """The alternatives of one decision that this process now owns and must compute."""

    decision_id: str
    text: str | None  # the kept text, or None (then the caller supplies it)
    paths: tuple[str, ...]  # canonical paths, in the record's order


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def resume_command(decision_id: str) -> str:
    return f'python -m core resume --decision {decision_id} --text "THE TEXT"'


def ended_workers(owners: Sequence[str | None], is_alive: Callable[[int], bool] = process_alive) -> set[str]:
    """Owners (`host:pid`) on this host whose process has ended."""
    host = socket.gethostname()
    ended = set()
    for worker in owners:
        owner_host, _, pid = (worker or "").rpartition(":")
        if owner_host == host and pid.isdigit() and not is_alive(int(pid)):
            ended.add(str(worker))
    return ended


def orphaned(is_alive: Callable[[int], bool], owners: Sequence[str | None]) -> ColumnElement[bool]:
    """SQL condition: a pending row whose owner ended, has no owner, or went stale."""
    table = schema.alternatives
    stale_before = (datetime.now(UTC) - STALE_PENDING).isoformat(timespec="microseconds")
    return or_(
        table.c.worker.in_(sorted(ended_workers(owners, is_alive))),
        table.c.worker.is_(None),
        table.c.updated_at < stale_before,
    )


def claim_orphans(
    store: DecisionStore, worker: str, model_fingerprint: str, is_alive: Callable[[int], bool] = process_alive
) -> list[Resumable]:
    """Take over orphaned pending alternatives of decisions made by this model whose text was kept."""
    alt, dec = schema.alternatives, schema.decisions
    kept = select(dec.c.decision_id).where(dec.c.text.is_not(None), dec.c.model_fingerprint == model_fingerprint)
    with store.transaction() as conn:
        owners = conn.execute(select(alt.c.worker).where(alt.c.status == "pending").distinct()).scalars().all()
        condition = [alt.c.status == "pending", alt.c.decision_id.in_(kept), orphaned(is_alive, owners)]
        if not owners or conn.execute(select(alt.c.decision_id).where(*condition).limit(1)).first() is None:
            return []  # nothing to take over: no write, so a locked store does not matter here
    with store.transaction(write=True) as conn:
        conn.execute(update(alt).where(*condition).values(worker=worker, updated_at=schema.now_iso()))
        rows = conn.execute(
            select(alt.c.decision_id, alt.c.path, dec.c.text)
            .join(dec, dec.c.decision_id == alt.c.decision_id)
            .where(alt.c.status == "pending", alt.c.worker == worker)
            .order_by(alt.c.decision_id, alt.c.position)
        ).all()
    return _grouped(rows)


def reclaim(
    store: DecisionStore, decision_id: str, worker: str, is_alive: Callable[[int], bool] = process_alive
) -> Resumable:
    """Take back a decision's failed and orphaned pending alternatives (to recompute them with a given text)."""
    alt = schema.alternatives
    with store.transaction() as conn:
        owners = conn.execute(select(alt.c.worker).where(alt.c.decision_id == decision_id)).scalars().all()
    taken = or_(alt.c.status == "failed", (alt.c.status == "pending") & orphaned(is_alive, owners))
    with store.transaction(write=True) as conn:
        conn.execute(
            update(alt)
            .where(alt.c.decision_id == decision_id, taken)
            .values(status="pending", worker=worker, error=None, updated_at=schema.now_iso())
        )
        paths = conn.execute(
            select(alt.c.path)
            .where(alt.c.decision_id == decision_id, alt.c.status == "pending", alt.c.worker == worker)
            .order_by(alt.c.position)
        ).scalars()
        return Resumable(decision_id, None, tuple(paths))


def _grouped(rows: Sequence[tuple[str, str, str | None]]) -> list[Resumable]:
    by_decision: dict[str, list[str]] = {}
    texts: dict[str, str | None] = {}
    for decision_id, path, text in rows:
        by_decision.setdefault(decision_id, []).append(path)
        texts[decision_id] = text
    return [Resumable(d, texts[d], tuple(paths)) for d, paths in by_decision.items()]
