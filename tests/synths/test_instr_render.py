"""Every instrument renders: audible, finite, under 0 dBFS, velocity-scaled, no objects per note."""

from __future__ import annotations

import gc

import numpy as np
import pytest

from synths._pyo import pyo
from synths.instruments import DRUM_BANKS, resolve
from synths.instruments._notefx import DC_SETTLE
from synths.instruments.preview import Note, note_params, render_notes

SR = 48000
TONAL = ["sine", "triangle", "saw", "square", "lead", "sub", "acid", "reese", "pluckbass", "bass808",
         "supersaw", "pad", "strings", "epiano", "bell", "pluck"]
DRUMS = [(bank, name) for bank, kit in DRUM_BANKS.items() for name in sorted(kit) if name != "bd808long"]


def _check(audio: np.ndarray, label: str) -> None:
    assert np.isfinite(audio).all(), f"{label}: NaN/inf"
    peak = float(np.abs(audio).max())
    assert peak < 1.0, f"{label}: peak {peak:.3f} reaches 0 dBFS"
    assert peak > 0.03, f"{label}: nearly silent (peak {peak:.4f})"
    assert np.sqrt(np.mean(audio**2)) > 1e-3, f"{label}: no energy"


@pytest.mark.parametrize("name", TONAL)
def test_tonal_instruments_sound_below_full_scale(name: str) -> None:
    cls = resolve(name)
    notes = [Note(0.0, {"note": 36.0, "velocity": 1.0}, 0.4), Note(1.0, {"note": 84.0, "velocity": 1.0}, 0.4),
             Note(2.0, {"note": 60.0, "velocity": 1.0, "cutoff": 20000.0, "resonance": 1.0}, 0.4)]
    audio = render_notes(cls, notes, 4.0)
    _check(audio, name)
    after = audio[:, int(3.8 * SR):]
    assert np.abs(after).max() < 0.01 * np.abs(audio).max(), f"{name}: still sounding after its release"


@pytest.mark.parametrize(("bank", "name"), DRUMS)
def test_drums_sound_below_full_scale(bank: str, name: str) -> None:
    cls = resolve(name, bank)
    audio = render_notes(cls, [Note(0.0, {}, 0.1), Note(1.9, {"n": 3, "tune": 5.0}, 0.1)], 2.3)
    _check(audio, f"{bank}:{name}")


def test_velocity_scales_the_level() -> None:
    loud = render_notes(resolve("sine"), [Note(0.0, {"velocity": 1.0}, 0.3)], 0.4)
    soft = render_notes(resolve("sine"), [Note(0.0, {"velocity": 0.5}, 0.3)], 0.4)
    ratio = np.abs(soft).max() / np.abs(loud).max()
    assert ratio == pytest.approx(0.5, abs=0.02)


def test_stereo_instruments_have_two_different_channels() -> None:
    audio = render_notes(resolve("supersaw"), [Note(0.0, {"note": 60.0}, 0.5)], 0.6)
    assert audio.shape[0] == 2
    assert np.abs(audio[0] - audio[1]).max() > 0.01


def test_drum_variations_change_the_sound() -> None:
    plain = render_notes(resolve("bd"), [Note(0.0, {"n": 0}, 0.1)], 0.6)
    varied = render_notes(resolve("bd"), [Note(0.0, {"n": 1}, 0.1)], 0.6)
    assert np.abs(plain - varied).max() > 0.05


def _pyo_object_count() -> int:
    base = pyo().PyoObjectBase
    return sum(1 for obj in gc.get_objects() if isinstance(obj, base))


@pytest.mark.parametrize("name", ["bd", "hh", "acid", "bass808", "supersaw", "pluck"])
def test_set_note_creates_no_pyo_objects(name: str) -> None:
    p = pyo()
    server = p.Server(sr=SR, nchnls=2, buffersize=256, duplex=0, audio="manual", verbosity=1).boot()
    try:
        cls = resolve(name)
        voice = cls(p.SDelay(p.Trig(), delay=0.5 / SR, maxdelay=0.01), SR)
        params = note_params(cls, {"note": 50.0})
        voice.set_note(params, 0.3)
        gc.collect()
        before = _pyo_object_count()
        for note in (40.0, 52.0, 64.0):
            voice.set_note(note_params(cls, {"note": note, "velocity": 0.7}), 0.25)
        gc.collect()
        assert _pyo_object_count() == before
        assert voice.tail(params, 0.3) > 0.0
    finally:
        server.shutdown()


