# PSC Portal: the front door. `make run` serves the demo portal; `make test` runs every test.
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/psc_portal

.DEFAULT_GOAL := help
.PHONY: help install install-dev run data test lint format check-db clean

help:
	@echo "make run     serve the portal with demo content at http://127.0.0.1:$(PORT)"
	@echo "make test    run the whole test suite on PostgreSQL"
	@echo "make lint    ruff, formatting and migration checks"
	@echo "make format  format the code"
	@echo "make data    load reference data and demo content into the configured database"

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
	$(PY) manage.py load_reference_data
	$(PY) manage.py load_demo_content
	@echo ""
	@echo "PSC Portal is running at http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/). Stop it with Ctrl+C."
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

data: export DEBUG ?= true
data: install
	$(PY) manage.py load_reference_data
	$(PY) manage.py load_demo_content

check-db: install-dev
	@DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) scripts/check_database.py

test: check-db
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(VENV)/bin/pytest

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=true DATABASE_URL=sqlite:///:memory: $(PY) manage.py makemigrations --check --dry-run

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
