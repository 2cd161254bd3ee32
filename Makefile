# PSC Portal: the front door. `make run` serves the demo portal; `make test` runs every test.
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/psc_portal

.DEFAULT_GOAL := help
.PHONY: help install install-dev run data test lint format check-db clean serve backup restore load

help:
	@echo "make run     serve the portal with demo content at http://127.0.0.1:$(PORT)"
	@echo "make test    run the whole test suite on PostgreSQL"
	@echo "make lint    ruff, formatting, the layering contract, templates and migration checks"
	@echo "make format  format the code"
	@echo "make data    migrate, then load reference data and demo content into the configured database"
	@echo "make serve   the production server (gunicorn, DEBUG off) on PostgreSQL at http://127.0.0.1:$(PORT)"
	@echo "make backup  dump DATABASE_URL to var/backups/ (pg_dump custom format)"
	@echo "make restore BACKUP=file  restore a dump into DATABASE_URL, replacing its content"
	@echo "make load    drive the running server with mixed traffic and print the figures"

$(VENV)/.runtime: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

# The quick start runs in DEBUG on the embedded SQLite file unless DATABASE_URL names Postgres.
run: export DEBUG ?= true
run: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_reference_data
	$(PY) manage.py load_demo_content
	@echo ""
	@echo "PSC Portal is running at http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/), with the alerts worker. Stop both with Ctrl+C."
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py run_huey & \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

data: export DEBUG ?= true
data: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_reference_data
	$(PY) manage.py load_demo_content

check-db: install-dev
	@DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) scripts/check_database.py

test: check-db
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(VENV)/bin/pytest

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/djlint templates --lint --profile=jinja --extension=jinja
	$(VENV)/bin/djlint templates --lint --profile=django --extension=html
	DEBUG=true DATABASE_URL=sqlite:///:memory: $(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check_migrations.py

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

# The production server, locally: DEBUG off, gunicorn, whitenoise, PostgreSQL. Plain HTTP on
# loopback, so no HTTPS redirect and no Secure-only cookies; everything else as in production.
SERVE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/psc_portal
serve: export DEBUG = false
serve: export SECURE_SSL_REDIRECT ?= false
serve: export SECURE_COOKIES ?= false
serve: export SECURE_HSTS_SECONDS ?= 0
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export DATABASE_URL ?= $(SERVE_DATABASE_URL)
serve: export GUNICORN_BIND ?= 127.0.0.1:$(PORT)
serve: export SITE_URL ?= http://127.0.0.1:$(PORT)
serve: export SECRET_KEY ?= $(shell $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')
serve: install
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	@echo "Production server on http://$(GUNICORN_BIND)/ (health: /healthz, /readyz). Stop with Ctrl+C."
	$(VENV)/bin/gunicorn -c gunicorn.conf.py

# Backups: pg_dump custom format; restore replaces the content of DATABASE_URL.
backup: export DATABASE_URL ?= $(SERVE_DATABASE_URL)
backup:
	scripts/backup.sh backup $(BACKUP)

restore: export DATABASE_URL ?= $(SERVE_DATABASE_URL)
restore:
	@test -n "$(BACKUP)" || { echo "Name the dump: make restore BACKUP=var/backups/<file>.dump"; exit 2; }
	scripts/backup.sh restore $(BACKUP)

LOAD_URL ?= http://127.0.0.1:$(PORT)
load: install-dev
	$(PY) bench/load.py --url $(LOAD_URL)
