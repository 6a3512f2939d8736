"""User-facing errors: every message says what went wrong and what to do instead."""


class PathLensError(Exception):
    """Base class for errors a person can act on; the CLI prints the message without a traceback."""


class InputError(PathLensError, ValueError):
    """Text or data that cannot be decided (empty text, missing column, bad encoding)."""


class InvalidPathError(InputError):
    """A path spec that cannot run on this model (bad input like any other: HTTP 400, exit code 2)."""


class ModelLoadError(PathLensError):
    """A model directory or heads artifact that is missing, corrupt or mismatched."""
