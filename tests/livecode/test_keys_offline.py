"""The keyboard path in a manual engine: a key held 80 blocks sounds 80 blocks (plus the 5 ms
cut fade), its note-off leaves no click, and the held note is as long as the key was down."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from livecode.session import Session

__all__: list[str] = []


def test_a_key_sounds_until_its_note_off_without_a_click(tmp_path: Path) -> None:
    session = Session.create(audio="manual", bpm=120)
    try:
        session.outputs.send_param("master", "mix", 0.0, None)
        assert session.evaluate('keys(d1, sound="sine")').ok
        session.record(tmp_path / "keys.wav")
        clock = session.clock
        session.run_blocks(20)
        session.controls.feed_midi("kb", clock.to_monotonic(clock.now()), (0x90, 69, 100))
        session.run_blocks(80)
        session.controls.feed_midi("kb", clock.to_monotonic(clock.now()), (0x80, 69, 0))
        session.run_blocks(40)
        path = session.record()
    finally:
        session.close()
    assert path is not None
    audio, rate = sf.read(str(path))
    mono = audio[:, 0] if audio.ndim > 1 else audio
    sounding = np.nonzero(np.abs(mono) > 1e-4)[0]
    held = sounding[-1] - sounding[0]
    assert 80 * 256 <= held <= 80 * 256 + int(0.006 * rate) + 256, held
    steady_step = np.abs(np.diff(mono[sounding[0] + 4800:sounding[0] + 9600])).max()
    release_step = np.abs(np.diff(mono[sounding[-1] - 2000:sounding[-1] + 100])).max()
    assert release_step <= steady_step * 1.05                       # no click at the note-off
    assert abs(mono[sounding[0]:sounding[-1]].mean()) < 1e-3          # no DC
