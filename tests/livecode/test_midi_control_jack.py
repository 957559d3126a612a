"""MIDI in, CC mapping, learn, keyboard and rec, and every output message kind, on a private
JACK dummy server: a JACK-Client sender plays the controller and the keyboard."""

from __future__ import annotations

import threading
import time
from collections import deque

import numpy as np
import pytest

from jackcapture import JackCapture
from livecode.midi.jack_clients import close_client, open_client
from livecode.midi.jack_out import JackMidiOut
from livecode.session import Session
from tests.midicapture import MidiCapture

__all__: list[str] = []

pytestmark = pytest.mark.jack


class Sender:
    """A JACK MIDI output (`lc-sender:out`) writing what `send` queued at the next period."""

    def __init__(self) -> None:
        self.client = open_client("lc-sender")
        self.port = self.client.midi_outports.register("out")
        self.queue: deque[tuple[int, ...]] = deque()
        self.client.set_process_callback(self._process)
        self.client.activate()

    def _process(self, frames: int) -> None:
        self.port.clear_buffer()
        while self.queue:
            self.port.write_midi_event(0, bytes(self.queue.popleft()))

    def send(self, *message: int) -> None:
        self.queue.append(tuple(message))

    def close(self) -> None:
        close_client(self.client)


def wait_cycle(session: Session, cycle: float, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while session.status().cycle < cycle and time.monotonic() < deadline:
        time.sleep(0.01)


def rms_db(audio: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(audio.astype(np.float64) ** 2)) + 1e-12))


def test_learned_cc_moves_the_track_gain_in_the_audio_and_the_keyboard_records(jack_server: object) -> None:
    sender = Sender()
    session = Session.create(audio="jack", lookahead=0.1, bpm=120, engine_options={"jackname": "lc-mc"})
    try:
        session.outputs.send_param("master", "mix", 0.0, None)
        assert session.evaluate('d1 >> note("a4*8").s("sine").legato(1).gain(0.5)').ok
        assert session.evaluate('midi_in("lc-sender")').ok
        assert session.evaluate('learn("d1.gain", range=(-60, 0), pickup=False)').ok
        capture = JackCapture("lc-mc", name="lc-mc-capture")
        captured: list[tuple[int, str]] = []

        def mark(label: str) -> None:
            captured.append((capture.frames, label))

        session.start()
        wait_cycle(session, 1.0)
        sender.send(0xB0, 7, 127)                          # learned: gain 0 dB
        time.sleep(0.6)
        mark("loud")
        time.sleep(0.5)
        sender.send(0xB0, 7, 0)                            # -60 dB
        time.sleep(0.3)
        mark("quiet")
        time.sleep(0.5)
        messages = session.messages()
        assert any("learn: cc 7 ch1 on lc-sender -> d1.gain" in m for m in messages), messages
        assert session.tracks["d1"].gain_db == -60.0

        # the keyboard: play d2 live (held until note-off) and record one bar on a grid of 8
        assert session.evaluate('keys(d2, sound="sine")').ok
        recorder = session.controls.rec("d2", bars=1, grid=8)
        clock, tempo = session.clock, session.tempo
        riff = [(0.0, 60, 0.1), (0.25, 63, 0.1), (0.5, 67, 0.2), (0.875, 70, 0.05)]    # cycle, note, length
        for offset, note, length in riff:
            on = clock.to_monotonic(tempo.time_at(float(recorder.start) + offset + 0.01))
            time.sleep(max(0.0, on - time.monotonic()))
            sender.send(0x90, note, 100)
            if note == 67:
                threading.Timer(0.15, mark, ("held",)).start()
                threading.Timer(length * 2.0 + 0.1, mark, ("released",)).start()
            threading.Timer(length * 2.0, sender.send, (0x80, note, 0)).start()
        wait_cycle(session, float(recorder.end) + 0.3)
        audio = capture.close().concatenated()
        marks = dict((label, frame) for frame, label in captured)
        loud = rms_db(audio[marks["loud"] - 12000:marks["loud"] + 12000])
        quiet = rms_db(audio[marks["quiet"]:marks["quiet"] + 12000])
        assert loud > -40.0 and loud - quiet > 40.0, (loud, quiet)
        held = rms_db(audio[marks["held"]:marks["held"] + 9600])
        released = rms_db(audio[marks["released"]:marks["released"] + 9600])
        assert held - released > 30.0, (held, released)          # the key's note-off ended the note
        assert session.controls.keys_played == 4
        take = session.controls.takes["d2"]
        assert take.code == 'note("c4 ~ eb4 ~ g4@2 ~ bb4")'
        assert "rec d2: d2 >> " + take.code in session.messages()
    finally:
        session.close()
        sender.close()


