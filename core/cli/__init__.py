"""`python -m core COMMAND`: one module per command family, the parser and exit codes in `main`."""

from core.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
