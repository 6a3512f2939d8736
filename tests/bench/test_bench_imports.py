"""Every benchmark script imports: a benchmark is run rarely, by hand, so a name it imports from `core/` that was
renamed or removed would otherwise go unnoticed until someone needs its figures (bench/advisor.py and bench/int8.py
still imported the removed `gold_index`)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
# The GPU image's stand-in hides packages when imported: it is meant for a dry run's interpreter, not this one.
MODULES = sorted(
    ".".join(path.relative_to(BENCH.parent).with_suffix("").parts)
    for path in BENCH.rglob("*.py")
    if "device_image" not in path.parts and path.name != "__init__.py"
)


@pytest.mark.parametrize("module", MODULES)
def test_benchmark_imports(module: str) -> None:
    script = importlib.import_module(module)
    assert script.__doc__, f"{module} does not say what it measures (no module docstring)"
