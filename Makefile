# The two commands: `make demo` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format bench clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/thuvien demo

test: $(STAMP)
	$(BIN)/ruff check bot db tests bench
	$(BIN)/ruff format --check bot db tests bench
	$(BIN)/mypy bot db
	$(BIN)/python -m pytest -q

format: $(STAMP)
	$(BIN)/ruff format bot db tests bench
	$(BIN)/ruff check --fix bot db tests bench

bench: $(STAMP)
	$(BIN)/python -m bench.search
	$(BIN)/python -m bench.roundtrip
	$(BIN)/python -m bench.import_books
	$(BIN)/python -m bench.circulation
	$(BIN)/python -m bench.reminders
	$(BIN)/python -m bench.reports

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
