"""Errors of the decision record: each says which store and what to do; the store is never overwritten."""

from __future__ import annotations

from core.errors import PathLensError


class StoreError(PathLensError):
    """The decision record cannot be read or written."""


class StoreLockedError(StoreError):
    """Another process holds the store's lock for longer than the busy timeout."""


class StoreReadOnlyError(StoreError):
    """The store file (or its folder) cannot be written."""


class StoreCorruptError(StoreError):
    """The file is not a PathLens store, or its pages are damaged."""


class StoreFullError(StoreError):
    """The disk (or the database's size limit) is full."""


class StoreUnavailableError(StoreError):
    """The store cannot be opened at all (missing folder, server down, bad URL)."""


class DecisionNotFoundError(StoreError, KeyError):
    """No decision with this id in the store."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "decision not found"


def translate(exc: BaseException, location: str) -> StoreError:
    """Map a driver error (SQLite or PostgreSQL, by message) to the StoreError a person can act on."""
    message = str(getattr(exc, "orig", None) or exc).lower()
    if "locked" in message or "busy" in message or "lock timeout" in message:
        return StoreLockedError(
            f"the store {location} is locked by another process: wait for it to finish, or raise the timeout "
            "(PATHLENS_STORE_TIMEOUT seconds)"
        )
    if "readonly" in message or "read-only" in message or "read only" in message:
        return StoreReadOnlyError(
            f"the store {location} is read-only: make the file and its folder writable, or point --store / "
            "PATHLENS_STORE at a writable location"
        )
    if "disk is full" in message or "no space left" in message or "could not extend" in message:
        return StoreFullError(f"the store {location} could not be written: the disk is full; free space and retry")
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return StoreCorruptError(
            f"the store {location} is corrupt or not a PathLens store: it was left untouched; move it aside and "
            "use a new location (--store / PATHLENS_STORE)"
        )
    if "unable to open" in message or "connection" in message or "could not translate host" in message:
        return StoreUnavailableError(
            f"the store {location} cannot be opened ({message[:200]}): check that its folder exists and is "
            "writable, or that the database server is reachable"
        )
    return StoreError(f"the store {location} failed ({type(exc).__name__}: {message[:200]})")