def test_every_output_message_kind_arrives_with_its_bytes_at_its_frame(jack_server: object) -> None:
    port = JackMidiOut("kinds", client_name="lc-kinds")
    with MidiCapture(jack_server.name, "lc-kinds-cap") as cap:         # type: ignore[attr-defined]
        cap.connect_from(port.port_name)
        from livecode.midi import messages as msg

        kinds = [msg.program_change(1, 5), *msg.bank_select(1, 130), msg.pitch_bend(2, 0.5),
                 msg.channel_pressure(3, 100), msg.poly_pressure(1, 60, 90), *msg.nrpn(1, 300, 1000),
                 *msg.rpn(1, 0, 12 << 7), msg.sysex([0x7E, 0x7F, 0x09, 0x01]), msg.control_change(1, 74, 64)]
        time.sleep(0.1)
        base = port.frame_of(time.monotonic() + 0.1)
        assert base is not None
        for index, message in enumerate(kinds):
            port.send_at_frame(message, base + 97 * index)
        events = cap.wait_for(len(kinds), timeout=2.0)
    port.close()
    got = [(frame - base, data) for frame, data in events if frame >= base][:len(kinds)]
    assert got == [(97 * i, m) for i, m in enumerate(kinds)]


def test_pattern_message_controls_reach_the_port_in_order(jack_server: object) -> None:
    session = Session.create(audio="none", bpm=120)
    try:
        with MidiCapture(jack_server.name, "lc-pat-cap") as cap:       # type: ignore[attr-defined]
            assert session.evaluate('d1 >> note("c4").progNum(5).ccname("cutoff").ccv(90).midibend(0.5)'
                                    '.polytouch(1).midi("lc-pat-cap", channel=2, device="minilogue")').ok
            session.start()
            events = cap.wait_for(6, timeout=3.0)
        session.hush()
    finally:
        session.close()
    kinds = [data for _, data in events[:5]]
    assert kinds == [(0xC1, 5), (0xB1, 43, 90), (0xE1, 0, 96), (0x91, 60, 102), (0xA1, 60, 127)]
    frames = {frame for frame, _ in events[:5]}
    assert len(frames) == 1                                  # all at the onset's frame


def test_a_missing_input_is_one_line_listing_the_inputs_that_exist(jack_server: object) -> None:
    sender = Sender()
    session = Session.create(audio="none")
    try:
        result = session.evaluate('midi_in("Keystation")')
    finally:
        session.close()
        sender.close()
    assert result.error is not None and "\n" not in result.error
    assert "no MIDI input matching 'Keystation'" in result.error and "lc-sender:out" in result.error


def test_an_input_whose_source_vanishes_is_reported_and_reconnected(jack_server: object) -> None:
    sender = Sender()
    session = Session.create(audio="none")
    try:
        assert session.evaluate('midi_in("lc-sender")').ok
        sender.send(0xB0, 1, 10)
        deadline = time.monotonic() + 2.0
        while session.controls.values.value("cc1") is None and time.monotonic() < deadline:
            time.sleep(0.01)
        sender.close()                                            # the keyboard is unplugged
        time.sleep(1.2)
        sender = Sender()                                         # and back
        time.sleep(1.2)
        sender.send(0xB0, 1, 127)
        deadline = time.monotonic() + 2.0
        while session.controls.values.value("cc1") != 1.0 and time.monotonic() < deadline:
            time.sleep(0.01)
        messages = session.messages()
        assert session.controls.values.value("cc1") == 1.0
        assert [m for m in messages if m.startswith("midi in 'lc-sender'")] == [
            "midi in 'lc-sender': lost its source 'lc-sender'; it reconnects when that port comes back",
            "midi in 'lc-sender': reconnected to 'lc-sender'"]
    finally:
        session.close()
        sender.close()


def test_the_rtmidi_input_path_through_its_jack_api(jack_server: object) -> None:
    from livecode.midi.errors import MidiPortError
    from livecode.midi.inputs import RtMidiInput, open_input

    sender = Sender()
    got: list[tuple[int, ...]] = []
    port = open_input("lc-sender", lambda mono, message: got.append(message), api="rtmidi-jack")
    try:
        assert isinstance(port, RtMidiInput)
        time.sleep(0.2)
        sender.send(0xB0, 74, 99)
        sender.send(0x90, 60, 100)
        deadline = time.monotonic() + 2.0
        while len(got) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        with pytest.raises(MidiPortError, match=r"midi_in: no MIDI input matching 'nope' \(available: .*lc-sender"):
            open_input("nope", lambda mono, message: None, api="rtmidi-jack")
    finally:
        port.close()
        sender.close()
    assert got == [(0xB0, 74, 99), (0x90, 60, 100)]
