#!/usr/bin/env bash
# Run the whole suite, browser tests included, on SQLite and on a throwaway PostgreSQL.
#   scripts/run-tests.sh [sqlite|postgresql|both] [pytest args...]
set -uo pipefail
cd "$(dirname "$0")/.."
which=${1:-both}
shift || true
PY=.venv/bin/python

export WERKBRUG_DEMO=0
export WERKBRUG_SECRET_KEY="test-secret-key-not-for-production-0123456789abcdefghij"
export WERKBRUG_PSEUDONYM_KEY="test-pseudonym-key-0123456789abcdef"
export WERKBRUG_ENCRYPTION_KEY="test-encryption-key-0123456789abcdef"
export WERKBRUG_HTTPS=0
export WERKBRUG_TASKS_IMMEDIATE=1
export WERKBRUG_EMAIL_BACKEND=locmem
export DJANGO_ALLOW_ASYNC_UNSAFE=true   # Playwright's sync API runs an event loop in the test thread
export DATA_DIR=$(mktemp -d /tmp/werkbrug-test-data.XXXX)
mkdir -p test-artifacts

status=0
run_suite() {
  local label=$1; shift
  echo "=== Test suite on $label"
  if "$PY" -m pytest "$@"; then echo "=== $label: passed"; else echo "=== $label: FAILED"; return 1; fi
}

run_sqlite() {
  mkdir -p "$DATA_DIR/sqlite"
  DATA_DIR="$DATA_DIR/sqlite" DATABASE_URL= run_suite SQLite "$@"
}

run_postgresql() {
  local pgdir url rc
  pgdir=$(mktemp -d /tmp/werkbrug-pg.XXXX)
  if url=$(scripts/throwaway-postgres.sh start "$pgdir"); then
    mkdir -p "$DATA_DIR/postgresql"
    DATA_DIR="$DATA_DIR/postgresql" DATABASE_URL=$url run_suite PostgreSQL "$@"; rc=$?
  else
    echo "Could not start PostgreSQL; see $pgdir/server.log" >&2
    cat "$pgdir"/*.log >&2 || true
    rc=1
  fi
  scripts/throwaway-postgres.sh stop "$pgdir" >/dev/null 2>&1 || true
  return $rc
}

case "$which" in
  sqlite) run_sqlite "$@" || status=1 ;;
  postgresql) run_postgresql "$@" || status=1 ;;
  both)
    if [ "${WERKBRUG_TEST_SERIAL:-0}" = 1 ]; then
      run_sqlite "$@" || status=1
      run_postgresql "$@" || status=1
    else
      # The two halves share nothing but the CPU: run them side by side (the PostgreSQL half
      # waits on its server much of the time) and show each one's output when it is done.
      logs=$(mktemp -d /tmp/werkbrug-test-logs.XXXX)
      run_sqlite "$@" > "$logs/sqlite.log" 2>&1 & sqlite_pid=$!
      run_postgresql "$@" > "$logs/postgresql.log" 2>&1 & pg_pid=$!
      wait $sqlite_pid || status=1
      cat "$logs/sqlite.log"
      wait $pg_pid || status=1
      cat "$logs/postgresql.log"
      rm -rf "$logs"
    fi
    ;;
  *) echo "usage: scripts/run-tests.sh [sqlite|postgresql|both] [pytest args...]" >&2; exit 2 ;;
esac
rm -rf "$DATA_DIR"
exit $status
