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
  if "$PY" -m pytest "$@"; then echo "=== $label: passed"; else status=1; echo "=== $label: FAILED"; fi
}

if [ "$which" = sqlite ] || [ "$which" = both ]; then
  DATABASE_URL= run_suite SQLite "$@"
fi

if [ "$which" = postgresql ] || [ "$which" = both ]; then
  pgdir=$(mktemp -d /tmp/werkbrug-pg.XXXX)
  trap 'scripts/throwaway-postgres.sh stop "$pgdir"' EXIT
  if url=$(scripts/throwaway-postgres.sh start "$pgdir"); then
    DATABASE_URL=$url run_suite PostgreSQL "$@"
  else
    echo "Could not start PostgreSQL; see $pgdir/server.log" >&2
    cat "$pgdir"/*.log >&2 || true
    status=1
  fi
fi
rm -rf "$DATA_DIR"
exit $status
