#!/usr/bin/env bash
# make soak: a working day at region scale under load, then PostgreSQL restarted during a run.
#   scripts/soak.sh [OUT_DIR]        (default test-artifacts/soak; about 12 minutes)
#
# 1. a throwaway PostgreSQL; migrate; the demo region at region scale plus candidates in bulk
#    (benchmarks/soak/soakdb.py seed); load-test log-ins with TOTP keys (soakdb.py accounts)
# 2. gunicorn with production settings over plain HTTP (DEBUG off, no demo mode, a fresh secret
#    key, background tasks queued in the database), WORKERS x THREADS
# 3. steady run: Locust headless, USERS users spawned at SPAWN_RATE/s, for DURATION; every
#    contact moment Locust saw saved must be in the database afterwards
# 4. fault run: FAULT_DURATION with PostgreSQL restarted (pg_ctl restart -m fast) RESTART_AFTER
#    seconds in; failures must be clean and stop by themselves, no committed data lost
# 5. markdown tables and the verdict in OUT_DIR/summary.md (benchmarks/soak/summarise.py)
#
# Settings (environment): SOAK_USERS=50 SOAK_SPAWN_RATE=5 SOAK_DURATION=5m
#   SOAK_FAULT_DURATION=120s SOAK_RESTART_AFTER=60 SOAK_WORKERS=4 SOAK_THREADS=4
#   SOAK_EXTRA_CANDIDATES=1500 SOAK_SKIP_SEEDERS= (demo seeders to leave out, comma-separated)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
users=${SOAK_USERS:-50}
spawn_rate=${SOAK_SPAWN_RATE:-5}
duration=${SOAK_DURATION:-5m}
fault_duration=${SOAK_FAULT_DURATION:-120s}
restart_after=${SOAK_RESTART_AFTER:-60}
workers=${SOAK_WORKERS:-4}
threads=${SOAK_THREADS:-4}
out=${1:-test-artifacts/soak}
mkdir -p "$out"
rm -f "$out"/*.csv "$out"/*.json "$out"/*.log "$out"/summary.md
work=$(mktemp -d /tmp/werkbrug-soak.XXXX)
pgdir=$(mktemp -d /tmp/werkbrug-soak-pg.XXXX)  # its own folder: the postgres user owns it
bindir=$(dirname "$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -n 1)")

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  if [ -s "$work/gunicorn.pid" ]; then
    kill "$(cat "$work/gunicorn.pid")" 2>/dev/null || true
    for _ in $(seq 1 30); do [ -e "$work/gunicorn.pid" ] || break; sleep 1; done
  fi
  cp "$pgdir/server.log" "$out/postgresql.log" 2>/dev/null || true
  cp "$pgdir/initdb.log" "$out/initdb.log" 2>/dev/null || true
  scripts/throwaway-postgres.sh stop "$pgdir"
  rm -rf "$work"
}
trap cleanup EXIT

key() { python3 -c 'import secrets; print(secrets.token_urlsafe(48))'; }
export WERKBRUG_DEMO=0 WERKBRUG_DEBUG=0 WERKBRUG_HTTPS=0
WERKBRUG_SECRET_KEY=$(key) WERKBRUG_PSEUDONYM_KEY=$(key) WERKBRUG_ENCRYPTION_KEY=$(key)
export WERKBRUG_SECRET_KEY WERKBRUG_PSEUDONYM_KEY WERKBRUG_ENCRYPTION_KEY
export WERKBRUG_TASKS_IMMEDIATE=0 WERKBRUG_EMAIL_BACKEND=file
export WERKBRUG_ALLOWED_HOSTS=127.0.0.1
# Locust gives every simulated workstation its own address in X-Forwarded-For, as a reverse
# proxy in front of gunicorn would pass it on.
export WERKBRUG_TRUSTED_PROXIES=1
export DATA_DIR=$work/data
mkdir -p "$DATA_DIR"

echo "== PostgreSQL, migrate, region-scale data, load-test log-ins"
DATABASE_URL=$(scripts/throwaway-postgres.sh start "$pgdir")
export DATABASE_URL
$PY -m werkbrug.cli migrate --noinput -v0
$PY benchmarks/soak/soakdb.py seed --extra-candidates "${SOAK_EXTRA_CANDIDATES:-1500}" \
  --skip "${SOAK_SKIP_SEEDERS:-}" | tee "$out/seed.json"
$PY benchmarks/soak/soakdb.py accounts --out "$work/accounts.json"
export SOAK_ACCOUNTS=$work/accounts.json

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
host=http://127.0.0.1:$port
echo "== gunicorn on $host: $workers workers x $threads threads"
# keep-alive longer than a user's pause between clicks (as a proxy in front would keep it), so
# a connection is not closed by the server at the moment the client reuses it
.venv/bin/gunicorn werkbrug.wsgi:application --bind "127.0.0.1:$port" \
  --workers "$workers" --threads "$threads" --keep-alive 75 \
  --access-logfile "$out/access.log" --access-logformat '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss' \
  --error-logfile "$out/gunicorn.log" --capture-output \
  --log-level warning \
  --pid "$work/gunicorn.pid" --daemon
for _ in $(seq 1 60); do
  curl -fsS "$host/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "$host/health" >/dev/null

cpu_state() {  # jiffies: machine busy, machine idle, gunicorn workers, PostgreSQL cluster
  local busy idle g=0 p=0 pid v pm
  read -r busy idle < <(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat)
  for pid in $(pgrep -P "$(cat "$work/gunicorn.pid")"); do
    v=$(awk '{print $14+$15}' "/proc/$pid/stat" 2>/dev/null || true); g=$((g + ${v:-0}))
  done
  pm=$(head -n 1 "$pgdir/data/postmaster.pid")
  v=$(awk '{print $14+$15+$16+$17}' "/proc/$pm/stat" 2>/dev/null || true); p=${v:-0}
  for pid in $(pgrep -P "$pm"); do
    v=$(awk '{print $14+$15}' "/proc/$pid/stat" 2>/dev/null || true); p=$((p + ${v:-0}))
  done
  echo "$busy $idle $g $p"
}

cpu_report() {  # before after: CPU use as % of one core, averaged over the interval
  read -r b0 i0 g0 p0 <<<"$1"
  read -r b1 i1 g1 p1 <<<"$2"
  local cores total
  cores=$(nproc)
  total=$(( (b1 - b0 + i1 - i0) / cores ))  # jiffies per core in the interval
  echo "CPU during the run, in % of one core ($cores cores = $((cores * 100)) %): machine" \
    "$(( 100 * (b1 - b0) / total )) %, gunicorn workers $(( 100 * (g1 - g0) / total )) %," \
    "PostgreSQL $(( 100 * (p1 - p0) / total )) %, the rest (Locust, other work)" \
    "$(( 100 * (b1 - b0 - g1 + g0 - p1 + p0) / total )) %"
}

run_locust() {  # name duration
  SOAK_RUN=$1 SOAK_EVENTS=$out/$1_events.csv SOAK_MARKERS=$out/$1_markers.csv \
    .venv/bin/locust -f benchmarks/soak/locustfile.py --host "$host" --headless \
    -u "$users" -r "$spawn_rate" -t "$2" --stop-timeout 20 --csv "$out/$1" --only-summary \
    --loglevel WARNING >"$out/$1_locust.log" 2>&1 || true  # failures are judged below
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== steady run: $users users, $duration (load before: $load_before)"
$PY benchmarks/soak/soakdb.py count --out "$out/steady_before.json" >/dev/null
cpu_before=$(cpu_state)
run_locust steady "$duration"
cpu_report "$cpu_before" "$(cpu_state)" | tee "$out/steady_cpu.txt"
echo "load before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)" \
  | tee "$out/steady_load.txt"
$PY benchmarks/soak/soakdb.py verify --before "$out/steady_before.json" \
  --markers "$out/steady_markers.csv" --out "$out/steady_verify.json" >/dev/null || true

echo "== fault run: $fault_duration, PostgreSQL restarted after ${restart_after} s"
$PY benchmarks/soak/soakdb.py count --out "$out/fault_before.json" >/dev/null
run_locust fault "$fault_duration" &
locust_pid=$!
sleep "$restart_after"
started=$(date +%s.%N)
as_owner "$bindir/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -m fast -w restart >/dev/null
accepting=$(date +%s.%N)
printf '{"started": %s, "accepting": %s, "offset_s": %s}\n' "$started" "$accepting" \
  "$restart_after" >"$out/restart.json"
wait "$locust_pid"
$PY benchmarks/soak/soakdb.py verify --before "$out/fault_before.json" \
  --markers "$out/fault_markers.csv" --out "$out/fault_verify.json" >/dev/null || true

{
  echo "# Soak test $(date -u +%Y-%m-%dT%H:%MZ)"
  echo ""
  echo "$users users (spawn $spawn_rate/s), gunicorn $workers x $threads, $(nproc) cores"
  echo ""
  echo "## Steady run ($duration)"
  echo ""
  echo "$(cat "$out/steady_load.txt"). $(cat "$out/steady_cpu.txt")"
  echo ""
  $PY benchmarks/soak/summarise.py steady --csv "$out/steady" --events "$out/steady_events.csv" \
    --verify "$out/steady_verify.json" --json "$out/steady_summary.json" || true
  echo ""
  echo "## Fault run ($fault_duration, PostgreSQL restarted after ${restart_after} s)"
  echo ""
  $PY benchmarks/soak/summarise.py fault --csv "$out/fault" --events "$out/fault_events.csv" \
    --restart "$out/restart.json" --verify "$out/fault_verify.json" \
    --json "$out/fault_summary.json" || true
} | tee "$out/summary.md"
status=0
grep -q "Verdict (steady): PASS" "$out/summary.md" || status=1
grep -q "Verdict (fault): PASS" "$out/summary.md" || status=1
echo "== results in $out (summary.md, Locust CSVs, gunicorn and PostgreSQL logs)"
exit "$status"
