# One command per job. `make run` and `make test` set everything up on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# The first interpreter >= 3.12 found: on PATH, or under pyenv.
PYTHON_FOR_VENV := $(shell for p in python3.13 python3.12 python3 \
	$$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 \
	/root/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3; do \
	command -v $$p >/dev/null 2>&1 || [ -x $$p ] || continue; \
	$$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null && { echo $$p; break; }; done)

.PHONY: help setup run test lint bench messages makemessages clean

help:
	@echo "make run    — set up and serve the portal with demo data at http://127.0.0.1:8000 (Ctrl-C stops)"
	@echo "make test   — set up and run the whole test suite (PostgreSQL and Redis on 127.0.0.1)"
	@echo "make lint   — ruff, the import contracts (import-linter), and a check that no migration is missing"
	@echo "make bench  — run the benchmarks in tests/bench/"

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON_FOR_VENV)" ]; then \
		echo "zhibu needs Python 3.12 or newer (Django 6.1). None was found on PATH or under ~/.pyenv."; \
		echo "Install one (e.g. 'pyenv install 3.13') and run the command again."; exit 1; fi
	@[ -x $(PY) ] || $(PYTHON_FOR_VENV) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

setup: $(STAMP) messages

messages: $(STAMP)
	@$(VENV)/bin/pybabel compile --domain=django --directory=locale --statistics 2>&1 | grep -v "^$$" || true

# After adding strings: extract them (needs GNU gettext: apt-get install gettext), translate the new
# entries in locale/zh_Hans/LC_MESSAGES/django.po; tests/test_translations.py fails on an empty one.
makemessages: $(STAMP)
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=static --ignore=staticfiles \
		--ignore=tests --ignore=.data
	$(PY) scripts/po_untranslated.py

run: setup
	$(PY) scripts/run.py

test: setup
	@bash scripts/test-deps.sh
	$(VENV)/bin/pytest --create-db

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(PY) manage.py makemigrations --check --dry-run

bench: setup
	@for script in tests/bench/[!_]*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
