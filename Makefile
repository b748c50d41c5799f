# Stemdag: the two commands of the README are `make run` and `make test`.
# Everything is installed from this project's own files into .venv (pinned: requirements.lock).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export XDG_RUNTIME_DIR ?= /tmp/stemdag-runtime-$(shell id -u)
_ := $(shell mkdir -p $(XDG_RUNTIME_DIR) && chmod 700 $(XDG_RUNTIME_DIR))

.PHONY: run test lint format typecheck install db demo bench load e2e clean-db help

help:
	@echo "make run    set up, load the demo, serve the app on http://localhost:8501"
	@echo "make test   set up and run the whole test suite (lint, types, tests)"
	@echo "make lint | format | typecheck | e2e (browser tests only) | bench | load"
	@echo "make install (.venv only) | db (migrate) | demo (migrate, load the demo) | clean-db"

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

db: install
	$(BIN)/stemdag db upgrade

demo: db
	$(BIN)/stemdag demo

run: install
	$(BIN)/stemdag run

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: install
	$(BIN)/mypy

test: install lint typecheck
	$(BIN)/python -m pytest

e2e: install
	$(BIN)/python -m pytest tests/e2e

bench: install
	$(BIN)/python -m bench

load: install
	$(BIN)/python -m bench.load

clean-db:
	rm -rf .stemdag
