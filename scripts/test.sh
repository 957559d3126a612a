#!/usr/bin/env bash
# The test command: installs what it needs, then runs the whole suite. Exits non-zero on failure.
# Without arguments it runs the suite's two phases (tests/conftest.py, `is_offline`): the offline
# tests on two workers, then the live ones (JACK, terminals, clocks) one at a time. With
# arguments it is plain pytest, e.g. `bash scripts/test.sh tests/patterns -q`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"
if [ "$#" -gt 0 ]; then
  exec "$PY" -m pytest -q "$@"
fi
status=0
"$PY" -m pytest -q -n 2 --phase offline || status=$?
"$PY" -m pytest -q --phase live || status=$?
exit "$status"
