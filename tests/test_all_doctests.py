"""Every docstring example in `livecode/` and `synths/` runs (patterns/ has its own walker,
tests/patterns/test_pat_all_doctests.py, which also reaches the registered transformations).

The modules are found by walking the packages, not from a hand-kept list, so a new module's
examples run the day it is added, and every module shows its use in at least one example. An
example that cannot run in a test (it needs a sound card, a JACK server, a MIDI device) is
prose, a literal block after "Usage (not run as a doctest: ...)::", never a `>>>` line that
is a comment or carries `+SKIP`: those would look like tested examples and test nothing.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path
from types import ModuleType

import pytest

import livecode
import patterns
import synths

__all__: list[str] = []

PACKAGES = (livecode, synths)


def package_modules() -> list[str]:
    """Every module of livecode and synths, by dotted name.

    >>> "livecode.cli" in package_modules() and "synths.qc.measure" in package_modules()
    True
    """
    names: list[str] = []
    for package in PACKAGES:
        names.append(package.__name__)
        names.extend(info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."))
    return sorted(name for name in names if not name.endswith("__main__"))


MODULES = package_modules()
PRETEND = re.compile(r"^\s*>>> #|doctest: \+SKIP")


def test_the_walk_finds_every_source_file() -> None:
    found: set[str] = set()
    for package in PACKAGES:
        root = Path(package.__path__[0])
        for path in root.rglob("*.py"):
            dotted = ".".join((package.__name__, *path.relative_to(root).with_suffix("").parts))
            found.add(dotted.removesuffix(".__init__"))
    assert {name for name in found if not name.endswith("__main__")} == set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_module_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} example(s) fail in {name}"
    assert result.attempted > 0, f"{name} has no docstring example"


@pytest.mark.parametrize("root", [*PACKAGES, patterns], ids=lambda package: package.__name__)
def test_no_example_pretends_to_run(root: ModuleType) -> None:
    """A `>>> # ...` line or a `+SKIP` is an example that looks tested and is not."""
    pretending = [
        f"{path}:{number}"
        for path in Path(root.__path__[0]).rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if PRETEND.search(line)
    ]
    assert pretending == [], f"write these as prose or make them run: {pretending[:10]}"
