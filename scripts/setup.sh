#!/usr/bin/env bash
# Create .venv (if missing) and install storyweave into it. Usage: scripts/setup.sh [EXTRAS]
# EXTRAS is a pip extras list such as "dev". torch is pinned first so pip takes the CPU build 2.13.0.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/pip install -q "torch==2.13.0"
if [[ -n "$extras" ]]; then
  .venv/bin/pip install -q -e ".[${extras}]"
else
  .venv/bin/pip install -q -e .
fi
