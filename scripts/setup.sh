#!/usr/bin/env bash
# Create .venv (if missing) and install storyweave into it. Usage: scripts/setup.sh [EXTRAS]
# EXTRAS is a pip extras list such as "dev" or "torch,bench". The default install has no torch. "dev" (what
# scripts/test.sh uses) adds the torch extra, because the vector test compares with sentence-transformers;
# whenever torch is wanted, its CPU build 2.13.0 is installed first so pip never takes a CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
if [[ ",${extras}," == *",dev,"* && ",${extras}," != *",torch,"* ]]; then
  extras="${extras},torch"
fi
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [[ ",${extras}," == *",torch,"* ]]; then
  .venv/bin/pip install -q "torch==2.13.0"
fi
if [[ -n "$extras" ]]; then
  .venv/bin/pip install -q -e ".[${extras}]"
else
  .venv/bin/pip install -q -e .
fi
