# The two commands of the README: `make demo` and `make test`. Both set everything up.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test check unit clean system

# Debian packages the board pack's PDF and its tests need (Pango, fonts, poppler-utils):
# installed with apt-get when missing; a quick check when they are there.
system:
	bash .ci/ensure-debian-packages

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --editable ".[dev]"
	touch $@

demo: system $(BIN)/.installed
	$(BIN)/quarterly demo

check: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: system check
	bash .ci/ensure-postgres
	$(BIN)/pytest -n 2 --maxfail=20

unit: $(BIN)/.installed
	$(BIN)/pytest tests/unit

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
