"""Quality control for any audio file: loudness, peaks, stereo, spectrum, translation, a picture.

No pyo here: numpy, scipy and matplotlib (loudness is gated as pyloudnorm gates it, which the tests
compare against).

- `synths.qc.measure`: the measurements (BS.1770 loudness, EBU 3342 LRA, true peak, ...).
- `synths.qc.curves`: octave bands, the pop reference curve, the devices' curves (data).
- `synths.qc.translation`: what disappears on a phone, earbuds, laptop, in a car.
- `synths.qc.report`: `analyse` / `analyse_file` -> `QCReport` (`to_dict`, `summary`).
- `synths.qc.plot`: `plot_report(report, "mix.png")`.

>>> from synths.qc import Target
>>> Target("broadcast", -23.0, -1.0).lufs
-23.0
"""

from __future__ import annotations

from synths.qc.plot import plot_report
from synths.qc.report import QCReport, Target, analyse, analyse_file, write_json

__all__ = ["QCReport", "Target", "analyse", "analyse_file", "plot_report", "write_json"]