def test_idle_voices_stop_their_objects_until_the_next_note() -> None:
    p = pyo()
    server = p.Server(sr=SR, nchnls=2, buffersize=256, duplex=0, audio="manual", verbosity=1).boot()
    try:
        server.start()
        trig = p.Trig()
        delay = p.SDelay(trig, delay=0.5 / SR, maxdelay=0.01)
        cls = resolve("hh")
        voice = cls(delay, SR)

        def playing() -> list[bool]:
            return [bool(base._getStream().isPlaying()) for base in voice.sleeper.bases]

        assert len(playing()) > 5 and not any(playing())
        params = note_params(cls, {})
        voice.set_note(params, 0.1)
        trig.play()
        assert all(playing())
        for _ in range(int((voice.tail(params, 0.1) + 0.1) * SR / 256)):
            server.process()
        assert not any(playing())
        assert delay.isPlaying()  # the engine's trigger chain is left alone
    finally:
        server.shutdown()


def _tail_of(cls: type, params: dict[str, float | str], dur: float) -> float:
    p = pyo()
    server = p.Server(sr=SR, nchnls=2, buffersize=256, duplex=0, audio="manual", verbosity=1).boot()
    try:
        return float(cls(p.SDelay(p.Trig(), delay=0.5 / SR, maxdelay=0.01), SR).tail(params, dur))
    finally:
        server.shutdown()


@pytest.mark.parametrize("name", ["lead", "bass808", "pad", "bell", "pluck", "bd", "oh", "cr"])
def test_tail_matches_the_sound(name: str) -> None:
    """The engine frees (and stops) a voice after `tail`: nothing audible may remain after it, and
    the tail does not keep a voice busy long after it fell silent."""
    cls = resolve(name)
    for dur in (0.05, 1.0):
        audio = np.abs(render_notes(cls, [Note(0.0, {"note": 48.0}, dur)], dur + 2.5)).max(axis=0)
        tail = _tail_of(cls, note_params(cls, {"note": 48.0}), dur)
        assert audio[int((tail + 0.05) * SR) :].max() < 0.01 * audio.max(), f"{name}: sound after {tail:.2f}s"
        # drums ring down exponentially to -80 dB; the DC blocker then settles for DC_SETTLE s
        last = np.nonzero(audio > 1e-4 * audio.max())[0][-1] / SR
        assert last > tail - DC_SETTLE - 0.25, f"{name}: silent from {last:.2f}s but busy until {tail:.2f}s"


def test_hold_keeps_full_level_before_the_decay() -> None:
    params = {"note": 69.0, "attack": 0.01, "hold": 0.3, "decay": 0.05, "sustain": 0.2}
    audio = render_notes(resolve("sine"), [Note(0.0, params, 1.0)], 1.2)[0]
    held = np.abs(audio[int(0.2 * SR) : int(0.3 * SR)]).max()
    sustained = np.abs(audio[int(0.5 * SR) : int(0.6 * SR)]).max()
    assert sustained == pytest.approx(0.2 * held, rel=0.05)


def test_a_sleeping_voice_leaves_only_arithmetic_running() -> None:
    """Every DSP object of an idle voice is stopped; only cheap inline `a * b` helpers may run."""
    p = pyo()
    server = p.Server(sr=SR, nchnls=2, buffersize=256, duplex=0, audio="manual", verbosity=1).boot()
    try:
        for name, bank in [(name, None) for name in TONAL] + [(name, bank) for bank, name in DRUMS]:
            delay = p.SDelay(p.Trig().stop(), delay=0.5 / SR, maxdelay=0.01)
            known = {stream.getId() for stream in server.getStreams()}
            voice = resolve(name, bank)(delay, SR)
            running = [
                type(stream.getStreamObject()).__name__
                for stream in server.getStreams()
                if stream.getId() not in known and stream.isPlaying()
            ]
            assert set(running) <= {"Dummy_base"} and len(running) <= 6, f"{voice.NAME}: {running}"
    finally:
        server.shutdown()
