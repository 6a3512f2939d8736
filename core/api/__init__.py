"""The HTTP API (FastAPI): decisions, the record, comparisons, explanations, batch audit jobs, keys, metrics."""

from core.api.app import create_app, serve
from core.api.context import ApiSettings
from core.api.listening import listen

__all__ = ["ApiSettings", "create_app", "listen", "serve"]
