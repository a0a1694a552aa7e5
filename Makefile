# The two commands of the README: `make demo` and `make test`. Both set everything up.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test check unit browser screenshots web-assets clean system

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
	bash .ci/ensure-chromium
	$(BIN)/pytest -n 2 --dist loadgroup --maxfail=20

unit: $(BIN)/.installed
	$(BIN)/pytest tests/unit

# The web pages in a real browser (Debian's chromium), on both stores.
browser: $(BIN)/.installed
	bash .ci/ensure-postgres
	bash .ci/ensure-chromium
	$(BIN)/pytest -p no:xdist tests/e2e/test_web_browser.py

# docs/screenshots/: every page, drawn by chromium over a sample store.
screenshots: $(BIN)/.installed
	bash .ci/ensure-chromium
	$(BIN)/python -m tests.e2e.screenshots

# Fetches govuk-frontend, accessible-autocomplete and axe-core from the npm registry into
# infra/web/static/ and tests/e2e/vendor/ (committed: installs and servers never fetch them).
web-assets:
	$(BIN)/python scripts/vendor_web_assets.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
