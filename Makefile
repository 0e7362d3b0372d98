# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST_PORT ?= 127.0.0.1:8000

.PHONY: run test lint bench install install-dev migrate ingest-seeds score format

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install only when a requirements file changed.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(MANAGE) migrate --noinput

ingest-seeds: migrate
	$(MANAGE) ingest_articles seeds/

run: ingest-seeds
	$(MANAGE) runserver $(HOST_PORT)

# The slowest tests are listed, so that the suite stays within minutes as it grows.
test: install-dev
	$(BIN)/python -m pytest --durations=15

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(MANAGE) makemigrations --check --dry-run

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

score: install
	PATH=$(CURDIR)/$(BIN):$$PATH python ../shared/tools/score_extraction.py ../shared/corpus/dev/gold.jsonl

# Search relevance on the dev corpus (its own small database) first, then the 100,000 meetings.
bench: install-dev
	$(BIN)/python bench/bench_relevance.py
	$(BIN)/python bench/run.py
