#!/usr/bin/env bash
# One command for a fresh clone: set up .venv (first time, or after pyproject.toml changed) and start the chat UI.
# The UI answers at once; a missing or stale search index is built in the background (progress on the page and here).
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -x .venv/bin/python ] || [ ! -f "$stamp" ]; then
  scripts/setup.sh
  rm -f .venv/.installed-*
  touch "$stamp"
fi
exec .venv/bin/python -m assistant serve "$@"
