"""Pending alternatives left by a process that died: which are orphaned, and taking them over to recompute them.

An alternative is computed from the decision's text, which the store holds only when it was kept. Orphans of a
decision whose text was kept are left `pending` and taken over (`claim_orphans`) by the next process that opens the
store with the same model; orphans of a decision whose text was not kept are failed (`recover_orphans`) with the
command that recomputes them (`python -m core resume --decision ID --text ...`), and `reclaim` takes those back.
Those three are `DecisionStore` operations; this module holds what they share: who is orphaned, and what a claim
hands back.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, or_

from core.store import schema

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


def grouped(rows: Sequence[tuple[str, str, str | None]]) -> list[Resumable]:
    by_decision: dict[str, list[str]] = {}
    texts: dict[str, str | None] = {}
    for decision_id, path, text in rows:
        by_decision.setdefault(decision_id, []).append(path)
        texts[decision_id] = text
    return [Resumable(d, texts[d], tuple(paths)) for d, paths in by_decision.items()]
