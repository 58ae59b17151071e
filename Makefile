# The two set-up commands: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test bench eval install dev clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "yuqing 需要 Python 3.11 或更高版本 (needs Python 3.11+)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed
dev: $(VENV)/.installed-dev

## Run the whole system once on the bundled sample sites (SQLite under ./var/demo).
demo: install
	$(BIN)/yuqing demo

## Run the whole test suite (PostgreSQL too when YUQING_TEST_POSTGRES is set).
test: dev
	$(BIN)/python -m pytest

## Benchmarks: ratios against baselines measured in the same run. Never fails CI.
bench: dev
	$(BIN)/python -m bench

## Extraction accuracy on the real pages in ../shared/fixtures/real (skipped when absent).
eval: dev
	$(BIN)/python bench/eval_extract.py

clean:
	rm -rf $(VENV) var build *.egg-info
