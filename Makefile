# tinhso: `make run` sets up and serves the platform; `make test` runs lint and every test.
# With no DATABASE_URL the database is SQLite in var/; DATABASE_URL=postgres://... uses PostgreSQL.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
TINHSO := $(BIN)/tinhso
PORT   ?= 8000
WORKERS ?= 3
VENDOR := src/tinhso/web/static/vendor

.PHONY: setup run demo test lint typecheck openapi messages lock clean help bench loadtest \
	loadtest-faults loadtest-ceiling loadtest-short fuzz

help:
	@echo "make run    set up everything, load the demo data and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   lint (ruff, import contracts), types (mypy) and the whole test suite (SQLite, or DATABASE_URL)"
	@echo "make setup  environment, dependencies, assets and migrations only"

# -- installation ----------------------------------------------------------------------------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Locked dependencies, installed again only when the lock file changes.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/.installed: node_modules/.installed
	mkdir -p $(VENDOR)/htmx $(VENDOR)/pico $(VENDOR)/chartjs
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/@picocss/pico/css/pico.min.css $(VENDOR)/pico/
	cp node_modules/chart.js/dist/chart.umd.js node_modules/chart.js/dist/chart.umd.js.map $(VENDOR)/chartjs/
	touch $@

var:
	mkdir -p var

setup: $(VENV)/.installed $(VENDOR)/.installed | var
	@bash scripts/install-browser.sh || true
	@bash scripts/install-office.sh || true
	$(TINHSO) collectstatic --noinput --verbosity 0
	$(TINHSO) migrate --noinput --verbosity 0
	$(TINHSO) createcachetable

# -- running ---------------------------------------------------------------------------------

demo: setup
	$(TINHSO) demo --quiet-accounts

run: setup
	$(TINHSO) demo
	@echo ""
	@echo "tinhso is served at http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	@echo "  API docs: http://127.0.0.1:$(PORT)/api/v1/docs   health: http://127.0.0.1:$(PORT)/healthz"
	@echo "  Log in with one of the demo accounts above."
	@echo "  Background jobs: a task worker (tinhso worker) runs beside the server, log in var/worker.log"
	$(TINHSO) worker --no-startup-delay > var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	PORT=$(PORT) WEB_CONCURRENCY=$(WORKERS) TINHSO_PAYMENT_FAKE_GATEWAY=$${TINHSO_PAYMENT_FAKE_GATEWAY:-true} \
	$(BIN)/gunicorn -c python:tinhso.gunicorn_conf

# -- checks ----------------------------------------------------------------------------------

# ruff, then the layer contracts of pyproject.toml's [tool.importlinter] (core imports no domain
# app, no domain app imports the API, the pure modules import no Django).
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache --no-logo

typecheck: $(VENV)/.installed
	$(BIN)/mypy src

test: setup lint typecheck
	$(BIN)/pytest

# -- measuring (PostgreSQL; each makes and drops databases of its own) -------------------------

# Every benchmark in bench/ at a quick size, and one table of their ratios (--full: the issues'
# sizes: BENCH_ARGS=--full).
bench: $(VENV)/.installed
	$(BIN)/python bench/all.py $(BENCH_ARGS)

# A mixed workload (citizens, officers, leaders) on a PostgreSQL server of the test's own with
# 1,000,000 dossiers and 100 people for 60 s, each pausing 5 s on average between actions;
# -faults also restarts that database and kills the task worker under load; -ceiling gives the
# same people 1 s (about what two cores can serve); -short is the form CI runs. See
# bench/loadtest.py.
loadtest: $(VENV)/.installed
	$(BIN)/python bench/loadtest.py --dossiers 1000000 --clients 100 --duration 60 \
		--dashboard-p95-ms 300

loadtest-ceiling: $(VENV)/.installed
	$(BIN)/python bench/loadtest.py --dossiers 1000000 --clients 100 --duration 60 --think 1

loadtest-faults: $(VENV)/.installed
	$(BIN)/python bench/loadtest.py --dossiers 1000000 --clients 100 --duration 60 --faults

loadtest-short: $(VENV)/.installed
	$(BIN)/python bench/loadtest.py --dossiers 20000 --clients 20 --duration 20 --think 1 --faults

# The API fuzzed by schemathesis as anonymous, citizen and administrator, long form (make test
# runs the short one): FUZZ_EXAMPLES examples per operation and role (default 500).
fuzz: $(VENV)/.installed
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-500} $(BIN)/pytest -p no:cacheprovider tests/api/test_fuzz.py

openapi: $(VENV)/.installed
	$(TINHSO) export_openapi_schema --api tinhso.api.api.api --indent 2 --sorted \
		--output docs/api/openapi.json

messages: $(VENV)/.installed
	cd src/tinhso && ../../$(TINHSO) makemessages --locale vi --locale en --no-obsolete \
		--ignore 'web/static/*' --ignore 'migrations/*' && ../../$(TINHSO) compilemessages

lock:
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra dev --generate-hashes --allow-unsafe --strip-extras \
		-o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var/static
