"""Pre-allocated voice pools: one per (track, instrument), no pyo object created per note.

Each slot is `Trig -> SDelay((offset + 0.5) / sr) -> Voice -> pan -> steal fade`. To play a
note the pool picks a slot, calls `Voice.set_note`, sets the SDelay to the onset's offset in the
coming block and fires the `Trig`: the voice starts on its exact sample.

Slot choice: a free slot (its previous note's tail is over) first. When `polyphony` notes already
sound, the oldest is stolen: its gain fades to 0 in `fade` seconds while the new note starts on a
spare slot (the pool holds `polyphony + spare` slots), so the stolen note fades instead of being
cut. Only when every slot is busy is the slot with the earliest end hard-restarted.

>>> pan_gains(0.5), pan_gains(0.0), pan_gains(1.0)
((1.0, 1.0), (1.0, 0.0), (0.0, 1.0))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from synths._pyo import pyo
from synths.errors import ParamError
from synths.voice import Voice

__all__ = ["VoicePool", "pan_gains", "DEFAULT_FADE"]

DEFAULT_FADE = 0.005
"""Seconds of the fade-out applied to a stolen, choked or panicked voice."""


def pan_gains(pan: float) -> tuple[float, float]:
    """Left/right gains for a Strudel pan (0 left, 0.5 centre at unity, 1 right): a balance law.

    >>> pan_gains(0.25)
    (1.0, 0.5)
    """
    pan = min(1.0, max(0.0, pan))
    return min(1.0, 2.0 * (1.0 - pan)), min(1.0, 2.0 * pan)


@dataclass(slots=True)
class _Slot:
    """One voice with its trigger, onset delay, pan and steal-fade objects, and its bookkeeping."""

    trig: Any
    trig_base: Any
    delay: Any
    delay_base: Any
    voice: Voice
    pan: Any
    fade: Any
    out: Any
    started: int = -1
    busy_until: int = -1
    faded: bool = True


class VoicePool:
    """`polyphony` voices of one instrument (plus spare slots for fading steals), summed to stereo.

    `out` is a 2-channel pyo object (not `.out()`-ed). Call `trigger` only from the audio callback
    (or between blocks in manual mode).

    >>> pool = VoicePool(Click, polyphony=4, sr=48000, block_size=256)    # doctest: +SKIP
    >>> pool.trigger({"gain": 1.0, "velocity": 1.0, "pan": 0.5}, 0.1, offset=17, now=0)  # doctest: +SKIP
    """

    def __init__(
        self,
        voice_cls: type[Voice],
        polyphony: int,
        sr: float,
        block_size: int,
        *,
        fade: float = DEFAULT_FADE,
        spare: int | None = None,
    ) -> None:
        if isinstance(polyphony, bool) or not isinstance(polyphony, int) or not 1 <= polyphony <= 256:
            raise ParamError(f"VoicePool: polyphony must be an int in [1, 256], not {polyphony!r}")
        p = pyo()
        self.voice_cls = voice_cls
        self.polyphony = polyphony
        self.sr = float(sr)
        self.block_size = int(block_size)
        self.fade_time = float(fade)
        self.fade_frames = int(round(fade * sr)) + self.block_size
        self.steals = 0
        count = polyphony + (spare if spare is not None else max(1, polyphony // 4))
        max_delay = (self.block_size + 2) / self.sr
        self.slots: list[_Slot] = []
        for _ in range(count):
            trig = p.Trig().stop()  # a new Trig fires once on creation; stay silent
            delay = p.SDelay(trig, delay=0.5 / self.sr, maxdelay=max_delay)
            voice = voice_cls(delay, self.sr)
            if voice.out is None:
                raise ParamError(f"{voice_cls.__name__}: __init__ must set self.out")
            pan = p.Sig([1.0, 1.0])
            fade_sig = p.SigTo(1.0, time=self.fade_time)
            out = voice.out * pan * fade_sig
            self.slots.append(
                _Slot(trig, trig._base_objs[0], delay, delay._base_objs, voice, pan, fade_sig, out)
            )
        self.out = p.Mix([slot.out for slot in self.slots], voices=2)

    def sounding(self, now: int) -> int:
        """How many slots play a note that is neither over nor stolen at frame `now`."""
        return sum(1 for slot in self.slots if not slot.faded and slot.busy_until > now)

    def trigger(self, params: Mapping[str, Any], dur: float, offset: int, now: int) -> None:
        """Start a note `offset` samples into the block that begins at frame `now`.

        `params` are validated (see `Voice.set_note`); `dur` is the held time in seconds.
        """
        onset = now + offset
        if self.sounding(now) >= self.polyphony:
            self._steal_oldest(now)
        slot = self._pick(now)
        slot.voice.set_note(params, dur)
        left, right = pan_gains(float(params.get("pan", 0.5)))
        slot.pan.value = [left, right]
        if slot.faded:
            slot.fade.time = 0.0
            slot.fade.value = 1.0
            slot.faded = False
        seconds = (offset + 0.5) / self.sr
        for base in slot.delay_base:
            base.setDelay(seconds)
        slot.trig_base.play(0, 0)
        slot.started = onset
        tail = max(0.0, float(slot.voice.tail(params, dur)))
        slot.busy_until = onset + int(tail * self.sr) + self.block_size

    def _pick(self, now: int) -> _Slot:
        free = [slot for slot in self.slots if slot.busy_until <= now]
        if free:
            return min(free, key=lambda slot: slot.busy_until)
        faded = [slot for slot in self.slots if slot.faded]
        pool = faded or self.slots
        return min(pool, key=lambda slot: (slot.busy_until, slot.started))

    def _steal_oldest(self, now: int) -> None:
        playing = [slot for slot in self.slots if not slot.faded and slot.busy_until > now]
        if playing:
            self._fade_out(min(playing, key=lambda slot: slot.started))
            self.steals += 1

    def _fade_out(self, slot: _Slot, seconds: float | None = None) -> None:
        slot.fade.time = self.fade_time if seconds is None else seconds
        slot.fade.value = 0.0
        slot.faded = True

    def release_all(self, now: int, seconds: float | None = None) -> int:
        """Fade out every sounding voice (choke, panic); return how many were faded."""
        count = 0
        for slot in self.slots:
            if not slot.faded and slot.busy_until > now:
                self._fade_out(slot, seconds)
                count += 1
        return count
