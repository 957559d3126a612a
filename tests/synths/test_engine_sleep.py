"""Sleeping parameters: an idle smoothed parameter costs almost nothing, a set still glides from
its exact sample, and the engine puts it back to sleep holding exactly the new value."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import scipy.io.wavfile as wavfile

sys.path.insert(0, str(Path(__file__).parent))

from test_fx_rig import SR, Rig, rig  # noqa: E402

from synths._pyo import pyo  # noqa: E402
from synths.effects.base import DEFAULT_RAMP, ParamSleeper, SmoothParam  # noqa: E402
from synths.engine import SLEEP_AFTER, Engine  # noqa: E402
from synths.mixer import MASTER_FADE, MASTER_FADE_AFTER  # noqa: E402
from synths.events import NoteEvent  # noqa: E402
from synths.testvoices import resolve_test_voice  # noqa: E402
from synths.params import ParamSpec  # noqa: E402

__all__ = ["rig"]

BLOCK = 256


def test_a_sleeping_param_glides_from_its_exact_sample_then_sleeps_on_the_value(rig: Rig) -> None:
    sleeper = ParamSleeper(SR)
    param = SmoothParam(ParamSpec("x", 0.0, 0.0, 1.0), 0.25, sr=SR, trig=pyo().Trig(), sleeper=sleeper)
    assert param.asleep
    states: list[bool] = []

    def during(_: Rig, index: int) -> None:
        if index == 2:
            param.set(0.25)                       # the value it holds: stays asleep
            states.append(param.asleep)
            param.set(1.0, delay=100 / SR)
            states.append(param.asleep)
        sleeper.tick(index * BLOCK)
        states.append(param.asleep)

    audio = rig.record(param.sig, 0.2, during=during)[:, 0]
    onset = 2 * BLOCK + 100
    assert np.all(audio[:onset] == np.float32(0.25))
    assert audio[onset] > 0.25
    glide = int(DEFAULT_RAMP * SR)
    assert np.all(np.diff(audio[onset:onset + glide - 1]) > 0)           # a ramp, no step
    assert np.all(audio[onset + glide + 1:] == 1.0)                  # held exactly, asleep or not
    # states: tick 0, tick 1, set(0.25), set(1.0), tick 2, tick 3 ...
    assert states[:5] == [True, True, True, False, False] and states[-1] is True and sleeper.awake == 0
    asleep_at = states.index(True, 5) - 2                             # the block it slept in
    assert asleep_at > 2 + (100 + glide) // BLOCK                     # not before the glide ended

def test_the_sleeper_frees_no_parameter_in_the_callback_only_at_release() -> None:
    """`tick` runs in the audio callback: a parameter whose effect is gone must not be freed
    there (its pyo objects would leave pyo's stream list from the audio thread)."""
    import weakref

    server = pyo().Server(sr=SR, nchnls=2, buffersize=BLOCK, audio="manual", duplex=0).boot()
    sleeper = ParamSleeper(SR)
    param = SmoothParam(ParamSpec("x", 0.0, 0.0, 1.0), 0.0, sr=SR, trig=pyo().Trig(), sleeper=sleeper)
    param.set(1.0)
    gone = weakref.ref(param)
    del param                                              # its effect was removed meanwhile
    for index in range(40):
        sleeper.tick(index * BLOCK)
    assert sleeper.awake == 0 and gone() is not None        # asleep, still held
    assert sleeper.release() == 1
    assert gone() is None                                   # freed here, by the caller's thread
    server.shutdown()



def test_the_engine_puts_mixer_params_back_to_sleep(tmp_path: Path) -> None:
    from synths.testvoices import resolve_test_voice

    with Engine("offline", resolver=resolve_test_voice) as engine:
        engine.add_track("d1", ["beep"])
        engine.set_chain("d1", [{"kind": "lpf", "cutoff": 900}])
        engine.process_blocks(4)
        sleeper = engine.mixer.ctx.sleeper
        strip = engine.mixer.strip("d1")
        engine.set_param("d1", "gain", -6.0, time=engine.now() + 300)
        engine.set_param("d1", "fx.lpf.cutoff", 500.0, time=engine.now() + 300)
        engine.process_blocks(2)
        assert sleeper.awake == 2 and not strip._params["gain"].asleep
        engine.process_blocks(10)                # 20 ms glide + margin: asleep again
        assert sleeper.awake == 0 and strip._params["gain"].asleep
        assert strip.values["gain"] == -6.0


def test_a_neutral_master_stops_its_processing_and_restarts_it(tmp_path: Path) -> None:
    from synths.testvoices import resolve_test_voice

    with Engine("offline", resolver=resolve_test_voice) as engine:
        engine.add_track("d1", ["beep"])
        engine.process_blocks(2)
        master = engine.mixer.master
        assert master.processing
        master.set_neutral(True)
        engine.process_blocks(2)
        assert master.processing                  # still gliding to dry
        engine.process_blocks(8)
        assert not master.processing
        master.set_neutral(False)
        assert master.processing                  # at once: its glide starts in the next block


def test_send_buses_sleep_until_a_track_first_sends_to_them(tmp_path: Path) -> None:
    from synths.testvoices import resolve_test_voice

    with Engine("offline", resolver=resolve_test_voice) as engine:
        engine.add_track("d1", ["beep"])
        engine.process_blocks(2)
        mixer = engine.mixer
        assert not mixer.bus_active("reverb") and not mixer.bus_active("delay")
        engine.add_track("d2", ["beep"])                       # a rebuild keeps them asleep
        engine.process_blocks(2)
        assert not mixer.bus_active("reverb")
        mixer.set_param("d2.send.reverb", 0.0)                 # 0 is no send
        assert not mixer.bus_active("reverb")
        mixer.set_param("d2.send.reverb", 0.4)
        assert mixer.bus_active("reverb") and not mixer.bus_active("delay")


def test_fitted_render_pools_are_just_big_enough_to_steal_nothing() -> None:
    from synths.events import NoteEvent
    from synths.render import polyphony_needed
    from synths.testvoices import resolve_test_voice

    # overlapping beeps (held 0.1 s + release) on d1, sparse clicks on d2
    events = [NoteEvent(300 + 1500 * i, "d1", {"s": "beep", "release": 0.05}, 4800) for i in range(12)]
    events += [NoteEvent(20000 * i, "d2", {"s": "click"}, 10) for i in range(3)]
    needed = polyphony_needed(events, resolve_test_voice, 48000, 256)
    assert needed["d2"] == 1 and needed["d1"] > 1
    steals = {}
    for poly in (needed["d1"], needed["d1"] - 1):
        with Engine("offline", resolver=resolve_test_voice) as engine:
            engine.add_track("d1", ["beep"], polyphony=poly)
            engine.schedule_many(events[:12])
            engine.process_blocks(40)
            steals[poly] = engine.stats()["steals"]
    assert steals[needed["d1"]] == 0 and steals[needed["d1"] - 1] > 0


def test_a_quiet_strip_sleeps_and_its_next_note_wakes_it_on_its_sample(tmp_path: Path) -> None:
    """Voices asleep and output silent for SLEEP_AFTER: the strip's objects stop; a note wakes it
    at the start of its block and still starts on its exact sample."""
    with Engine("manual", block_size=BLOCK, resolver=resolve_test_voice) as engine:
        engine.add_track("d1", ["click"])
        engine.add_track("d2", ["beep"])
        engine.mixer.master.set_neutral(True)
        engine.schedule(NoteEvent(1000, "d1", {"s": "click", "gain": 0.5}, 10))
        engine.schedule(NoteEvent(1000, "d2", {"s": "beep", "gain": 0.3}, SR * 4))   # keeps d2 busy
        engine.record_start(tmp_path / "m.wav", sample_format="float")
        engine.process_blocks(int((SLEEP_AFTER + 0.3) * SR / BLOCK))
        assert engine.stats()["strips_asleep"] == 1                 # d1 sleeps, d2 plays on
        late_onset = engine.now() + 5 * BLOCK + 77
        engine.schedule(NoteEvent(late_onset, "d1", {"s": "click", "gain": 0.5}, 10))
        engine.process_blocks(10)
        assert engine.stats()["strips_asleep"] == 0
        engine.set_param("d2", "gain", -96.0)
        paths = engine.record_stop()
    audio = wavfile.read(paths["master"])[1][:, 0].astype(np.float64)
    clicks = np.nonzero(np.abs(np.diff(audio)) > 0.2)[0]
    assert 1000 - 1 in clicks or 1000 in clicks
    assert any(abs(int(c) - late_onset) <= 1 for c in clicks), (late_onset, clicks[-5:])


def test_a_live_rebuild_switches_to_the_new_master_at_a_block_start() -> None:
    """A rebuild made beside the running graph (`swap_later`) leaves the old master on the output
    until the next block start, then the hand-over stage alone (never both, never neither),
    which crossfades to the new master; then the old master stops."""
    with Engine("manual", block_size=BLOCK, resolver=resolve_test_voice) as engine:
        engine.add_track("d1", ["beep"])
        engine.process_blocks(4)
        mixer = engine.mixer
        old = mixer.master
        mixer.add_track("d2")
        mixer.rebuild(swap_later=True)
        new, stage = mixer.master, mixer.heard
        assert new is not old and stage is not new.out
        assert old.out.isOutputting() and not stage.isOutputting()       # until the block start
        engine.process_blocks(1)
        assert stage.isOutputting() and not old.out.isOutputting() and not new.out.isOutputting()
        assert old.out.isPlaying()                                       # the stage reads it
        engine.process_blocks(int((MASTER_FADE_AFTER + MASTER_FADE + 0.05) * SR / BLOCK))
        mixer.meters()                                                   # collects the hand-over
        mixer.rebuild()
        assert not old.out.isPlaying()


def _playing(engine: Engine) -> int:
    server = engine.mixer.master.out.getBaseObjects()[0].getServer()
    return sum(1 for stream in server.getStreams() if stream.isPlaying())


def test_sleeping_strips_stop_their_controls_sends_and_meters_and_wake_with_fresh_meters() -> None:
    """After hush, a silent set costs nearly what an empty session costs: every sleeping strip
    stops its glides, pan, sends and meter tap too (about one object per track is left: the
    trigger of its last voice), a used send bus sleeps once every strip sleeps and its tail has
    died, and a strip's meter shows the new level as soon as it wakes (the bus wakes with it)."""
    with Engine("manual", block_size=BLOCK, resolver=resolve_test_voice) as engine:
        engine.process_blocks(4)
        empty = _playing(engine)
        for index in range(8):
            engine.add_track(f"d{index + 1}", ["beep"])
            engine.schedule(NoteEvent(1000, f"d{index + 1}", {"s": "beep", "gain": 0.3}, SR // 10))
        engine.set_param("d1", "send.reverb", 0.3)
        engine.process_blocks(int((SLEEP_AFTER + 0.6) * SR / BLOCK))
        assert engine.mixer.bus_active("reverb")            # its tail rings on
        engine.process_blocks(int(7.5 * SR / BLOCK))        # the tail reaches -140 dBFS in ~6.5 s
        stats = engine.stats()
        assert stats["strips_asleep"] == 8 and not engine.mixer.bus_active("reverb")
        assert _playing(engine) - empty <= 2 * 8, (_playing(engine), empty)
        assert stats["meters"]["d1"]["peak"] < -100
        engine.process_blocks(int(2 * SR / BLOCK))            # longer than the meter's ring
        assert engine.stats()["meters"]["d1"]["peak"] < -100   # no stale ring read as new
        engine.schedule(NoteEvent(engine.now() + 2 * BLOCK, "d1", {"s": "beep", "gain": 0.5}, SR))
        engine.process_blocks(int(0.3 * SR / BLOCK))
        stats = engine.stats()
        assert stats["strips_asleep"] == 7 and engine.mixer.bus_active("reverb")
        assert stats["meters"]["d1"]["peak"] > -20 and stats["meters"]["d2"]["peak"] < -100
        reverb = engine.mixer.buses["reverb"].out.getBaseObjects()[0]._getStream().getValue()
        assert reverb != 0.0                                # the woken bus rings with the note

