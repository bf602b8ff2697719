#!/usr/bin/env bash
# Install storyweave with its test tools, then lint, type-check and run the tests.
# --fast (everyday work, under 2 minutes): an existing .venv is used as it is, the tests marked slow
# (pyproject.toml) and the benchmark gate are left out. CI runs everything.
# Where it runs as root with apt-get (CI), a throw-away PostgreSQL server is started for the
# PostgreSQL test and stopped afterwards; set STORYWEAVE_TEST_PG_URL to use a server of your own.
set -euo pipefail
cd "$(dirname "$0")/.."
fast=0
if [[ "${1:-}" == "--fast" ]]; then
  fast=1
  shift
fi
if [[ "$fast" == 0 || ! -x .venv/bin/pytest ]]; then
  bash scripts/setup.sh dev
fi
.venv/bin/ruff check src tests bench
.venv/bin/mypy
if [[ "$fast" == 1 ]]; then  # no PostgreSQL or Chromium set-up: their tests are marked slow
  HF_HUB_OFFLINE=1 exec .venv/bin/pytest -q -m "not slow" "$@"
fi
if [[ -z "${STORYWEAVE_TEST_PG_URL:-}" && "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  pgdata="$(mktemp -d /tmp/storyweave-pg.XXXXXX)"
  if url="$(bash scripts/postgres.sh start "$pgdata")"; then
    export STORYWEAVE_TEST_PG_URL="$url"
    trap 'bash scripts/postgres.sh stop "$pgdata" || true' EXIT
  else
    echo "PostgreSQL could not be started here: its test will be skipped" >&2
  fi
fi
# tests/test_html_browser.py opens report.html in headless Chromium; it skips where none is installed.
if ! command -v chromium >/dev/null && [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
    || echo "Chromium could not be installed here: the browser test will be skipped" >&2
fi
HF_HUB_OFFLINE=1 .venv/bin/pytest -q "$@"
# The benchmark gate: a fast benchmark per capability against the floors in bench/floors.toml; each is
# skipped with a message where ../shared/datasets is absent.
HF_HUB_OFFLINE=1 .venv/bin/python bench/gate.py
