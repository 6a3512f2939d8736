"""Imports run one way: pages use only the UI facade, core/ never uses Streamlit, each package of core/ imports only
the packages listed before it in LAYERS and only through their `__init__`, and no two modules import each other,
directly or round a loop, type-only imports included."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# app.py also names its favicon (pathlib) and types its deferred import of core.ui (types) before the model loads
PAGE_ALLOWED = {"streamlit", "pandas", "core.ui", "pathlib", "types"}
# lowest first; a package may import itself and anything listed before it
LAYERS = (
    "errors",
    "store",
    "path",
    "model",
    "run",
    "explain",
    "audit",
    "training",
    "advise",
    "service",
    "api",
    "ui",
    "cli",
)


def _imports(path: Path, typing_too: bool = False) -> set[str]:
    """Every module or name `path` imports at run time (imports under `if TYPE_CHECKING:` only name types, and count
    only with `typing_too`)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
        for inner in ast.walk(node)
    }
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only and not typing_too:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _allowed(name: str) -> bool:
    return any(name == ok or name.startswith(f"{ok}.") for ok in PAGE_ALLOWED)


def _layer(module_path: Path) -> str:
    parts = module_path.relative_to(ROOT / "core").with_suffix("").parts
    return parts[0]


def _core_modules() -> dict[str, Path]:
    modules = {}
    for path in sorted((ROOT / "core").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def _exported(init: Path) -> set[str]:
    """The names a package's `__init__` binds by importing them (its public API)."""
    tree = ast.parse(init.read_text(), filename=str(init))
    return {
        alias.asname or alias.name for node in tree.body if isinstance(node, ast.ImportFrom) for alias in node.names
    }


def _core_edges(path: Path, modules: dict[str, Path], typing_too: bool = False) -> set[str]:
    """The core modules `path` imports: a `from package import name` counts as the package when its `__init__`
    exports `name`, else as the submodule `name` when there is one."""
    edges = set()
    for name in _imports(path, typing_too):
        package, _, last = name.rpartition(".")
        if package in modules and modules[package].name == "__init__.py" and last in _exported(modules[package]):
            name = package
        while name and name not in modules:
            name = name.rpartition(".")[0]
        if name and name != "core":
            edges.add(name)
    return edges


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


def test_every_package_has_a_layer() -> None:
    packages = {_layer(path) for path in (ROOT / "core").rglob("*.py")} - {"__init__", "__main__"}
    assert packages <= set(LAYERS), packages - set(LAYERS)


def test_no_package_imports_a_higher_one() -> None:
    modules = _core_modules()
    rank = {layer: i for i, layer in enumerate(LAYERS)}
    bad = []
    for name, path in modules.items():
        own = _layer(path)
        if own not in rank:
            continue
        for target in _core_edges(path, modules):
            other = _layer(modules[target])
            if other in rank and rank[other] > rank[own]:
                bad.append(f"{name} -> {target}")
    assert not bad, bad


def test_packages_import_each_other_through_their_init_only() -> None:
    """`from core.run import PathEngine`, not `from core.run.engine import PathEngine`: a package's modules are its
    own to move; what others may use is what its `__init__` exports. One exception: the CLI registers a package's own
    command-line module (`core.advise.cli`), which that package's `__init__` does not export."""
    modules = _core_modules()
    bad = []
    for name, path in modules.items():
        own = _layer(path)
        for target in _core_edges(path, modules, typing_too=True):
            other = _layer(modules[target])
            own_cli = own == "cli" and target == f"core.{other}.cli"
            if other != own and target != f"core.{other}" and not own_cli:
                bad.append(f"{name} -> {target}")
    assert not bad, bad


def test_no_module_imports_its_own_package_init() -> None:
    """`core/ui/state.py` takes what it needs from `core.ui.path_builder`, never from `core.ui`, which re-exports it:
    a package's `__init__` only re-exports, and its modules never import back up through it."""
    modules = _core_modules()
    bad = [
        f"{name} -> {package}"
        for name, path in modules.items()
        if path.name != "__init__.py"
        for package in _core_edges(path, modules, typing_too=True)
        if modules[package].name == "__init__.py" and name.startswith(package + ".")
    ]
    assert not bad, bad


def test_no_import_cycle_between_modules() -> None:
    modules = _core_modules()
    graph = {name: _core_edges(path, modules, typing_too=True) - {name} for name, path in modules.items()}
    # a package's __init__ re-exports its modules; an edge into a package's own __init__ from inside is not a cycle
    for name in graph:
        graph[name] = {t for t in graph[name] if not name.startswith(t + ".")}
    cycle = _find_cycle(graph)
    assert cycle is None, " -> ".join(cycle)


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 while on the current trail, 2 when done

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*trail, node, nxt]
            if nxt not in state and (cycle := visit(nxt, [*trail, node])):
                return cycle
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start, [])):
            return cycle
    return None


def test_the_cycle_finder_sees_a_loop() -> None:
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text("import torch\nfrom core.run import PathEngine\nimport streamlit as st\n")
    assert {name for name in _imports(page) if not _allowed(name)} == {"torch", "core.run.PathEngine"}
