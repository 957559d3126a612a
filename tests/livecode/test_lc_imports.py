"""The import direction holds: no import cycle inside `livecode/` (function-level imports count;
imports under `if TYPE_CHECKING:` are type-only and do not), and the packages point one way:
`patterns` ← `livecode` → `synths`, with `patterns` and `synths` unaware of each other (the
shared root exception `patterns.errors.LivecodeError` is the one documented exception)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

__all__: list[str] = []

ROOT = Path(__file__).parents[2]
PACKAGES = ("patterns", "livecode", "synths")
ROOT_EXCEPTION = "patterns.errors"
"""synths.errors and livecode.midi.errors subclass the project's one root exception."""


def module_name(path: Path) -> str:
    """`livecode/midi/jack_out.py` -> `livecode.midi.jack_out`; a package's `__init__` is the package."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules(package: str) -> dict[str, Path]:
    """Every module of `package` by dotted name."""
    return {module_name(path): path for path in sorted((ROOT / package).rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node that runs when its module runs, or when a function of it runs: all of them,
    except the bodies of `if TYPE_CHECKING:` blocks (their `else:` runs)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def imported_names(path: Path, name: str) -> set[str]:
    """The dotted names `path` (module `name`) imports at run time, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)   # submodules named by `from`
    return found


def dependencies(modules: dict[str, Path], known: set[str]) -> dict[str, set[str]]:
    """Module -> the known modules it makes Python run: the one it names and that one's parent
    packages (but not its own: Python has run those before it)."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        own = {".".join(name.split(".")[:end]) for end in range(1, name.count(".") + 2)}
        edges: set[str] = set()
        for target in imported_names(path, name):
            parts = target.split(".")
            for end in range(1, len(parts) + 1):
                prefix = ".".join(parts[:end])
                if prefix in known and prefix not in own:
                    edges.add(prefix)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_loop_and_a_self_contained_graph_has_none() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []


def test_type_checking_imports_do_not_count_and_function_level_ones_do(tmp_path: Path) -> None:
    source = tmp_path / "mod.py"
    source.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from livecode.session import Session\n"
                      "else:\n    import livecode.clock\n"
                      "def f():\n    from livecode.cli import main\n    from . import tracks\n")
    assert imported_names(source, "livecode.mod") == {
        "typing", "typing.TYPE_CHECKING", "livecode.clock", "livecode.cli", "livecode.cli.main",
        "livecode", "livecode.tracks"}


def test_no_import_cycle_in_livecode() -> None:
    modules = all_modules("livecode")
    graph = dependencies(modules, set(modules))
    assert len(graph) > 40
    assert cycles(graph) == [], "import cycles in livecode/ (break them with a Protocol or a lower module)"


def test_patterns_and_synths_do_not_know_each_other_and_synths_not_livecode() -> None:
    every = {name for package in PACKAGES for name in all_modules(package)}
    wrong: list[str] = []
    for package, forbidden in (("patterns", ("synths", "livecode")), ("synths", ("patterns", "livecode"))):
        for name, path in all_modules(package).items():
            for target in imported_names(path, name):
                top = target.split(".")[0]
                if top in forbidden and not (top == "patterns" and target.startswith(ROOT_EXCEPTION)):
                    wrong.append(f"{name} imports {target}")
    assert every and wrong == []
