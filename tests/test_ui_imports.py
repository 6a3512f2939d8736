"""Imports run one way: app.py and pages/ use only Streamlit, pandas and the UI facade; core/ never uses Streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_ALLOWED = {"streamlit", "pandas", "core.ui"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _allowed(name: str) -> bool:
    return any(name == ok or name.startswith(f"{ok}.") for ok in PAGE_ALLOWED)


def test_pages_import_only_the_facade() -> None:
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    assert len(files) >= 6
    bad = {f"{path.name}: {name}" for path in files for name in _imports(path) if not _allowed(name)}
    assert not bad, bad


def test_core_never_imports_streamlit() -> None:
    bad = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "core").rglob("*.py"))
        if any(name == "streamlit" or name.startswith("streamlit.") for name in _imports(path))
    ]
    assert not bad, bad


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text("import torch\nfrom core.engine import PathEngine\nimport streamlit as st\n")
    assert {name for name in _imports(page) if not _allowed(name)} == {"torch", "core.engine.PathEngine"}
