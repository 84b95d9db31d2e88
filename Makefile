# legalaid: `make run` serves the demo, `make test` runs every test against real services.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | md5sum | cut -c1-12)

.PHONY: run test bench venv services lint messages check clean-data backup restore

venv: $(STAMP) .env

# A development .env (DEBUG on, a random key) so manage.py works in a checkout;
# production sets its own environment and never uses this file.
.env:
	printf 'DEBUG=1\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(40))')" > .env

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[local,dev]'
	rm -f $(VENV)/.installed-*; touch $@

## run: embedded PostgreSQL (unless DATABASE_URL is set), migrations, demo data,
## the site on http://127.0.0.1:8000 and a Celery worker with beat. Ctrl-C stops all.
## Pages answer as in production (DEBUG off: the Chinese 404/403/500 pages; errors go to the console), over
## plain http with the static files served by WhiteNoise; `make run DEBUG=1` shows Django's technical pages.
DEBUG ?= 0
run: venv
	DEBUG=$(DEBUG) PLAIN_HTTP=1 $(PY) scripts/dev.py

## services: PostgreSQL, Redis, Chromium and Chinese fonts from Debian, started.
services:
	bash scripts/services.sh

## test: the whole suite against real PostgreSQL, Redis, a Celery worker and Chromium.
test: venv services
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run --settings=legalaid.test_settings
	DRILL_RESTART_POSTGRES=1 $(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)

## bench: performance figures on generated data (never part of `make test`): each list, home, dashboard,
## indicators and an export at SCALE cases next to Django admin and raw SQL, then the load test (Locust,
## 30 users against gunicorn with 4 workers; its miss is printed, not fatal).
SCALE ?= 1000000
bench: venv services
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) scripts/bench.py
	$(PY) scripts/bench_lists.py --scale $(SCALE)
	-$(PY) scripts/loadtest.py --db legalaid_scale

## backup: the database and the private files with a manifest, into BACKUP_DIR (default backups/);
## KEEP=14 keeps only the newest 14. No venv dependency: a server runs it with its own python,
## e.g. `make backup PY=/opt/legalaid/venv/bin/python`, and must not get the development .env.
backup:
	$(PY) manage.py backup $(if $(KEEP),--keep $(KEEP))

## restore: BACKUP=backups/legalaid-backup-YYYYMMDD-HHMMSS into the configured, empty database and
## files folder (FORCE=1 replaces what is there). Stop web, worker and beat first.
restore:
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/legalaid-backup-YYYYMMDD-HHMMSS [FORCE=1]" >&2; exit 2; }
	$(PY) manage.py restore "$(BACKUP)" $(if $(FORCE),--force)

lint: venv
	$(VENV)/bin/ruff check .

## messages: refresh and compile the zh_Hans catalogues (needs gettext).
messages: venv
	$(PY) scripts/messages.py

clean-data:
	rm -rf .data
