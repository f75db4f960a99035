# wijkbeeld: two commands. `make demo` runs the app with demo data, `make test` runs every check.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# The first Python 3.12 that really runs (a pyenv shim for an unselected version does not).
PYTHON312 := $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12.*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do \
	$$p -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1 && { echo $$p; break; }; done)
STAMP := $(VENV)/.installed
# Front-end packages the tests need (axe-core), pinned in package-lock.json.
NODE_STAMP := node_modules/.installed

.PHONY: demo test lint typecheck venv clean serve

$(PY):
	@if [ -z "$(PYTHON312)" ]; then echo "Python 3.12 not found on PATH or under ~/.pyenv" >&2; exit 1; fi
	$(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

demo: $(STAMP)
	$(VENV)/bin/wijkbeeld demo load
	$(VENV)/bin/wijkbeeld serve --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks

typecheck: $(STAMP)
	$(VENV)/bin/mypy

test: lint typecheck $(NODE_STAMP)
	$(VENV)/bin/pytest -q --durations=15

clean:
	rm -rf $(VENV) node_modules wijkbeeld.sqlite3 .pytest_cache .mypy_cache .ruff_cache
