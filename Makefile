# Aspirasi Etam: `make run` serves the app, `make test` runs every check.
# Both set everything up on a fresh machine (virtualenv, packages, database).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
export FLASK_APP := app

.PHONY: run test lint translations venv install install-dev init bench bench-deadlines \
	bench-pages clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

init: install
	$(BIN)/flask aspirasi init

# The web server and a Celery worker with beat beside it (tools/serve.py).
run: init
	$(BIN)/python -m tools.serve --host 127.0.0.1 --port 5000

lint: install-dev
	$(BIN)/ruff check .

test: install-dev lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

translations: install-dev
	$(BIN)/python -m tools.translations update

bench: install-dev
	$(BIN)/python -m bench.report

# The Terlambat lists and the deadline sweep at 1,000,000 messages.
bench-deadlines: install-dev
	$(BIN)/python -m bench.deadlines

# The citizen pages against a bare Flask page (wrk) and over a slow network (Chromium).
bench-pages: install-dev
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(BIN)/python -m bench.pages

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
