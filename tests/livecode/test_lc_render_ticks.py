"""A render ticks the scheduler every half lookahead: the very same bytes as ticking every 2 blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

import livecode.render as render_module
from livecode.render import render_set, render_tick_blocks

__all__: list[str] = []

SET = '''bpm(128)
d1 >> s("bd*4 [~ bd] ~").bank("808")
d2 >> note("<c3 eb3 g3>*8").s("acid").room(0.3)
d2.fx("lpf", cutoff=sine.range(400, 4000).slow(2), resonance=0.3)
d3 >> note("c5 ~ eb5 g5 ~ c6").s("pluck").delay(0.4)
'''


def test_fewer_scheduler_ticks_render_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "set.py").write_text(SET)
    assert render_tick_blocks(0.1, 48000, 256) == 9 and render_tick_blocks(0.01, 48000, 256) == 2
    render_set(tmp_path / "set.py", tmp_path / "coarse.wav", bars=2, stems_dir=tmp_path / "coarse", tail=0.5)
    monkeypatch.setattr(render_module, "render_tick_blocks", lambda *_: 2)
    render_set(tmp_path / "set.py", tmp_path / "fine.wav", bars=2, stems_dir=tmp_path / "fine", tail=0.5)
    assert (tmp_path / "coarse.wav").read_bytes() == (tmp_path / "fine.wav").read_bytes()
    for stem in (tmp_path / "fine").iterdir():
        assert (tmp_path / "coarse" / stem.name).read_bytes() == stem.read_bytes(), stem.name
