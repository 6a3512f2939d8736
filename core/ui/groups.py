"""Input groups on the dashboard: what each group finds in a text (before anything runs) and the user's own groups."""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from typing import Any

from core.path import NER_GROUPS, PII_GROUPS, custom_group
from core.run import PathEngine

GROUP_KINDS = ("word list", "regex")
_ADD_LOCK = threading.Lock()


def group_preview(engine: PathEngine, text: str) -> list[dict[str, Any]]:
    """One row per group: how many spans it would withhold in `text`, and whether it needs the NER model."""
    if not text.strip():
        return []
    found = engine.model.groups.find_by_group(text)  # each group on its own, as if it alone were withheld
    return [
        {"group": name, "spans": len(spans), "personal data": name in PII_GROUPS, "needs NER": name in NER_GROUPS}
        for name, spans in found.items()
    ]


def add_user_group(engine: PathEngine, name: str, kind: str, body: str) -> str:
    """Offer a group of the user's own words (comma or line separated) or regex, to every page of this server.

    Raises InputError (a message that says what to fix) for a bad name, an empty list or a regex that does not
    compile; nothing is added then.
    """
    if kind == "regex":
        recognizer = custom_group(name.strip(), regex=body)
    else:
        recognizer = custom_group(name.strip(), words=re.split(r"[,\n]", body))
    with _ADD_LOCK:
        model = engine.model
        model.groups.add(recognizer)
        model.template = replace(model.template, groups=model.groups.names)
    return recognizer.name
