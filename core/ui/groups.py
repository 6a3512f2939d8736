"""Input groups on the dashboard: what each group finds in a text (before anything runs) and the user's own groups.

A group a user adds belongs to its owner (the browser session, or with login the key): it is registered on the
shared model under `NAME__OWNER`, so that two users' groups of the same name never collide, and every list a page
draws (`visible_groups`) shows the built-in and server-wide groups plus the owner's own, never another user's.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from core.errors import InputError
from core.path import NER_GROUPS, PII_GROUPS, custom_group
from core.run import PathEngine

GROUP_KINDS = ("word list", "regex")
OWNER_MARK = "__"  # NAME__OWNER: a group owned by one session or key
_ADD_LOCK = threading.Lock()


def session_owner() -> str:
    """A fresh owner tag for one browser session (6 hex characters)."""
    return secrets.token_hex(3)


def key_owner(key_id: str) -> str:
    """The owner tag of a logged-in key: the same in every session of that key, and not the key itself."""
    return hashlib.sha256(f"pathlens-group-owner:{key_id}".encode()).hexdigest()[:6]


def owned_name(name: str, owner: str) -> str:
    return f"{name}{OWNER_MARK}{owner}"


def is_visible(group: str, owner: str) -> bool:
    """Built-in and server-wide groups are everyone's; a user's group only its owner's."""
    return OWNER_MARK not in group or group.endswith(OWNER_MARK + owner)


def visible_groups(groups: Iterable[str], owner: str) -> tuple[str, ...]:
    return tuple(group for group in groups if is_visible(group, owner))


def display_name(group: str) -> str:
    """How a page labels a group: a user's own group by the name the user gave it."""
    name, mark, _ = group.partition(OWNER_MARK)
    return f"{name} (yours)" if mark else group


def group_preview(engine: PathEngine, text: str, owner: str) -> list[dict[str, Any]]:
    """One row per group `owner` sees: how many spans it would withhold in `text`, and whether it needs the NER
    model."""
    if not text.strip():
        return []
    found = engine.model.groups.find_by_group(text)  # each group on its own, as if it alone were withheld
    return [
        {"group": name, "spans": len(spans), "personal data": name in PII_GROUPS, "needs NER": name in NER_GROUPS}
        for name, spans in found.items()
        if is_visible(name, owner)
    ]


def add_user_group(engine: PathEngine, name: str, kind: str, body: str, owner: str) -> str:
    """Offer `owner` a group of their own words (comma or line separated) or regex; returns the name the path uses
    (`NAME__OWNER`). Other sessions neither see it nor collide with it.

    Raises InputError (a message that says what to fix) for a bad name, a name taken by a server-wide group or by
    this owner already, an empty list or a regex that does not compile; nothing is added then.
    """
    name = name.strip()
    if OWNER_MARK in name:
        raise InputError(f"group name {name!r} may not contain {OWNER_MARK!r}: pick another name (e.g. customers)")
    if kind == "regex":
        recognizer = custom_group(name, regex=body)
    else:
        recognizer = custom_group(name, words=re.split(r"[,\n]", body))
    with _ADD_LOCK:
        model = engine.model
        if name in model.groups.names:
            raise InputError(f"group {name!r} is offered to everyone on this server already: pick another name")
        if owned_name(name, owner) in model.groups.names:
            raise InputError(f"you have a group {name!r} already: pick another name")
        model.groups.add(replace(recognizer, name=owned_name(name, owner)))
        model.template = replace(model.template, groups=model.groups.names)
    return owned_name(name, owner)
