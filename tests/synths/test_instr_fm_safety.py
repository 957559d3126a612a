"""FM without pyo's `FM`: its phase runs backwards at a deep index and reads past its sine table.

Live on JACK, `epiano` turned a track, then the master, into NaN for good (issue 7): pyo's `FM`
integrates carrier + deviation into a float32 table pointer; above index 1 the pointer runs
backwards, and a pointer a hair below 0 wraps to exactly 512.0, the table's last point, whose
interpolation reads one value past the table (a NaN in this build; further out, a crash). One
NaN sample latches the next filter for good. The keys use `FMPair` (phase modulation from
`Phasor`s and libm's `Sin`) instead.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from scipy.special import jv

from synths._pyo import pyo
from synths.instruments import DRUM_BANKS, INSTRUMENTS, resolve
from synths.instruments._sources import INDEX_LIMITS, FMPair, compute_index_limits, fm_index_limit

SR = 48000

_PYO_FM_BACKWARDS = textwrap.dedent(
    """
    import numpy as np
    from synths._pyo import pyo
    p = pyo()
    server = p.Server(sr=48000, nchnls=2, buffersize=256, duplex=0, audio="manual").boot()
    server.start()
    fm = p.FM(carrier=-1e-6 * 48000 / 512, ratio=1.0, index=0.0)   # the pointer steps below 0
    table = p.NewTable(length=0.1, chnls=1)
    rec = p.TableRec(fm, table).play()
    for _ in range(10):
        server.process()
    print("finite" if np.isfinite(np.asarray(table.getBuffer())).all() else "non-finite", flush=True)
    """
)


def test_pyo_fm_reads_past_its_table_when_its_phase_runs_backwards() -> None:
    """The fact the keys avoid: a carrier phase stepping a hair below 0 crashes or NaNs pyo's FM."""
    run = subprocess.run([sys.executable, "-c", _PYO_FM_BACKWARDS], capture_output=True, text=True, timeout=60)
    assert "finite" not in run.stdout.split(), run.stdout


def _render(obj: object, seconds: float) -> np.ndarray:
    p = pyo()
    server = p.Server(sr=SR, nchnls=2, buffersize=256, duplex=0, audio="manual").boot()
    server.start()
    try:
        signal = obj() if callable(obj) else obj
        table = p.NewTable(length=seconds, chnls=1)
        rec = p.TableRec(signal, table).play()
        for _ in range(int(seconds * SR / 256) + 2):
            server.process()
        rec.stop()
        return np.asarray(table.getBuffer()).astype(np.float64).copy()
    finally:
        server.shutdown()


@pytest.mark.parametrize(("carrier", "ratio", "index"), [
    (-1e-6 * SR / 512, 1.0, 0.0),       # pyo's FM crashes on this one
    (440.0, 14.0, 50.0),                # far past index 1: the phase of pyo's FM runs backwards
    (27.5, 1.0, 20.0),
    (4186.0, 3.5, 8.0),
])
def test_fm_pair_stays_finite_for_any_carrier_and_index(carrier: float, ratio: float, index: float) -> None:
    audio = _render(lambda: FMPair(pyo().Sig(carrier), ratio, index).out, 2.0)
    assert np.isfinite(audio).all()
    assert np.abs(audio).max() <= 1.0 + 1e-6


def test_fm_pair_has_the_bessel_sidebands_of_fm() -> None:
    """Carrier 1 kHz, modulator 250 Hz, index 1.5: sideband n has amplitude |J_n(1.5)|."""
    audio = _render(lambda: FMPair(pyo().Sig(1000.0), 0.25, 1.5).out, 1.0)[:SR]
    spectrum = np.abs(np.fft.rfft(audio * np.hanning(len(audio)))) / (len(audio) / 4)
    for n in range(0, 4):
        measured = spectrum[1000 + 250 * n]                 # 1 Hz bins
        assert measured == pytest.approx(abs(jv(n, 1.5)), abs=0.02), n


def test_the_fm_index_limit_keeps_folding_sidebands_75_db_down() -> None:
    """At 48 kHz a sideband above 28 kHz folds below 20 kHz: at the limit, the first such
    sideband (and every later one) is 75 dB under the strongest; the limit is the same at 192 kHz."""
    assert fm_index_limit(8000.0, 14.0, SR) < 1e-3          # the tine's first sideband folds
    limit = fm_index_limit(2000.0, 1.0, SR)                 # sideband 13 is 28 kHz, 14 folds
    sidebands = np.abs(jv(np.arange(40), limit))
    assert sidebands[14] == pytest.approx(10 ** (-75 / 20) * sidebands.max(), rel=1e-3)
    assert sidebands[14:].max() == sidebands[14]
    assert fm_index_limit(2000.0, 1.0, 192000) == limit
    assert fm_index_limit(440.0, 1.0, SR) > 20.0            # low notes keep every index


def test_no_instrument_uses_pyo_fm() -> None:
    """Every instrument, built on a bare server: none of its streams is pyo's `FM` or `CrossFM`."""
    p = pyo()
    server = p.Server(sr=SR, nchnls=2, buffersize=256, duplex=0, audio="manual").boot()
    try:
        names = [(name, None) for name in INSTRUMENTS] + [
            (name, bank) for bank, kit in DRUM_BANKS.items() for name in kit
        ]
        voices = [resolve(name, bank)(p.Trig().stop(), SR) for name, bank in names]   # kept alive
        assert len(voices) == len(names)
        kinds = {type(stream.getStreamObject()).__name__ for stream in server.getStreams()}
        assert not kinds & {"Fm_base", "CrossFm_base"}, kinds & {"Fm_base", "CrossFm_base"}
    finally:
        server.shutdown()


def test_the_stored_fm_index_limits_are_the_computed_ones_bit_for_bit() -> None:
    # the table is written down so a render does not import scipy.special: the same floats
    assert compute_index_limits() == INDEX_LIMITS
