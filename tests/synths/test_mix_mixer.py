"""Mixer: strips, mute/solo, sends, paths, rebuild order, track removal, errors."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from test_fx_rig import SR, Rig, level_db, rig, tone  # noqa: E402

from synths._pyo import pyo  # noqa: E402
from synths.effects import EffectContext  # noqa: E402
from synths.errors import ParamError  # noqa: E402
from synths.mixer import Mixer  # noqa: E402

__all__ = ["rig"]


def _two_tracks(rig: Rig) -> Mixer:
    mixer = Mixer(rig.attach(EffectContext(SR, 120.0)), output=False)
    mixer.add_track("d1").add_source(tone(300, 0.3))
    mixer.add_track("d2").add_source(tone(500, 0.3))
    mixer.rebuild(effects=True)
    mixer.master.set_neutral(True)
    return mixer


def _pair(a: Any, b: Any) -> Any:
    p = pyo()
    return p.Mix([p.Sig(a[0]), p.Sig(b[0])], voices=2)


def test_mute_and_solo_silence_the_right_tracks(rig: Rig) -> None:
    mixer = _two_tracks(rig)
    both = _pair(mixer.strip("d1").post_fader, mixer.strip("d2").post_fader)
    mixer.mute("d1")
    rig.process(0.05)
    audio = rig.record(both, 0.1)
    assert level_db(audio[:, 0]) < -100 and level_db(audio[:, 1]) > -15
    mixer.mute("d1", False)
    mixer.solo("d1")
    rig.process(0.05)
    audio = rig.record(both, 0.1)
    assert level_db(audio[:, 0]) > -15 and level_db(audio[:, 1]) < -100
    mixer.set_param("d1.solo", 0)
    rig.process(0.05)
    audio = rig.record(both, 0.1)
    assert level_db(audio[:, 0]) > -15 and level_db(audio[:, 1]) > -15
    mixer.close()


def test_gain_in_db_and_pan_balance(rig: Rig) -> None:
    mixer = _two_tracks(rig)
    mixer.set_param("d1.gain", -6.0)
    mixer.set_param("d1.pan", 0.0)
    rig.process(0.05)
    audio = rig.record(mixer.strip("d1").post_fader, 0.1)
    reference = level_db(rig.record(tone(300, 0.3), 0.1)[:, 0])
    assert level_db(audio[:, 0]) - reference == pytest.approx(-6.0, abs=0.05)
    assert level_db(audio[:, 1]) < -100
    mixer.close()


def test_a_fader_jump_is_smoothed(rig: Rig) -> None:
    mixer = _two_tracks(rig)
    rig.process(0.05)
    jump = {3: lambda: mixer.set_param("d1.gain", -40.0)}
    audio = rig.record(mixer.strip("d1").post_fader, 0.1,
                       during=lambda _, i: jump.get(i, lambda: None)())
    natural = 2 * np.pi * 300 / SR * 0.3
    assert np.abs(np.diff(audio[:, 0])).max() < natural * 1.05
    mixer.close()


def test_the_reverb_send_feeds_the_shared_bus(rig: Rig) -> None:
    mixer = _two_tracks(rig)
    mixer.mute("d2")
    rig.process(0.05)
    dry = level_db(rig.record(mixer.buses["reverb"].out, 0.2))
    mixer.set_param("d1.send.reverb", 0.8)
    rig.process(0.2)
    wet = level_db(rig.record(mixer.buses["reverb"].out, 0.2))
    assert dry < -100 and wet > -40
    mixer.set_param("bus.reverb.size", 0.3)
    mixer.close()


@pytest.mark.parametrize("effects", [True, False])
def test_a_rebuilt_mixer_is_sample_exact_from_source_to_master(rig: Rig, effects: bool) -> None:
    p = pyo()
    mixer = Mixer(rig.attach(EffectContext(SR, 120.0)), output=False)
    strip = mixer.add_track("d1")
    strip.chain.add("eq", mid=0.0)
    mixer.rebuild(effects=True)
    rig.process(0.05)
    trig = p.Trig().stop()
    source = p.Mix(p.SDelay(trig, delay=(37 + 0.5) / SR), voices=2)   # a pool created later
    strip.add_source(source)
    strip.chain.add("width", width=1.0)
    mixer.rebuild(effects=effects)                 # False: the effects are kept, moved in order
    mixer.master.set_neutral(True)
    rig.process(0.05)
    audio = rig.record(_pair(source, mixer.master.out), 0.05,
                       during=lambda _, i: trig.play() if i == 2 else None)
    assert np.argmax(audio[:, 0]) == np.argmax(audio[:, 1]) == 2 * 256 + 37
    mixer.close()


def test_removed_tracks_fade_out_and_leave_at_rebuild(rig: Rig) -> None:
    mixer = _two_tracks(rig)
    mixer.remove_track("d2")
    assert mixer.tracks == ["d1"]
    rig.process(0.05)
    level = level_db(rig.record(mixer.master.out, 0.1)[:, 0])
    assert level == pytest.approx(level_db(rig.record(tone(300, 0.3), 0.1)[:, 0]), abs=0.1)
    mixer.rebuild()
    assert set(mixer.meters()) == {"d1", "master"}
    mixer.close()


def test_bad_paths_and_values_raise_clear_errors(rig: Rig) -> None:
    mixer = _two_tracks(rig)
    with pytest.raises(ParamError, match="no track, 'master' or 'bus' called 'd9'"):
        mixer.set_param("d9.gain", 0)
    with pytest.raises(ParamError, match=r"unknown track path 'd1.volume'"):
        mixer.set_param("d1.volume", 0)
    with pytest.raises(ParamError, match=r"track d1: gain=30 is out of range \[-96.0, 12.0\]"):
        mixer.set_param("d1.gain", 30)
    with pytest.raises(ParamError, match=r"master: ceiling=3 is out of range"):
        mixer.set_param("master.ceiling", 3)
    with pytest.raises(ParamError, match="bad path 'gain'"):
        mixer.set_param("gain", 0)
    with pytest.raises(ParamError, match=r"mixer: no track named 'x' \(tracks: d1, d2\)"):
        mixer.strip("x")
    with pytest.raises(ParamError, match="chain: no effect at index 0"):
        mixer.set_param("d1.fx.0.mix", 0.5)
    mixer.strip("d1").chain.add("lpf")
    mixer.set_param("d1.fx.0.cutoff", 500, delay=0.001)
    mixer.set_param("d1.fx.lpf.resonance", 0.5)
    assert mixer.strip("d1").chain[0].values["cutoff"] == 500
    mixer.close()


def test_mute_from_another_thread_while_tracks_come_and_go(rig: Rig) -> None:
    """A "d1.mute" ParamEvent runs in the audio callback while the engine's main thread adds
    and removes strips; with the GIL passed every microsecond the old loop over the strip dict
    raised "dictionary changed size during iteration" hundreds of times a second."""
    mixer = Mixer(rig.attach(EffectContext(SR, 120.0)), output=False)
    for index in range(8):
        mixer.add_track(f"d{index}").add_source(tone(300, 0.1))
    mixer.rebuild(effects=True)
    errors: list[str] = []
    stop = threading.Event()
    cycles = 0

    def callback() -> None:
        flip = 0
        while not stop.is_set():
            try:
                mixer.set_param("d0.mute", float(flip % 2))
                mixer.set_param(f"x{cycles}.gain", -3.0)       # a strip that may be gone
            except ParamError:
                pass                                          # no such track: said in one line
            except Exception as exc:                          # noqa: BLE001 - what the test looks for
                errors.append(repr(exc))
            flip += 1

    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    thread = threading.Thread(target=callback)
    thread.start()
    try:
        end = time.monotonic() + 0.6
        while time.monotonic() < end:
            mixer.add_track(f"x{cycles}")
            mixer.remove_track(f"x{cycles}")
            cycles += 1
    finally:
        stop.set()
        thread.join()
        sys.setswitchinterval(previous)
    assert cycles > 20
    assert errors == []
