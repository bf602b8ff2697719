#!/usr/bin/env bash
# A throw-away PostgreSQL server on 127.0.0.1 for the tests.
#   scripts/postgres.sh start DIR   initialise DIR, start the server, print its SQLAlchemy URL
#   scripts/postgres.sh stop DIR    stop it
# Installs Debian's postgresql package first where it is missing (needs root and apt-get).
set -euo pipefail
action="$1"
data="$2"
port="${STORYWEAVE_PG_PORT:-55432}"
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi; }
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
case "$action" in
  start)
    mkdir -p "$data"
    if [ "$(id -u)" = 0 ]; then chown postgres "$data"; fi
    as_postgres "'$bin/initdb' -D '$data' -A trust -U postgres --no-instructions" >/dev/null
    as_postgres "'$bin/pg_ctl' -D '$data' -l '$data/server.log' -w -o \"-p $port -k /tmp -c listen_addresses=127.0.0.1\" start" >/dev/null
    echo "postgresql+psycopg://postgres@127.0.0.1:${port}/postgres"
    ;;
  stop)
    as_postgres "'$bin/pg_ctl' -D '$data' -w stop" >/dev/null
    ;;
  *)
    echo "usage: scripts/postgres.sh start|stop DIR" >&2
    exit 2
    ;;
esac
