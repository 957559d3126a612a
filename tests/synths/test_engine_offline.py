"""The engine offline: exact onsets, late events, stealing, determinism, stems, errors, panic."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
import scipy.io.wavfile as wavfile

from synths.engine import Engine, _EffectParam
from synths.errors import AudioDeviceError, ParamError, RenderError, UnknownInstrumentError
from synths.events import NoteEvent, ParamEvent
from synths.render import render
from synths.testvoices import resolve_test_voice

SR = 48000


def _read(path: Path) -> np.ndarray:
    rate, data = wavfile.read(path)
    assert rate == SR
    if data.dtype == np.int32:
        return data.astype(np.float64) / 2**31
    if data.dtype == np.int16:
        return data.astype(np.float64) / 32768.0
    return data.astype(np.float64)


def _neutral(engine: Engine) -> None:
    """A neutral master: the output is the sum of the tracks (no EQ, compressor or limiter)."""
    engine.mixer.master.set_neutral(True)


def _onsets(signal: np.ndarray, threshold: float = 0.1) -> list[int]:
    return [int(i) for i in np.nonzero(np.abs(signal) > threshold)[0]]


@pytest.mark.parametrize("block_size", [64, 256, 1024])
def test_offline_onsets_land_on_the_exact_sample(tmp_path: Path, block_size: int) -> None:
    times = [1000 + i * 1237 + (i * i) % 61 for i in range(40)]
    events = [NoteEvent(t, "d1", {"s": "click", "gain": 0.5}, 100) for t in times]
    result = render(events, tmp_path / "m.wav", block_size=block_size, sample_format="float", setup=_neutral,
                    resolver=resolve_test_voice, tail=0.01)
    audio = _read(result.path)
    assert _onsets(audio[:, 0]) == times
    assert _onsets(audio[:, 1]) == times


def test_late_events_play_at_block_start_and_are_counted(tmp_path: Path) -> None:
    with Engine("manual", block_size=256, resolver=resolve_test_voice) as engine:
        engine.add_track("d1", ["click"])
        _neutral(engine)
        engine.record_start(tmp_path / "late.wav", sample_format="float")
        engine.process_blocks(4)
        engine.schedule(NoteEvent(100, "d1", {"s": "click"}, 10))       # already past
        engine.schedule(NoteEvent(1500, "d1", {"s": "click"}, 10))      # on time
        engine.process_blocks(4)
        stats = engine.stats()
        paths = engine.record_stop()
    assert stats["late"] == 1 and stats["played"] == 2
    assert _onsets(_read(paths["master"])[:, 0]) == [1024, 1500]


def _level(audio: np.ndarray, start: int, freq: float, length: int = 4800) -> float:
    window = audio[start:start + length, 0]
    phase = np.exp(-2j * np.pi * freq * np.arange(len(window)) / SR)
    return float(np.abs(np.dot(window, phase)) * 2 / len(window))


def test_pool_steals_the_oldest_voice_with_a_fade(tmp_path: Path) -> None:
    notes = [(0, 300.0), (4800, 500.0), (9600, 700.0)]
    events = [
        NoteEvent(t, "d1", {"s": "beep", "freq": f, "gain": 0.3, "sustain": 1.0}, 48000) for t, f in notes
    ]
    result = render(events, tmp_path / "steal.wav", duration=0.5, polyphony=2, sample_format="float",
                    resolver=resolve_test_voice, setup=_neutral)
    audio = _read(result.path)
    before, after = 4800 + 480, 9600 + 960
    assert _level(audio, before, 300.0) > 0.2 and _level(audio, before, 500.0) > 0.2
    assert _level(audio, after, 300.0) < 0.005          # stolen, faded out
    assert _level(audio, after, 500.0) > 0.2 and _level(audio, after, 700.0) > 0.2
    jump = np.max(np.abs(np.diff(audio[9000:9700, 0])))
    assert jump < 0.1                                   # faded, no click


def test_render_is_byte_identical_in_24_bit(tmp_path: Path) -> None:
    events = [NoteEvent(500 + 3000 * i, "d1", {"s": "hiss", "gain": 0.5}, 2000) for i in range(8)]
    events += [NoteEvent(700 + 5000 * i, "d2", {"s": "beep", "note": 57 + i}, 3000) for i in range(4)]
    a = render(events, tmp_path / "a.wav", resolver=resolve_test_voice, tail=0.1)
    b = render(events, tmp_path / "b.wav", resolver=resolve_test_voice, tail=0.1)
    assert a.path.read_bytes() == b.path.read_bytes()
    assert np.max(np.abs(_read(a.path))) > 0.1


def test_stems_sum_to_the_master_and_have_its_length(tmp_path: Path) -> None:
    events = [NoteEvent(300 + 2400 * i, f"d{i % 3 + 1}", {"s": "beep", "note": 50 + 5 * i, "pan": i / 10},
                        2000) for i in range(10)]
    result = render(events, tmp_path / "mix.wav", stems=tmp_path / "stems", sample_format="float",
                    setup=_neutral,
                    resolver=resolve_test_voice, tail=0.2)
    master = _read(result.path)
    stems = {name: _read(path) for name, path in result.stems.items()}
    assert sorted(stems) == ["d1", "d2", "d3"]
    assert all(stem.shape == master.shape for stem in stems.values())
    assert np.max(np.abs(sum(stems.values()) - master)) < 1e-5
    assert all(np.max(np.abs(stem)) > 0.1 for stem in stems.values())


def test_bad_backend_and_bad_params_raise_clear_errors() -> None:
    with pytest.raises(AudioDeviceError, match="backend must be one of auto, jack, portaudio"):
        Engine("alsa")
    with pytest.raises(ParamError, match="polyphony"):
        Engine("manual", polyphony=0)
    with Engine("manual", resolver=resolve_test_voice) as engine:
        with pytest.raises(ParamError, match=r"click: gain=9 is out of range \[0.0, 4.0\]"):
            engine.schedule(NoteEvent(0, "d1", {"s": "click", "gain": 9}, 10))
        with pytest.raises(ParamError, match="note: 'h9' is not a note name"):
            engine.schedule(NoteEvent(0, "d1", {"s": "beep", "note": "h9"}, 10))
        with pytest.raises(UnknownInstrumentError, match="unknown test instrument 'nope'"):
            engine.schedule(NoteEvent(0, "d1", {"s": "nope"}, 10))
        with pytest.raises(ParamError, match="room must be a number"):
            engine.schedule(NoteEvent(0, "d1", {"s": "beep", "room": "big"}, 10))
    with pytest.raises(ParamError, match="NoteEvent.time must be an int"):
        NoteEvent(1.5, "d1", {"s": "beep"}, 10)  # type: ignore[arg-type]
    with pytest.raises(RenderError, match="sample format"):
        render([NoteEvent(0, "d1", {"s": "click"}, 1)], "/tmp/x.wav", sample_format=12, resolver=resolve_test_voice)


def test_panic_silences_every_voice_quickly(tmp_path: Path) -> None:
    with Engine("manual", block_size=256, resolver=resolve_test_voice) as engine:
        engine.schedule_many(NoteEvent(100 * i, "d1", {"s": "beep", "note": 60 + i, "gain": 0.2}, SR * 5)
                             for i in range(4))
        engine.schedule(NoteEvent(SR, "d1", {"s": "beep"}, 100))     # pending: must be dropped
        _neutral(engine)
        engine.record_start(tmp_path / "p.wav", sample_format="float")
        engine.process_blocks(20)
        engine.panic()
        engine.process_blocks(200)
        stats = engine.stats()
        audio = _read(engine.record_stop()["master"])
    assert np.max(np.abs(audio[4000:5120])) > 0.2
    assert np.max(np.abs(audio[20 * 256 + 512:])) < 1e-4
    assert stats["played"] == 4 and stats["pending"] == 0


def test_param_events_change_the_track_gain(tmp_path: Path) -> None:
    events: list[NoteEvent | ParamEvent] = [NoteEvent(0, "d1", {"s": "beep", "gain": 0.5}, SR)]
    events.append(ParamEvent(SR // 2, "d1", "gain", -96.0))
    result = render(events, tmp_path / "g.wav", duration=0.9, sample_format="float", resolver=resolve_test_voice,
                    setup=_neutral)
    audio = _read(result.path)
    assert np.max(np.abs(audio[10000:20000])) > 0.3
    assert np.max(np.abs(audio[SR // 2 + 2400:])) < 1e-3


def _rms(audio: np.ndarray, start: int, stop: int) -> float:
    return float(np.sqrt(np.mean(audio[start:stop] ** 2)))


def test_closed_hat_chokes_the_open_hat(tmp_path: Path) -> None:
    open_hat = NoteEvent(0, "hats", {"s": "oh", "decay": 1.5}, SR)
    closed = NoteEvent(9600, "hats", {"s": "hh"}, 2400)
    ring = render([open_hat, NoteEvent(9600, "other", {"s": "hh"}, 2400)], tmp_path / "ring.wav",
                  duration=1.0, sample_format="float", setup=_neutral)
    choked = render([open_hat, closed], tmp_path / "choke.wav", duration=1.0, sample_format="float", setup=_neutral)
    a, b = _read(ring.path), _read(choked.path)
    assert np.allclose(a[:9600 - 256], b[:9600 - 256], atol=1e-6)
    late = (SR // 2, SR // 2 + 4800)                        # hh is over, oh would still ring
    assert _rms(a, *late) > 0.002
    assert _rms(b, *late) < 0.05 * _rms(a, *late)


def test_room_and_delay_controls_feed_the_send_buses(tmp_path: Path) -> None:
    dry = [NoteEvent(100, "d1", {"s": "beep", "note": 69, "gain": 0.5}, 2400)]
    wet = [NoteEvent(100, "d1", {"s": "beep", "note": 69, "gain": 0.5, "room": 0.8}, 2400)]
    a = _read(render(dry, tmp_path / "dry.wav", duration=1.0, sample_format="float",
                     resolver=resolve_test_voice, setup=_neutral).path)
    b = _read(render(wet, tmp_path / "wet.wav", duration=1.0, sample_format="float",
                     resolver=resolve_test_voice, setup=_neutral).path)
    tail = (2400 + 100 + 4800, 2400 + 100 + 14400)          # after the dry note's release
    assert _rms(a, *tail) < 1e-5
    assert _rms(b, *tail) > 1e-3


def _first_echo(audio: np.ndarray, after: int) -> int:
    """The first frame after `after` where the (delayed) signal comes back above -40 dBFS."""
    return after + int(np.nonzero(np.abs(audio[after:, 0]) > 0.01)[0][0])


def test_delaytime_delayfeedback_and_size_set_the_shared_buses(tmp_path: Path) -> None:
    def bleep(**controls: float) -> list[NoteEvent]:
        # A silent first note opens the send (it glides over 20 ms); the click at 0.5 s is measured.
        return [NoteEvent(0, "d1", {"s": "click", "gain": 0.0, "delay": 1.0, **controls}, 10),
                NoteEvent(SR // 2, "d1", {"s": "click", "gain": 0.5, "delay": 1.0, **controls}, 10)]

    def run(name: str, events: list[NoteEvent], seconds: float = 2.0) -> np.ndarray:
        return _read(render(events, tmp_path / name, duration=seconds, sample_format="float",
                            resolver=resolve_test_voice, setup=_neutral).path)

    # At the engine's default 120 BPM, 0.25 s is half a beat: the first echo comes 12000 frames later.
    quarter = run("q.wav", bleep(delaytime=0.25))
    eighth = run("e.wav", bleep(delaytime=0.125))
    assert abs(_first_echo(quarter, SR // 2 + 1000) - (SR // 2 + 12000)) <= 64
    assert abs(_first_echo(eighth, SR // 2 + 1000) - (SR // 2 + 6000)) <= 64
    # More feedback, more repeats: energy long after the click grows.
    short = run("f1.wav", bleep(delaytime=0.125, delayfeedback=0.1))
    long = run("f2.wav", bleep(delaytime=0.125, delayfeedback=0.9))
    assert _rms(long, SR, 3 * SR // 2) > 10 * _rms(short, SR, 3 * SR // 2)
    # A bigger room rings longer on the reverb bus.
    small = run("s1.wav", [NoteEvent(0, "d1", {"s": "beep", "gain": 0.5, "room": 1.0, "size": 1}, 2400)], 3.0)
    big = run("s2.wav", [NoteEvent(0, "d1", {"s": "beep", "gain": 0.5, "room": 1.0, "size": 10}, 2400)], 3.0)
    assert _rms(big, 2 * SR, 3 * SR) > 2 * _rms(small, 2 * SR, 3 * SR)
    with Engine("manual", resolver=resolve_test_voice) as engine:
        with pytest.raises(ParamError, match=r"delaytime must be a number in \[0, 10\]"):
            engine.schedule(NoteEvent(0, "d1", {"s": "beep", "delaytime": -1}, 10))


def test_auto_without_jack_or_a_device_says_how_to_render(no_jack_env: None) -> None:
    from synths.backends import choose_backend, jack_running, portaudio_output

    if jack_running() or portaudio_output() is not None:   # a machine with a device: auto picks it
        assert choose_backend("auto") == ("jack" if jack_running() else "portaudio")
        return
    with pytest.raises(AudioDeviceError, match="no audio device found: use `livecode render`"):
        Engine("auto", resolver=resolve_test_voice).boot()


def test_a_timed_param_change_starts_on_its_exact_sample(tmp_path: Path) -> None:
    note = [NoteEvent(0, "d1", {"s": "beep", "gain": 0.5}, SR)]
    steady = _read(render(note, tmp_path / "a.wav", duration=0.4, sample_format="float",
                          resolver=resolve_test_voice, setup=_neutral).path)
    for frame in (10007, 12345):
        changed = _read(render([*note, ParamEvent(frame, "d1", "gain", -20.0)], tmp_path / "b.wav", duration=0.4,
                               sample_format="float", resolver=resolve_test_voice, setup=_neutral).path)
        differs = np.nonzero(np.abs(steady[:, 0] - changed[:, 0]) > 1e-7)[0]
        assert differs[0] == frame
        assert np.max(np.abs(changed[frame + 4800:, 0])) < 0.06      # glided to -20 dB


def test_any_sample_rate_and_16_bit(tmp_path: Path) -> None:
    times = [441, 4410 + 7, 30000 + 255]
    events = [NoteEvent(t, "d1", {"s": "click", "gain": 0.5}, 10) for t in times]
    result = render(events, tmp_path / "cd.wav", sample_rate=44100, block_size=128, sample_format=16,
                    duration=1.0, resolver=resolve_test_voice, setup=_neutral)
    rate, audio = wavfile.read(result.path)
    assert rate == 44100 and audio.dtype == np.int16 and audio.shape == (44100, 2)
    assert _onsets(audio[:, 0].astype(np.float64) / 32768.0) == times


def test_set_chain_keeps_unchanged_effects_and_glides_their_params() -> None:
    with Engine("manual", resolver=resolve_test_voice) as engine:
        engine.add_track("d1", ["beep"])
        engine.add_track("kick", ["click"])
        engine.set_chain("d1", [{"kind": "lpf", "cutoff": 800}, {"kind": "reverb", "mix": 0.3}])
        engine.process_blocks(2)
        chain = engine.mixer.strip("d1").chain
        before = [id(fx) for fx in chain]
        engine.set_chain("d1", [{"kind": "lowpass", "cutoff": 1200}, {"kind": "reverb", "mix": 0.3}])
        assert [id(fx) for fx in chain] == before and chain[0].values["cutoff"] == 1200.0
        engine.set_chain("d1", [{"kind": "duck", "key": "kick"}])
        assert chain.kinds() == ["duck"]
        with pytest.raises(ParamError, match=r"lpf: cutoff=1000000000.0 is out of range"):
            engine.set_chain("d1", [{"kind": "lpf", "cutoff": 1e9}])
        with pytest.raises(ParamError, match="every spec needs a 'kind'"):
            engine.set_chain("d1", [{"cutoff": 100}])
        assert chain.kinds() == ["duck"]


def test_an_effect_param_waits_for_a_chain_being_set_and_never_reaches_a_chain_set_after_it() -> None:
    # the performer simulator caught the audio thread applying `fx.4.*` to a chain another thread
    # was rebuilding ("chain: no effect at index 4 (chain has 0)"): a parameter taken from the
    # queue during `set_chain` could also land on a new effect at the same index and stay there
    with Engine("manual", resolver=resolve_test_voice) as engine:
        engine.add_track("d1", ["beep"])
        engine.set_chain("d1", [{"kind": "lpf", "cutoff": 800}])
        engine.process_blocks(2)
        chain = engine.mixer.strip("d1").chain
        holding, done = threading.Event(), threading.Event()

        def set_up_elsewhere() -> None:             # as the main thread building a chain
            with engine._setup_lock:
                holding.set()
                done.wait(10)

        other = threading.Thread(target=set_up_elsewhere)
        other.start()
        assert holding.wait(10)
        engine.set_param("d1", "fx.0.cutoff", 1500.0)
        engine.process_blocks(3)
        assert chain[0].values["cutoff"] == 800.0    # it waits, block after block
        done.set()
        other.join()
        engine.process_blocks(1)
        assert chain[0].values["cutoff"] == 1500.0
        # one queued for the lpf, still in flight when the chain became an hpf: dropped, counted
        in_flight = _EffectParam(None, "d1", "fx.0.cutoff", 300.0, engine._chains["d1"])
        engine.set_chain("d1", [{"kind": "hpf", "cutoff": 2000}])
        engine._queue.push(in_flight)
        engine.process_blocks(2)
        stats = engine.stats()
        assert chain.kinds() == ["hpf"] and chain[0].values["cutoff"] == 2000.0
        assert (stats["stale_params"], stats["errors"], stats["late"]) == (1, 0, 0)


def test_lazy_pool_while_recording_keeps_onsets_and_the_recording_continuous(tmp_path: Path) -> None:
    with Engine("manual", block_size=256, resolver=resolve_test_voice) as engine:
        engine.add_track("d1", ["click"])
        _neutral(engine)
        engine.process_blocks(8)
        start = engine.now()
        engine.record_start(tmp_path / "lazy.wav", stems=tmp_path / "stems", sample_format="float")
        engine.schedule(NoteEvent(start + 700, "d1", {"s": "click", "gain": 0.5}, 10))
        engine.process_blocks(10)
        # a new instrument on the same track, and a new track: pools and a mixer rebuild mid-recording
        engine.schedule(NoteEvent(start + 4000, "d1", {"s": "beep", "note": 81, "gain": 0.5, "attack": 0.0}, 48))
        engine.schedule(NoteEvent(start + 5000, "d2", {"s": "click", "gain": 0.5}, 10))
        engine.process_blocks(30)
        paths = engine.record_stop()
    master = _read(paths["master"])
    assert master.shape[0] == 40 * 256                      # every block since record_start
    found = _onsets(master[:, 0], threshold=0.01)
    assert found[0] == 700 and 4000 <= found[1] <= 4003 and found[-1] == 5000
    assert _onsets(_read(paths["d1"])[:, 0], threshold=0.01)[0] == 700


def test_processed_master_is_latency_compensated_and_aligned_with_stems(tmp_path: Path) -> None:
    times = [1000 + i * 1237 + (i * i) % 61 for i in range(20)]
    events = [NoteEvent(t, "d1", {"s": "click", "gain": 0.5}, 10) for t in times]
    result = render(events, tmp_path / "m.wav", sample_format="float", stems=tmp_path / "stems",
                    resolver=resolve_test_voice, tail=0.05)              # master EQ/comp/limiter on
    master, stem = _read(result.path), _read(result.stems["d1"])
    assert master.shape == stem.shape
    assert _onsets(master[:, 0], threshold=0.05) == times == _onsets(stem[:, 0], threshold=0.05)


def test_remove_track_drops_its_queued_notes_and_fades_it_out(tmp_path: Path) -> None:
    with Engine("manual", block_size=256, resolver=resolve_test_voice) as engine:
        engine.add_track("d1", ["click", "beep"])
        engine.add_track("d2", ["click"])
        _neutral(engine)
        engine.record_start(tmp_path / "rm.wav", sample_format="float")
        engine.schedule(NoteEvent(300, "d1", {"s": "beep", "gain": 0.5, "sustain": 1.0}, SR))
        engine.schedule(NoteEvent(9000, "d1", {"s": "click", "gain": 0.5}, 10))      # dropped
        engine.schedule(NoteEvent(9500, "d2", {"s": "click", "gain": 0.5}, 10))      # kept
        engine.process_blocks(20)
        engine.remove_track("d1")
        engine.process_blocks(30)
        assert engine.tracks() == ["d2"]
        with pytest.raises(ParamError, match="no track 'd1'"):
            engine.remove_track("d1")
        audio = _read(engine.record_stop()["master"])
    assert np.max(np.abs(audio[2000:5000, 0])) > 0.3                 # the beep sounded
    assert _onsets(audio[7000:, 0], threshold=0.45) == [9500 - 7000]   # d2's click only, not d1's at 9000
    assert np.max(np.abs(audio[9600:, 0])) < 1e-3                   # d1 faded out after removal


def test_effect_parameters_queued_for_the_old_chain_do_not_reach_the_new_one() -> None:
    """A pattern's effect parameters are queued ahead (`"fx.0.cutoff"` at a later frame); a
    new chain replaces the old one at once, so those would reach another effect at index 0, or
    an index the new chain lacks (a soak counted "chain: no effect at index 0" in the callback)."""
    with Engine("manual", block_size=256, resolver=resolve_test_voice) as engine:
        engine.add_track("d1", ["beep"])
        engine.set_chain("d1", [{"kind": "lpf", "cutoff": 800}])
        engine.process_blocks(2)
        later = engine.now() + 4 * 256
        engine.schedule(ParamEvent(later, "d1", "fx.0.cutoff", 300.0))     # for the old lpf
        engine.schedule(ParamEvent(later, "d1", "gain", -6.0))             # not an effect's: stays
        engine.set_chain("d1", [{"kind": "hpf", "cutoff": 2000}])
        engine.schedule(ParamEvent(later + 2 * 256, "d1", "fx.0.cutoff", 2500.0))   # for the new hpf
        engine.process_blocks(6)
        chain = engine.mixer.strip("d1").chain
        assert chain.kinds() == ["hpf"] and chain[0].values["cutoff"] == 2000.0   # not 300
        engine.process_blocks(4)
        assert chain[0].values["cutoff"] == 2500.0
        assert engine.mixer.strip("d1").values["gain"] == -6.0
        engine.set_chain("d1", [{"kind": "lpf", "cutoff": 900}])
        engine.schedule(ParamEvent(engine.now() + 256, "d1", "fx.0.cutoff", 400.0))
        engine.set_chain("d1", [])
        engine.process_blocks(4)
        assert engine.stats()["errors"] == 0
        engine.set_chain("d1", [{"kind": "lpf", "cutoff": 900}])
        engine.schedule(ParamEvent(engine.now() + 256, "d1", "fx.0.cutoff", 400.0))
        engine.set_chain("d1", [{"kind": "lpf", "cutoff": 700}])     # the same kinds: it fits
        engine.process_blocks(4)
        assert engine.mixer.strip("d1").chain[0].values["cutoff"] == 400.0
