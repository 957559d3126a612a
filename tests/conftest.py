"""Shared fixtures: a private JACK dummy server per test module that asks for one."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from jackserver import JackServer  # noqa: E402


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
