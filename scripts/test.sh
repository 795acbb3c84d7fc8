#!/usr/bin/env bash
# One command for a fresh clone: set up (with dev extras and Chromium) and run every check CI runs:
# lint, format, type check, the whole test suite (slow and browser tests included) and the quality gate.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}

echo "== ruff"
.venv/bin/ruff check assistant tests scripts eval
.venv/bin/ruff format --check assistant tests scripts eval
echo "== mypy"
.venv/bin/mypy assistant
echo "== faktafilen"
.venv/bin/python eval/check_facts.py
for set in eval/holdout*.jsonl; do .venv/bin/python eval/check_facts.py --facts "$set" --no-minimums; done
echo "== index (byggs en gång, testerna återanvänder det)"
.venv/bin/python -m assistant index
echo "== pytest"
# pytest exits 5 when it collects no tests: that is a failure here, not hidden.
.venv/bin/python -m pytest -p no:cacheprovider "$@"
echo "== utvärdering och kvalitetsgrind"
.venv/bin/python -m assistant eval --gate --failures 15
echo "== hållet-ut-set (mäts och visas, ingen grind: se eval/README.md)"
for set in eval/holdout*.jsonl; do .venv/bin/python -m assistant eval --set "$set" --failures 0 | sed -n 1,16p; done
