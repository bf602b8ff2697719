#!/usr/bin/env bash
# Install storyweave with its test tools, then lint, type-check and run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
.venv/bin/ruff check src tests bench
.venv/bin/mypy
HF_HUB_OFFLINE=1 .venv/bin/pytest -q "$@"
