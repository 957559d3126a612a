"""Every docstring example in `patterns/` runs: the modules are collected by walking the
package (`pkgutil.walk_packages`), not from a hand-kept list, so a new module's examples run
the day it is added.

Each module is imported by its package name (which imports `patterns` first, so every
transformation is registered and the mini-notation parser installed), and its doctests run
with `ELLIPSIS`. doctest's finder skips the transformations that `register` builds from
functions made at run time (the arithmetic operators, `sometimes`, ...): their docstrings
are collected here too. An example that cannot run in a test is prose, not `>>>`, and one
in a place no finder looks (a string after an assignment) fails
`test_pat_examples_only_in_docstrings`.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import pkgutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import patterns
from patterns.register import Registered

__all__ = ["package_modules", "collect"]


def package_modules() -> list[str]:
    """The package and every module under it, by dotted name.

    >>> "patterns.pattern" in package_modules() and "patterns.mini.parser" in package_modules()
    True
    """
    found = [info.name for info in pkgutil.walk_packages(patterns.__path__, "patterns.")]
    return ["patterns", *sorted(found)]


MODULES = package_modules()


def _registered_functions(module: ModuleType) -> list[Any]:
    """The functions behind the module's registered transformations (and their variants) that
    are not module-level names themselves, so doctest's finder never sees them."""
    names = set(map(id, vars(module).values()))
    found: dict[int, Any] = {}
    queue = [value for value in vars(module).values() if isinstance(value, Registered)]
    while queue:
        reg = queue.pop()
        queue.extend(reg.variants.values())
        func = reg.func
        if getattr(func, "__module__", None) == module.__name__ and id(func) not in names:
            found.setdefault(id(func), func)
    return list(found.values())


def collect(name: str) -> list[doctest.DocTest]:
    """Every doctest of module `name`, registered transformations' functions included.

    >>> len(collect("patterns.arithmetic")) > len(doctest.DocTestFinder().find(importlib.import_module("patterns.arithmetic")))
    True
    """
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    tests = finder.find(module, name)
    for func in _registered_functions(module):
        label = f"{name}.<registered {func.__qualname__}>"
        tests.extend(finder.find(func, label, module=module, globs=vars(module)))
    return tests


def _run(name: str) -> doctest.TestResults:
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS, verbose=False)
    for test in collect(name):
        runner.run(test)
    return runner.summarize(verbose=False)


def _stray_examples(path: Path) -> list[int]:
    """Lines of string literals holding `>>>` that are neither a docstring nor a `__doc__`
    assignment: doctest never runs those."""
    tree = ast.parse(path.read_text())
    allowed: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                allowed.add(id(first.value))
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Attribute) and t.attr == "__doc__" for t in node.targets
        ):
            allowed.update(id(inner) for inner in ast.walk(node.value))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and ">>>" in node.value and id(node) not in allowed
    ]


def test_pat_walk_finds_every_source_file() -> None:
    """The walk misses no file: one module per `.py` under patterns/."""
    root = patterns.__path__[0]
    files = {
        ".".join(("patterns", *p.relative_to(root).with_suffix("").parts)).removesuffix(".__init__")
        for p in Path(root).rglob("*.py")
    }
    assert files == set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_pat_module_doctests(name: str) -> None:
    result = _run(name)
    assert result.failed == 0, f"{result.failed} of {result.attempted} example(s) fail in {name}"


@pytest.mark.parametrize("name", MODULES)
def test_pat_module_has_an_example(name: str) -> None:
    """Every module shows how it is used in at least one example the suite runs."""
    assert _run(name).attempted > 0, f"{name} has no docstring example"


@pytest.mark.parametrize("name", MODULES)
def test_pat_examples_only_in_docstrings(name: str) -> None:
    path = Path(importlib.import_module(name).__file__ or "")
    assert _stray_examples(path) == [], f"{name}: examples outside docstrings never run"
