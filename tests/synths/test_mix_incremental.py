"""Mixer rebuilds re-create only what changed, and retired objects leave through the reaper."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from test_fx_rig import SR, Rig, level_db, rig, tone  # noqa: E402

from synths._pyo import pyo  # noqa: E402
from synths.effects import EffectContext  # noqa: E402
from synths.effects.reaper import REAP_PAUSE, SETTLE_PAUSE, WAIT_PAUSE, Reaper  # noqa: E402
from synths.mixer import Mixer  # noqa: E402
from synths.recorder import Tap as RecorderTap  # noqa: E402

__all__ = ["rig"]


def _mixer(rig: Rig, names: tuple[str, ...] = ("d1", "d2")) -> Mixer:
    mixer = Mixer(rig.attach(EffectContext(SR, 120.0)), output=False)
    for index, name in enumerate(names):
        mixer.add_track(name).add_source(tone(300 + 200 * index, 0.3))
    mixer.rebuild(effects=True)
    mixer.master.set_neutral(True)
    return mixer


def _impulse(offset: int) -> tuple[Any, Any]:
    p = pyo()
    trig = p.Trig().stop()
    return trig, p.Mix(p.SDelay(trig, delay=(offset + 0.5) / SR), voices=2)


def _streams(mixer: Mixer) -> int:
    return len(mixer.master.out.getBaseObjects()[0].getServer().getStreams())


def test_a_new_track_rebuilds_only_its_own_strip_and_is_sample_exact(rig: Rig) -> None:
    mixer = _mixer(rig)
    kept = {name: mixer.strip(name).post_fader for name in ("d1", "d2")}
    rig.process(0.05)
    trig, source = _impulse(37)                      # a voice pool created while the set plays
    mixer.add_track("d3").add_source(source)
    mixer.rebuild()
    assert mixer.rebuilt == ["d3"]
    assert all(mixer.strip(name).post_fader is signal for name, signal in kept.items())
    mixer.set_param("d1.gain", -96.0)
    mixer.set_param("d2.gain", -96.0)
    rig.process(0.1)
    audio = rig.record(mixer.master.out, 0.05, during=lambda _, i: trig.play() if i == 2 else None)
    assert np.argmax(np.abs(audio[:, 0])) == 2 * 256 + 37
    mixer.set_param("d1.gain", 0.0)
    rig.process(0.1)
    assert level_db(rig.record(mixer.strip("d1").post_fader, 0.05)[:, 0]) > -15
    mixer.close()


def test_a_track_that_ducks_to_a_rebuilt_key_is_rebuilt_after_it(rig: Rig) -> None:
    mixer = _mixer(rig, ("d1", "d2", "d3"))
    mixer.strip("d3").chain.add("duck", key="d1")
    mixer.rebuild()
    assert mixer.rebuilt == ["d3"]                   # its keys changed
    mixer.strip("d1").add_source(tone(900, 0.1))
    mixer.rebuild()
    assert mixer.rebuilt == ["d1", "d3"]             # d2 keeps its objects
    mixer.close()


def test_a_rebuild_frees_nothing_itself_and_the_reaper_frees_the_retired(rig: Rig) -> None:
    mixer = _mixer(rig)
    rig.process(0.2)
    mixer.meters()
    reaper: Reaper = mixer.ctx.reaper
    reaper.reap()
    settled = _streams(mixer)
    for _ in range(4):
        strip = mixer.strip("d1")
        old = strip.sources[0]
        strip.remove_source(old)
        strip.add_source(tone(440, 0.2))
        before = _streams(mixer)
        mixer.rebuild()
        assert _streams(mixer) > before              # built beside the old: nothing freed yet
        assert reaper.pending > 0 and reaper.pause() == REAP_PAUSE
        rig.process(0.2)                             # the crossfades end
        mixer.meters()
    freed = reaper.reap()
    assert freed > 0
    assert _streams(mixer) <= settled + 4            # the one-per-rebuild tones are the rest
    assert reaper.pause() in (None, SETTLE_PAUSE, WAIT_PAUSE)   # nothing more to free now
    assert level_db(rig.record(mixer.master.out, 0.05)[:, 0]) > -15
    mixer.close()


def test_the_reaper_frees_within_its_budget_newest_first(rig: Rig) -> None:
    reaper = Reaper(settle_for=0.0)                  # no settling time: `WAIT_PAUSE` at once
    signals = [pyo().Sig(float(i)) for i in range(50)]
    reaper.bury(signals)
    kept = signals[10]
    del signals
    assert reaper.reap(budget=0.0) == 1              # the budget is checked after each free
    assert reaper.reap() == 48 and reaper.pending == 1
    assert reaper.pause() == WAIT_PAUSE              # held, but still in use
    del kept
    assert reaper.reap() == 1 and reaper.pause() is None and reaper.freed == 50


def test_a_removed_effect_leaves_through_the_reaper(rig: Rig) -> None:
    mixer = _mixer(rig)
    rig.process(0.1)
    mixer.meters()
    mixer.ctx.reaper.reap()
    before = _streams(mixer)
    chain = mixer.strip("d1").chain
    chain.add("chorus", mix=0.4)
    rig.process(0.1)
    assert _streams(mixer) > before + 10
    chain.remove(-1)
    rig.process(0.2)                                     # the crossfade ends
    mixer.meters()                                       # collects the faded effect
    assert mixer.ctx.reaper.pending > 10
    assert _streams(mixer) > before + 10                 # not freed in one cascade
    mixer.ctx.reaper.reap()
    assert _streams(mixer) <= before + 2                 # the chain's new output point
    assert level_db(rig.record(mixer.strip("d1").post_fader, 0.05)[:, 0]) > -15
    mixer.close()


def test_a_live_rebuild_hands_the_output_over_without_a_gap(rig: Rig) -> None:
    """A new master built beside the old one starts with an empty look-ahead: switched on alone
    it left a 79-sample hole in the output at every live rebuild. The output stage now
    crossfades, after the new master has filled, so the heard signal has no gap and no step."""
    mixer = _mixer(rig, ("d1",))
    mixer.master.set_neutral(False)
    rig.process(0.3)
    tap = RecorderTap(mixer.heard, SR)
    sentinels: list[Any] = []

    def follow(m: Mixer) -> None:                 # what the engine's recorder does
        sentinels.append(pyo().Sig(0.0))
        m.ctx.timer.next_block(lambda: tap.retarget(m.heard, sentinels[-1]))

    mixer.on_rebuild(follow)
    heard = mixer.heard
    chunks = [tap.read()]
    for index in range(60):
        if index == 10:
            mixer.strip("d1").add_source(tone(300, 0.0))      # a new (silent) pool: a rebuild
            mixer.rebuild(swap_later=True)
        rig.process(256 / SR)
        chunks.append(tap.read())
    assert mixer.heard is not heard                           # handed over to a new stage
    left = np.concatenate(chunks)[:, 0]
    assert len(left) >= 59 * 256
    lows = [np.abs(left[i:i + 64]).max() for i in range(0, len(left) - 64, 16)]
    assert min(lows) > 0.1                                    # no hole: a 300 Hz tone at 0.3
    assert np.abs(np.diff(left, 2)).max() < 0.01              # no step either
    mixer.close()


def test_live_rebuilds_leave_no_chain_of_old_masters_behind(rig: Rig) -> None:
    """Each live rebuild's output stage read the one before it for good, so every old master,
    and every strip and pool it read, stayed in pyo's stream list (walked every block) for the
    engine's life. Once a hand-over is over the stage lets go, and the reaper frees them."""
    mixer = _mixer(rig, ("d1",))
    reaper: Reaper = mixer.ctx.reaper
    rig.process(0.3)
    reaper.reap()
    counts = []
    for _ in range(6):
        mixer.strip("d1").add_source(tone(300, 0.0))          # a new (silent) pool: a rebuild
        mixer.rebuild(swap_later=True)
        for _ in range(3):                                    # the hand-over, then the meters poll
            rig.process(0.1)
            mixer.meters()
            reaper.reap()
        counts.append(_streams(mixer))
    assert reaper.pending == 0
    assert all(b - a <= 4 for a, b in zip(counts, counts[1:])), counts   # the new sources only (~180 without)
    mixer.close()
