#!/usr/bin/env bash
# One command for a fresh clone: set up, build the index for corpus/ (first time only) and start the chat UI.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python -m assistant index
exec .venv/bin/python -m assistant serve "$@"
