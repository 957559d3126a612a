"""Pre-allocated voice pools: one per (track, instrument), no pyo object created per note.

Each slot is `Trig -> SDelay((offset + 0.5) / sr) -> Voice -> pan -> steal fade`. To play a
note the pool picks a slot, calls `Voice.set_note`, sets the SDelay to the onset's offset in the
coming block and fires the `Trig`: the voice starts on its exact sample.

Slot choice: a free slot (its previous note's tail is over) first. When `polyphony` notes already
sound, the oldest is stolen: its gain fades to 0 in `fade` seconds while the new note starts on a
spare slot (the pool holds `polyphony + spare` slots), so the stolen note fades instead of being
cut. Only when every slot is busy is the slot with the earliest end hard-restarted.

Cut groups (Tidal's `cut`): a note with `cut` k > 0 fades out this pool's sounding notes of
group k before it starts. A voice class may link the pool's voices once they are built
(`link_pool(voices)`, e.g. one glide memory per pool, so two tracks glide independently).

Idle voices sleep: given the pyo `server`, the pool records the streams each slot created and
stops them once the slot's note is over (`sleep_idle`, called by the engine once per block), and
plays them again when the slot is triggered. A stopped pyo object costs no CPU and outputs zeros,
so a large pool costs only what its sounding voices cost.

>>> pan_gains(0.5), pan_gains(0.0), pan_gains(1.0)
((1.0, 1.0), (1.0, 0.0), (0.0, 1.0))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from synths._pyo import pyo
from synths.errors import ParamError
from synths.noise import noise_key
from synths.voice import Voice

__all__ = ["VoicePool", "pan_gains", "cut_group", "DEFAULT_FADE"]

_NEVER = 1 << 62

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
    """One voice with its trigger, onset delay, stereo gains (pan x steal fade) and bookkeeping."""

    trig: Any
    trig_base: Any
    delay: Any
    delay_base: Any
    voice: Voice
    gains: Any
    out: Any
    started: int = -1
    busy_until: int = -1
    faded: bool = True
    streams: tuple[Any, ...] = ()
    awake: bool = True
    cut: int = 0
    armed_for: int = -1
    """The onset (frame) of the note armed on this slot (`VoicePool.arm`); -1: none. A slot
    armed for a frame not yet past is taken by no other note."""
    owner: object = None
    sound: float = 0.0
    tail: float = 0.0

    def wake(self) -> None:
        """Play every stream of the slot again (block-exact; the trigger stays sample-exact)."""
        if not self.awake:
            for base in self.streams:
                base.play(0, 0)
            self.awake = True

    def sleep(self) -> None:
        """Stop every stream of the slot: no CPU, silent output."""
        if self.awake:
            for base in self.streams:
                base.stop()
            self.awake = False


def cut_group(params: Mapping[str, Any]) -> int:
    """The note's cut group (0: none).

    >>> cut_group({"cut": 2.0}), cut_group({})
    (2, 0)
    """
    return max(0, int(float(params.get("cut", 0.0))))


def _stream_ids(obj: Any) -> list[int]:
    return [int(base._getStream().getId()) for base in obj._base_objs]


def _slot_streams(server: Any, bounds: list[tuple[int, int]]) -> list[tuple[Any, ...]]:
    """The playing streams of each slot: pyo numbers streams in creation order, so a slot owns the
    ids from its first object to its last (`bounds`, inclusive)."""
    found: list[list[Any]] = [[] for _ in bounds]
    if server is None or not bounds:
        return [() for _ in bounds]
    low, high = bounds[0][0], bounds[-1][1]
    index = 0
    for stream in server.getStreams():
        ident = stream.getId()
        if ident < low or ident > high or not stream.isPlaying():
            continue
        while bounds[index][1] < ident:
            index += 1
        if ident >= bounds[index][0]:
            found[index].append(stream.getStreamObject())
    return [tuple(items) for items in found]


class VoicePool:
    """`polyphony` voices of one instrument (plus spare slots for fading steals), summed to stereo.

    `out` is a 2-channel pyo object (not `.out()`-ed). Call `trigger` only from the audio callback
    (or between blocks in manual mode).

    Usage (not run as a doctest: it needs a running engine or device)::

        pool = VoicePool(Click, polyphony=4, sr=48000, block_size=256)
        pool.trigger({"gain": 1.0, "velocity": 1.0, "pan": 0.5}, 0.1, offset=17, now=0)
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
        server: Any = None,
        sleep_margin: float = 0.05,
        slots: int | None = None,
        name: str = "",
    ) -> None:
        if isinstance(polyphony, bool) or not isinstance(polyphony, int) or not 1 <= polyphony <= 256:
            raise ParamError(f"VoicePool: polyphony must be an int in [1, 256], not {polyphony!r}")
        p = pyo()
        self.voice_cls = voice_cls
        self.polyphony = polyphony
        self.sr = float(sr)
        self.block_size = int(block_size)
        self.fade_time = float(fade)
        self.steals = 0
        self.sleep_margin = int(sleep_margin * sr)
        self.next_check = _NEVER
        self.full = polyphony + (spare if spare is not None else max(1, polyphony // 4))
        """The most slots the pool holds (`polyphony` plus spares for fading steals)."""
        if slots is not None and (isinstance(slots, bool) or not isinstance(slots, int) or slots < 1):
            raise ParamError(f"VoicePool: slots must be an int >= 1, not {slots!r}")
        self._server = server
        self.name = name
        """Names the noise of the voices: slot k's generators are keyed `"<name>/<class>/k"`
        (`synths.noise`), so a track's noise does not depend on what else was built."""
        self._expected: list[tuple[int, int]] = []
        self.slots: list[_Slot] = []
        self.out: Any = None
        self.grow(self.full if slots is None else min(slots, self.full))

    @property
    def capacity(self) -> int:
        """How many slots exist now (`grow` adds more, up to `full`)."""
        return len(self.slots)

    def grow(self, count: int) -> int:
        """Create up to `count` more slots (never beyond `full`), asleep, and a new `out` that sums
        them all (the mixer must then read the new `out`); returns how many were created. Call it
        outside the audio callback: it builds pyo objects.

        Usage (not run as a doctest: it needs a running engine)::

            pool = VoicePool(Click, polyphony=8, sr=48000, block_size=256, slots=2)
            pool.grow(3) -> 3; pool.capacity -> 5
        """
        p = pyo()
        count = max(0, min(int(count), self.full - len(self.slots)))
        if count == 0:
            return 0
        max_delay = (self.block_size + 2) / self.sr
        fresh: list[_Slot] = []
        for index in range(len(self.slots), len(self.slots) + count):
            trig = p.Trig().stop()  # a new Trig fires once on creation; stay silent
            delay = p.SDelay(trig, delay=0.5 / self.sr, maxdelay=max_delay)
            with noise_key(f"{self.name}/{self.voice_cls.__name__}/{index}"):
                voice = self.voice_cls(delay, self.sr)
            if voice.out is None:
                raise ParamError(f"{self.voice_cls.__name__}: __init__ must set self.out")
            gains = p.SigTo([1.0, 1.0], time=self.fade_time)   # pan law x steal fade, per channel
            out = voice.out * gains
            fresh.append(_Slot(trig, trig._base_objs[0], delay, delay._base_objs, voice, gains, out))
        # a slot's first stream is its SDelay's input fader (pyo creates it before the SDelay)
        bounds = [(min(_stream_ids(slot.delay._in_fader) + _stream_ids(slot.delay)),
                   max(_stream_ids(slot.out))) for slot in fresh]
        for slot, streams in zip(fresh, _slot_streams(self._server, bounds)):
            slot.streams = streams
            slot.sleep()
        self.slots.extend(fresh)
        self.out = p.Mix([slot.out for slot in self.slots], voices=2)
        link = getattr(self.voice_cls, "link_pool", None)
        if callable(link):
            link([slot.voice for slot in self.slots])
        return count

    def expect(self, onset: int, end: int) -> int:
        """Count a note scheduled from frame `onset` until `end` (its tail included) and return
        how many scheduled notes sound at `onset`, this one included: what the pool will need
        when it plays (notes arrive roughly in time order; older ones are forgotten).

        Usage (not run as a doctest: it needs a running engine)::

            pool.expect(0, 48000) -> 1; pool.expect(24000, 30000) -> 2
        """
        self._expected = [(start, stop) for start, stop in self._expected if stop > onset]
        self._expected.append((onset, end))
        return sum(1 for start, stop in self._expected if start <= onset < stop)

    def sounding(self, now: int) -> int:
        """How many slots play a note that is neither over nor stolen at frame `now`."""
        return sum(1 for slot in self.slots if not slot.faded and slot.busy_until > now)

    def arm(self, params: Mapping[str, Any], dur: float, onset: int, now: int, owner: object) -> bool:
        """Set up the note at frame `onset` ahead, at frame `now`, on a slot that is silent now
        and that no other note takes before `onset` (`Voice.arm_note`): the onset's block then
        only starts it (`trigger(..., owner=owner)`). False: no free slot, or a voice that cannot.
        Call it from the audio callback, like `trigger`."""
        free = [slot for slot in self.slots if slot.busy_until <= now and slot.armed_for < now]
        if not free:
            return False
        slot = min(free, key=lambda slot: slot.busy_until)
        sound = slot.voice.arm_note(params, dur)
        if sound is None:
            return False
        slot.armed_for, slot.owner, slot.sound = onset, owner, sound
        slot.tail = max(0.0, float(slot.voice.tail(params, dur)))
        return True

    def trigger(self, params: Mapping[str, Any], dur: float, offset: int, now: int, owner: object = None) -> None:
        """Start a note `offset` samples into the block that begins at frame `now` (the note
        `arm`ed for `owner`, when it is still armed).

        `params` are validated (see `Voice.set_note`); `dur` is the held time in seconds.
        """
        onset = now + offset
        group = cut_group(params)
        if group:
            self.cut(group, now)
        if self.sounding(now) >= self.polyphony:
            self._steal_oldest(now)
        armed = self._armed(owner, now) if owner is not None else None
        slot = armed or self._pick(now)
        slot.cut = group
        slot.wake()
        if armed is not None:
            slot.voice.start_note(slot.sound)
        else:
            slot.voice.set_note(params, dur)
        gains = pan_gains(float(params.get("pan", 0.5)))
        slot.gains._time, slot.gains._value = 0.0, list(gains)      # what .time/.value read
        for base, gain in zip(slot.gains._base_objs, gains):        # at C speed: the hot path
            base.setTime(0.0)
            base.setValue(gain)
        slot.faded = False
        seconds = (offset + 0.5) / self.sr
        for base in slot.delay_base:
            base.setDelay(seconds)
        slot.trig_base.play(0, 0)
        slot.started = onset
        tail = slot.tail if armed is not None else max(0.0, float(slot.voice.tail(params, dur)))
        slot.busy_until = onset + int(tail * self.sr) + self.block_size
        self.next_check = min(self.next_check, slot.busy_until + self.sleep_margin)

    def free(self) -> None:
        """Drop every pyo object, oldest first (call once nothing reads `out` any more).

        pyo removes a freed stream by scanning its stream list from the oldest: freeing a pool's
        slots in creation order keeps each scan short (in reverse, closing a 16-track engine
        took ~0.7 s of scanning).
        """
        self.out = None
        while self.slots:
            self.slots.pop(0)

    @property
    def idle(self) -> bool:
        """True when every slot sleeps (no note sounding or ringing)."""
        return self.next_check >= _NEVER

    def awake(self) -> int:
        """How many slots are awake (computing audio)."""
        return sum(1 for slot in self.slots if slot.awake)

    def sleep_idle(self, now: int) -> None:
        """Stop the slots whose note (and tail) is over; cheap when nothing is due (`next_check`)."""
        if now < self.next_check:
            return
        upcoming = None
        for slot in self.slots:
            if not slot.awake:
                continue
            end = slot.busy_until + self.sleep_margin
            if end <= now:
                slot.sleep()
            elif upcoming is None or end < upcoming:
                upcoming = end
        self.next_check = upcoming if upcoming is not None else _NEVER

    def disarm(self, owner: object) -> bool:
        """Free the slot armed for `owner`'s note (its note was dropped); False: none was."""
        for slot in self.slots:
            if slot.owner is owner:
                slot.armed_for, slot.owner = -1, None
                return True
        return False

    def _armed(self, owner: object, now: int) -> _Slot | None:
        """The slot armed for `owner`'s note (and no longer armed), or None."""
        for slot in self.slots:
            if slot.owner is owner and slot.armed_for >= now:
                slot.armed_for, slot.owner = -1, None
                return slot
        return None

    def _pick(self, now: int) -> _Slot:
        unarmed = [slot for slot in self.slots if slot.armed_for < now] or self.slots
        free = [slot for slot in unarmed if slot.busy_until <= now]
        if free:
            slot = min(free, key=lambda slot: slot.busy_until)
        else:
            faded = [slot for slot in unarmed if slot.faded]
            slot = min(faded or unarmed, key=lambda slot: (slot.busy_until, slot.started))
        slot.armed_for, slot.owner = -1, None        # every slot armed: that note plays unarmed
        return slot

    def _steal_oldest(self, now: int) -> None:
        playing = [slot for slot in self.slots if not slot.faded and slot.busy_until > now]
        if playing:
            self._fade_out(min(playing, key=lambda slot: slot.started))
            self.steals += 1

    def _fade_out(self, slot: _Slot, seconds: float | None = None) -> None:
        slot.gains.time = self.fade_time if seconds is None else seconds
        slot.gains.value = [0.0, 0.0]
        slot.faded = True

    def cut(self, group: int, now: int) -> int:
        """Fade out the sounding notes of cut group `group`; return how many were faded."""
        count = 0
        for slot in self.slots:
            if slot.cut == group and not slot.faded and slot.busy_until > now:
                self._fade_out(slot)
                count += 1
        return count

    def release_all(self, now: int, seconds: float | None = None, *, sleep: bool = False) -> int:
        """Fade out every sounding voice (choke, panic) and forget what was armed; return how
        many were faded. With `sleep` (panic) each faded voice sleeps once its fade is over,
        not at the end of its note's tail: silence is cheap at once."""
        count = 0
        for slot in self.slots:
            slot.armed_for, slot.owner = -1, None
            if not slot.faded and slot.busy_until > now:
                self._fade_out(slot, seconds)
                count += 1
                if sleep:
                    fade = self.fade_time if seconds is None else seconds
                    slot.busy_until = min(slot.busy_until, now + int(fade * self.sr) + self.block_size)
                    self.next_check = min(self.next_check, slot.busy_until + self.sleep_margin)
        return count
