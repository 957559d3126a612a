"""The layering of `patterns/`: no import cycle, function-level imports included, and a core
(`patterns.pattern` and what it stands on) that imports nothing above it.

Imports are read from the source with `ast`, so an import inside a function counts as much as
one at the top. The implicit import of a parent package (`import patterns.x` runs
`patterns/__init__.py` first) is not an edge: the package's `__init__` is the composition point
that imports every module, and nothing inside the package imports the package root.
"""

from __future__ import annotations

import ast
from pathlib import Path

__all__: list[str] = []

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "patterns"
CORE = {
    "patterns.errors", "patterns.timemath", "patterns.timespan", "patterns.event",
    "patterns.runaway", "patterns.pattern",
}  # fmt: skip


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The module of the package that `name` (a module or a name in one) belongs to."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _targets(node: ast.AST, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        anchor = module.split(".") if is_package else module.split(".")[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join(anchor + ([base] if base else []))
    names = [f"{base}.{alias.name}" for alias in node.names]
    # `from package import submodule` imports the submodule; the package itself only implicitly
    return names if all(name in MODULES for name in names) else [base, *names]


def imports_of(module: str) -> dict[str, bool]:
    """The package modules `module` imports, each with whether one import of it is inside a
    function (True) or only at the top (False).

    >>> imports_of("patterns.event")
    {'patterns.timespan': False}
    """
    path = MODULES[module]
    tree = ast.parse(path.read_text())
    in_function = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        for inner in ast.walk(node)
    }
    out: dict[str, bool] = {}
    for node in ast.walk(tree):
        for target in _targets(node, module, path.name == "__init__.py"):
            found = _resolve(target)
            if found is not None and found != module:
                out[found] = out.get(found, False) or id(node) in in_function
    return out


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_pat_no_import_cycle() -> None:
    graph = {module: set(imports_of(module)) for module in MODULES}
    assert _cycles(graph) == []


def test_pat_no_function_level_imports() -> None:
    late = {
        module: sorted(target for target, inside in imports_of(module).items() if inside)
        for module in MODULES
    }
    assert {module: targets for module, targets in late.items() if targets} == {}


def test_pat_core_imports_only_the_core() -> None:
    for module in CORE:
        above = set(imports_of(module)) - CORE
        assert not above, f"{module} imports {sorted(above)} from above the core"


def test_pat_strings_read_by_the_installed_parser() -> None:
    from patterns.mini import mini
    from patterns.pattern import reify

    assert reify("a b") is mini("a b")


def test_pat_no_module_imports_the_package_root() -> None:
    """The root `patterns/__init__.py` imports every module; none of them imports it back."""
    assert sorted(m for m in MODULES if "patterns" in imports_of(m)) == []
