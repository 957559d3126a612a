"""Voice pools fitted to a set's notes: as many voices as ever sound at once, no steal with
them, steals with one fewer (so the fit is tight, not just small)."""

from __future__ import annotations

import warnings
from pathlib import Path

from livecode.poolfit import pool_sizes
from livecode.render import render_session
from livecode.session import Session

__all__: list[str] = []

# d1: four notes a bar, each held two steps (a triangle has a short release): 2 overlap at most;
# d2: one long chord note per bar holding over the next: 2; d3: sparse clicks: 1
SET = """bpm(120)
d1 >> note("c4 e4 g4 b4").s("triangle").legato(2)
d2 >> note("<c3 g2>").s("pad").legato(1.5)
d3 >> s("hh ~ ~ ~")
"""


def _steals(set_path: Path, sizes: dict[str, int], out: Path) -> int:
    session = Session.create(audio="manual", engine_options={"pool_sizes": sizes})
    try:
        session.load(set_path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            render_session(session, out, 2, tail=0.5)
        stats = session.manual_engine.stats()
    finally:
        session.close()
    return int(stats["steals"])


def test_fitted_pools_hold_every_note_and_are_tight(tmp_path: Path) -> None:
    path = tmp_path / "fit.py"
    path.write_text(SET)
    sizes = pool_sizes(path, 2)
    assert set(sizes) == {"d1", "d2", "d3"}
    assert sizes["d3"] == 1 and 2 <= sizes["d1"] <= 4 and 2 <= sizes["d2"] <= 4
    assert _steals(path, sizes, tmp_path / "fit.wav") == 0
    tighter = {**sizes, "d1": sizes["d1"] - 1}
    assert _steals(path, tighter, tmp_path / "tight.wav") > 0


def test_a_set_that_cannot_be_read_without_audio_gets_full_pools(tmp_path: Path) -> None:
    path = tmp_path / "bad.py"
    path.write_text('d1 >> s("bd")\nraise ValueError("boom")\n')
    assert pool_sizes(path, 1) == {}
