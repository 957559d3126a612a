"""The performer simulator in the suite (issue 7): short seeded performances on a private JACK
server, two through the session API and one typed into the REPL in a pseudo-terminal. Each
checks finite audio, a reference track that never goes silent, late events under a bound, engine and session
in agreement, no MIDI note left sounding, and flat memory (tests/performer.py;
`benchmarks/soak.py` runs long ones)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from performer import perform, perform_in_repl, sample_kit, script

__all__: list[str] = []

pytestmark = pytest.mark.jack

LATE_ALLOWED = 0
"""Late events tolerated here: none, as in `benchmarks/soak.py`. The scheduler's notes reach the
engine process on a pipe and thread of their own (`synths.process.FAST`): they no longer wait
behind a track being built (20-200 ms), which is where the last late events came from (up to 62
in one full-suite run before), or that an evaluation computing beside the scheduler delayed
(`livecode.scheduler.SWITCH_INTERVAL`). The session-API performances run in this process, whose
garbage the `quick_gil` fixture freezes first (tests/conftest.py). Long runs: `benchmarks/soak.py`
(30 minutes, 1,920 lines, 0 late: docs/benchmarks.md)."""


@pytest.mark.usefixtures("quick_gil")
@pytest.mark.parametrize("seed", [11, 29])
def test_a_seeded_performance_never_goes_silent(jack_server: object, tmp_path: Path, seed: int) -> None:
    lines = script(seed, 18, samples=str(sample_kit(tmp_path / "samples")))
    run = perform(lines, seed, gap=0.5, jackname=f"lcsim{seed}", max_late=LATE_ALLOWED)
    assert not run.problems, run.summary() + "\n" + run.replay_hint(tmp_path)
    assert run.frames > 48000 * 15 and run.notes_sent >= 0


def test_a_performance_typed_into_the_repl(jack_server: object, tmp_path: Path) -> None:
    seed = 5
    lines = script(seed, 18, loops=False, samples=str(sample_kit(tmp_path / "samples")))
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "HOME": str(tmp_path)}
    run = perform_in_repl(lines, seed, env, gap=0.7, max_late=LATE_ALLOWED)
    assert not run.problems, run.summary() + "\n" + run.replay_hint(tmp_path)
    assert run.late <= LATE_ALLOWED and run.frames > 48000 * 10
