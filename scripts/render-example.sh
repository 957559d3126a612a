#!/usr/bin/env bash
# The main job: installs what it needs, then renders the K-pop example set to kpop.wav
# (with stems in kpop-stems/). Needs no sound card.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
exec "$ROOT/.venv/bin/livecode" render examples/kpop.py -o kpop.wav --bars 16 --stems kpop-stems "$@"
