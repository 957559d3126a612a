#!/usr/bin/env bash
# Install what livecode needs on a fresh Debian machine: jackd2 (for the real-time tests)
# and a virtual environment in .venv with the package and its test dependencies.
# Sourced by scripts/test.sh and scripts/render-example.sh; safe to run again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# jackd2: the private dummy JACK servers of the real-time tests; libsndfile1: FLAC samples.
if ! command -v jackd >/dev/null 2>&1 || ! ldconfig -p | grep -q "libsndfile.so.1 "; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    jackd2 libsndfile1 >/dev/null
fi
if [ ! -x "$ROOT/.venv/bin/python" ]; then
  python3 -m venv "$ROOT/.venv"
fi
"$ROOT/.venv/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT[test]"
