"""Shared fixtures: a private JACK dummy server per test module that asks for one; and the
suite's two phases (`--phase offline|live`, see `is_offline`), which `scripts/test.sh` runs one
after the other: the offline one on both cores (pytest-xdist), the live one alone."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from jackserver import JackServer  # noqa: E402

OFFLINE_FILES = frozenset({
    "test_all_doctests.py", "test_types.py", "test_deliver.py", "test_deliver_package.py",
    "test_deliver_song.py", "test_mirror_freed_pools.py", "test_cli_render_faults.py", "test_song_render.py", "test_lc_render.py",
    "test_lc_render_tails.py", "test_lc_render_fxstems.py", "test_lc_render_ticks.py",
    "test_takes_render.py", "test_vocal_set.py", "test_lc_loopat_render.py", "test_poolfit.py",
})
"""Files of tests/livecode (and the top level) whose tests compute offline: renders, packages,
doctests. tests/patterns and tests/synths are offline but for their JACK tests. Not
test_lc_examples.py: it plays a set in real time and counts late events (one late event when it
shared the machine with the other worker)."""

REAL_TIME_FIXTURES = frozenset({"jack_server", "own_jack_env", "quick_gil"})


def is_offline(item: pytest.Item) -> bool:
    """True for a test whose result cannot depend on timing: it runs no JACK server, no clock of
    its own and no terminal session, so it may share the machine with another test. The live
    phase has the rest, one test at a time, as a performer's machine has one set."""
    path = Path(str(item.fspath))
    where = path.parent.name
    if where not in ("patterns", "synths") and path.name not in OFFLINE_FILES:
        return False
    return item.get_closest_marker("jack") is None and not REAL_TIME_FIXTURES & set(
        getattr(item, "fixturenames", ()))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--phase", choices=("offline", "live"), default=None,
                     help="run only the offline tests (safe in parallel) or only the live ones")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    phase = config.getoption("--phase")
    if phase is None:
        return
    keep = [item for item in items if is_offline(item) == (phase == "offline")]
    dropped = [item for item in items if is_offline(item) != (phase == "offline")]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(scope="module")
def jack_server(monkeypatch_module: pytest.MonkeyPatch) -> Iterator[JackServer]:
    """A private jackd (dummy backend, 48 kHz, 256 frames); JACK_DEFAULT_SERVER points at it."""
    with JackServer(rate=48000, period=256) as server:
        monkeypatch_module.setenv("JACK_DEFAULT_SERVER", server.name)
        yield server


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    """A module-scoped monkeypatch."""
    patcher = pytest.MonkeyPatch()
    yield patcher
    patcher.undo()


@pytest.fixture()
def no_jack_env() -> Iterator[None]:
    """Run a test with JACK_DEFAULT_SERVER unset."""
    saved = os.environ.pop("JACK_DEFAULT_SERVER", None)
    yield
    if saved is not None:
        os.environ["JACK_DEFAULT_SERVER"] = saved


@pytest.fixture()
def quick_gil() -> Iterator[None]:
    """For a test whose session (and its scheduler thread) runs in the pytest process, beside
    evaluations (the runaways' endless loops, a performer's lines). The scheduler shortens the
    process's GIL switch interval itself (`livecode.scheduler.SWITCH_INTERVAL`, as a REPL does);
    this only puts the interval back afterwards. Late in a full suite this process holds the
    objects of thousands of tests, and a full garbage collection of them holds the GIL for tens
    of milliseconds: what exists is frozen first, as the engine process freezes its own (the
    runaway test: 2 and 8 late onsets in two full-suite runs without it, none alone; a
    performer: 26 late events in one, none alone)."""
    before = sys.getswitchinterval()
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()
    sys.setswitchinterval(before)
