"""`models`: the shipped models and the configured checkpoint folders, with their labels."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    models = sub.add_parser("models", help="list the shipped models and configured checkpoint folders, with labels")
    models.set_defaults(handler=cmd_models)


def cmd_models(args: argparse.Namespace) -> dict[str, Any]:
    """The shipped models and the operator's configured checkpoint folders, with their labels."""
    from core.model import catalog

    return {"models": [info.to_json() for info in catalog()]}
