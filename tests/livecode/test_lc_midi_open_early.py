"""A live session opens a MIDI port when a line names it (`Outputs.open_midi`), in the thread that
evaluates the line, so the scheduler's tick never opens one (a JACK port takes 40-90 ms); a
render's (manual) session opens none until a note goes there (MIDI is off in a render). A port
that fails to open is said once; the scheduler does not retry it; re-sending its line does.
The timing this buys, on JACK, is tested in test_lc_midi_audio_sync.py."""

from __future__ import annotations

import threading
import time

from keepport import KeepPort
from livecode.midi.port import MidiOut
from livecode.session import Session

__all__: list[str] = []


class Opener:
    """Opens `KeepPort`s (or refuses the names in `refused`) and notes which thread asked."""

    def __init__(self, refused: frozenset[str] = frozenset()) -> None:
        self.refused = refused
        self.opened: list[tuple[str, str]] = []

    def __call__(self, name: str) -> MidiOut:
        self.opened.append((name, threading.current_thread().name))
        if name in self.refused:
            raise OSError(f"no MIDI input matches {name!r}")
        return KeepPort(name)


def session_with(opener: Opener, audio: str = "none", midi_out: str | None = None) -> Session:
    session = Session.create(audio=audio, midi_out=midi_out)
    session.outputs.opener = opener
    return session


def test_a_midi_line_opens_its_port_as_it_is_evaluated() -> None:
    opener = Opener()
    with session_with(opener, midi_out="keys") as session:
        assert session.evaluate('d1.midi("synth", channel=2)').ok                  # the track's target
        assert session.evaluate('d2 >> note("c4 e4").midi("drums")').ok            # the pattern's port
        assert session.evaluate('d3 >> note("c4").midi()').ok                      # the default port
        assert session.evaluate('d4 >> note("c4").midi("drums")\nd5 >> s("bd")').ok  # nothing new
        main = threading.current_thread().name
        assert opener.opened == [("synth", main), ("drums", main), ("keys", main)]
        assert sorted(session.outputs.ports) == ["drums", "keys", "synth"]
        session.start()
        time.sleep(0.3)
        assert len(opener.opened) == 3                                             # the tick opened none
        assert session.messages() == []


def test_a_render_session_opens_no_port_before_a_note() -> None:
    opener = Opener()
    with session_with(opener, audio="manual") as session:
        assert session.evaluate('d1.midi("synth")\nd2 >> note("c4").midi("drums")').ok
        assert opener.opened == [] and session.outputs.ports == {}


def test_a_port_that_fails_is_said_once_and_tried_again_when_its_line_is_sent_again() -> None:
    opener = Opener(refused=frozenset({"ghost"}))
    line = 'd1 >> note("c4*8").midi("ghost")'
    said = ["midi 'ghost': no MIDI input matches 'ghost' (re-send the .midi(...) line to try again)"]
    with session_with(opener) as session:
        assert session.evaluate(line).ok
        assert session.evaluate('d2 >> note("e4")').ok                # another line does not retry it
        session.start()
        time.sleep(0.3)                                               # the tick plays d1: no retry
        assert session.messages() == said
        assert [name for name, _ in opener.opened] == ["ghost"]
        assert session.evaluate(line).ok
        assert [name for name, _ in opener.opened] == ["ghost", "ghost"]
        time.sleep(0.2)
        assert session.messages() == said


def test_midiclock_sent_again_tries_a_port_that_failed_again() -> None:
    opener = Opener(refused=frozenset({"ghost"}))
    with session_with(opener) as session:
        for attempt in (1, 2):
            result = session.evaluate('midiclock("ghost")')
            assert result.error == ("SessionError: midiclock('ghost'): cannot open that MIDI port "
                                    "(see the message above)")
            assert [name for name, _ in opener.opened] == ["ghost"] * attempt
            assert session.messages() == ["midi 'ghost': no MIDI input matches 'ghost' "
                                          "(re-send the .midi(...) line to try again)"]
