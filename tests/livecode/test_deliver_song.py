"""A set with a song form delivers the form: the MIDI file and the lyrics follow its sections
(what each track plays in each section, its tempo), not the tracks' first patterns."""

from __future__ import annotations

import warnings
from fractions import Fraction
from pathlib import Path

import mido
import numpy as np

from livecode.package.deliver import read_set
from livecode.package.jobs import plan_jobs
from livecode.package.midifile import write_song
from livecode.package.stems import render_stems
from livecode.package.played import played
from livecode.render import read_wav, render_set
from livecode.session import Session

__all__: list[str] = []

SONG = """bpm(120)
section("a", d1=note("c4 c4"), d2=note("g2"))
section("b", d1=note("e4*4").lyrics("la la la la"), others="stop", bpm=60)
song(["a", 2], ["b", 1])
"""


def test_played_follows_the_song_form_and_its_tempo(tmp_path: Path) -> None:
    session = Session.create(audio="none")
    try:
        assert session.evaluate(SONG).ok
        notes = played(session, 3, follow_song=True)
        d1 = [(n.begin, n.note) for n in notes["d1"]]
        assert d1 == [(Fraction(0), 60), (Fraction(1, 2), 60), (Fraction(1), 60), (Fraction(3, 2), 60),
                      (Fraction(2), 64), (Fraction(9, 4), 64), (Fraction(5, 2), 64), (Fraction(11, 4), 64)]
        assert [n.begin for n in notes["d2"]] == [Fraction(0), Fraction(1)]       # stopped in "b"
        assert [n.params.get("lyric") for n in notes["d1"]][4:] == ["/la", "la", "la", "la"]
        path = write_song(notes, session.tempo, tmp_path / "song.mid")
    finally:
        session.close()
    tempos = [m.tempo for m in mido.MidiFile(path).tracks[0] if m.type == "set_tempo"]
    assert tempos[0] == 500000 and 1000000 in tempos                             # 120, then 60 BPM


def test_without_follow_song_the_first_patterns_are_read() -> None:
    session = Session.create(audio="none")
    try:
        assert session.evaluate(SONG).ok
        assert {n.note for n in played(session, 3)["d1"]} == {60}
    finally:
        session.close()


def test_a_song_package_renders_each_track_once_and_only_its_own_in_each_job(tmp_path: Path) -> None:
    # a section gives every track its pattern: a job used to play (and send to its reverb) the
    # tracks of every other job as soon as the form reached them; each job's returns then held
    # the whole band's reverb, and the package rendered the song once per job
    song = tmp_path / "song.py"
    song.write_text('bpm(120)\n'
                    'section("a", d1=s("bd*4").bank("808"), d2=note("c4 e4").s("lead").room(0.4))\n'
                    'section("b", d1=s("bd*2").bank("808"), d2=note("g4").s("lead").room(0.4), '
                    'd3=note("<c3 e3>").s("pad").room(0.6))\n'
                    'song(["a", 1], ["b", 1])\n'
                    'd2.role("lead_vocal")\nd3.role("backing_vocal")\n')
    info = read_set(song, 2)
    assert info.session is not None
    info.session.close()
    jobs = plan_jobs(info.roles, info.links)
    assert len(jobs) == 3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stems = render_stems(song, jobs, tmp_path / "jobs", 2, info.roles, workers=1, tail=1.0,
                             pool_sizes=info.pool_sizes)
        whole = render_set(song, tmp_path / "whole.wav", 2, tmp_path / "whole", bits=32, neutral_master=True, tail=1.0)
    for name in ("d1", "d2", "d3"):                  # each track as the one-session render plays it
        assert read_wav(tmp_path / "whole" / f"{name}.wav")[0].astype(np.float32).tobytes() == \
            stems.all()[name].tobytes(), name
    # the vocal reverbs hold only their vocals: the returns sum to the one session's reverb
    assert sorted(stems.returns) == ["fx-reverb.backing_vocal", "fx-reverb.lead_vocal"]
    reverb = read_wav(tmp_path / "whole" / "fx-reverb.wav")[0]
    summed = sum(stems.all()[name].astype(np.float64) for name in stems.returns)
    frames = min(reverb.shape[0], summed.shape[0])
    assert 20 * np.log10(np.max(np.abs(summed[:frames] - reverb[:frames])) + 1e-30) < -90.0
