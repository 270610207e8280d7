# Staffroom: `make demo` runs the product with demo data; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_WORKERS ?= 2
BENCH ?=

.PHONY: demo test lint format bench worker venv dev system-libs chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $(VENV)/.installed $@

venv: $(VENV)/.installed
dev: $(VENV)/.installed-dev

# WeasyPrint (PDFs) needs Pango; install it from Debian's packages when it is missing.
system-libs:
	@ldconfig -p | grep -q 'libpango-1.0.so' || { \
	  echo "Installing Pango for PDF output"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; }

# Browser tests drive Debian's Chromium; Playwright's own browser download does not work here.
chromium:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for browser tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium >/dev/null; }

demo: venv system-libs
	$(BIN)/staffroom migrate --noinput
	$(BIN)/staffroom demo
	$(BIN)/staffroom serve --bind 127.0.0.1:8000

lint: dev
	$(BIN)/ruff check .

format: dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# pytest exits 5 when it collected no tests: treat that as a failure, never as silence.
test: dev system-libs chromium
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -p no:cacheprovider; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing the run"; exit 1; fi; \
	  exit $$rc

bench: dev system-libs
	$(BIN)/python -m bench $(BENCH)

worker: venv
	$(BIN)/staffroom db_worker

clean:
	rm -rf $(VENV) var/staffroom.sqlite3*
