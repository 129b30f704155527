# Werkbrug — the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DATA_DIR ?= var
STAMP := $(VENV)/.installed

.PHONY: run test test-sqlite test-postgresql bench soak lint format install system-deps messages clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall when the dependency lists change.
$(STAMP): $(PY) pyproject.toml constraints.txt
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test,dev]"
	touch $(STAMP)

install: $(STAMP)

## make run: install, migrate the SQLite database in DATA_DIR, load the demo region if empty,
## print the demo log-ins and serve on http://127.0.0.1:$(PORT)
run: install
	@export WERKBRUG_DEMO=1 DATA_DIR="$(DATA_DIR)"; \
	$(PY) -m werkbrug.cli migrate --noinput -v0 && \
	$(PY) -m werkbrug.cli seed-demo --if-empty && \
	echo "" && echo "Werkbrug draait op http://127.0.0.1:$(PORT)  (stoppen: Ctrl+C)" && \
	exec $(VENV)/bin/gunicorn werkbrug.wsgi:application --bind 127.0.0.1:$(PORT) \
		--workers 2 --threads 4 --log-level warning --access-logfile - \
		--access-logformat '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'

## make test: install what the tests need (Python packages; Debian postgresql, chromium and
## gettext via apt when missing) and run the whole suite on SQLite and on a throwaway PostgreSQL
test: install system-deps
	@scripts/run-tests.sh

system-deps:
	@scripts/system-deps.sh

test-sqlite: install
	@scripts/run-tests.sh sqlite

test-postgresql: install system-deps
	@scripts/run-tests.sh postgresql

bench: install
	@for script in benchmarks/*.py; do \
		echo "== $$script"; WERKBRUG_DEMO=1 DATA_DIR=$$(mktemp -d) $(PY) $$script || exit 1; \
	done

## make soak: the load test (50 users for 5 minutes: a working day at region scale) and the
## fault test (PostgreSQL restarted during a run) against gunicorn on a throwaway PostgreSQL;
## about 12 minutes, results in test-artifacts/soak/summary.md. Not part of `make test`.
soak: install system-deps
	$(PY) -m pip install --quiet -c constraints.txt -e ".[soak]"
	@scripts/soak.sh

lint: install
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format src tests benchmarks
	$(VENV)/bin/ruff check --fix src tests benchmarks

## make messages: refresh the Dutch translation catalogue after changing texts
messages: install
	cd src/werkbrug && WERKBRUG_DEMO=1 DATA_DIR=$$(mktemp -d) ../../$(PY) -m werkbrug.cli makemessages -l nl --no-obsolete
	cd src/werkbrug && WERKBRUG_DEMO=1 DATA_DIR=$$(mktemp -d) ../../$(PY) -m werkbrug.cli compilemessages -l nl

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
