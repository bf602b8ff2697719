#!/usr/bin/env bash
# Install storyweave and run it on the seed corpus (../shared/seeds) or, where that is absent, on the
# example corpus the repo ships. The report lands in out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [[ -d ../shared/seeds ]]; then
  .venv/bin/storyweave analyze ../shared/seeds --published 2026-01-08 --out out --format json,md,html
else
  .venv/bin/storyweave analyze examples/corpus --out out --format json,md,html
fi
echo "open out/report.html, or read out/report.md"
echo "or browse the store: .venv/bin/storyweave serve  (then open http://127.0.0.1:8000/)"
