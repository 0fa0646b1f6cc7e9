# Two commands for a fresh machine (see README.md):
#   make refresh   set up, then run the full refresh (publishes build/warehouse.duckdb and build/site/)
#   make test      set up, then run the everyday tests (unit + fast integration; make test-all for all)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Two workers by default (a 2-core machine); --dist loadfile keeps a module's tests, and so its
# module-scoped fixtures, on one worker. PYTEST_WORKERS=0 runs in one process (for a debugger).
PYTEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile
# The mirror the integration tests refresh from (skipped with a reason when absent, failed in CI).
INCLUSION_TEST_MIRROR ?= $(abspath ../shared/data)
export INCLUSION_TEST_MIRROR
# uv only writes the lockfile; installs use pip, so a developer needs nothing but Python.
UV_VERSION := 0.13.9

.PHONY: setup refresh test test-all test-browser test-frozen test-loaded ci ci-frozen ci-loaded browser-deps lint format lock serve dev bench clean

setup: $(STAMP)

# Exact versions with hashes from requirements.lock (make lock), then the project itself without
# dependencies, so a fresh machine installs what CI tested.
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Re-resolve requirements.lock from pyproject.toml's ranges (Python 3.11, Linux x86-64, hashes).
lock:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/uv pip compile pyproject.toml --extra test --extra lint --python-version 3.11 \
	  --python-platform x86_64-unknown-linux-gnu --generate-hashes --no-header -o requirements.lock

refresh: setup
	$(BIN)/inclusion refresh

# Everyday loop: unit tests and the integration tests that need no full refresh (< 3 min).
test: setup
	$(PYTEST) -q -m "not slow and not browser"

# Everything, as CI runs it: one shared refreshed warehouse, the real mirror, headless Chromium.
test-all: setup browser-deps
	$(PYTEST) -q

test-browser: setup browser-deps
	$(PYTEST) -q tests/browser

# The everyday tests with the clock set to 23:59:50 and ticking on, so the run crosses midnight
# (tests/conftest.py; TEST_ARGS="tests" for everything).
TEST_ARGS ?= -m "not slow and not browser"
test-frozen: setup
	INCLUSION_TEST_FROZEN_CLOCK=2026-12-31T23:59:50 $(PYTEST) -q $(TEST_ARGS)

# The same tests while both cores are kept busy by other processes (tests/load.py).
test-loaded: setup
	$(BIN)/python tests/load.py -- $(PYTEST) -q $(TEST_ARGS)

# The whole suite as CI runs it (.ci/run: the pinned tools, lint, then the unit, integration and
# browser stages, each printing its summary with its wall and CPU time), as is, with the clock at
# 2026-12-31T23:59:50 and ticking (every pytest process of every stage), or under load.
ci:
	CI=true bash .ci/run

ci-frozen:
	CI=true INCLUSION_TEST_FROZEN_CLOCK=2026-12-31T23:59:50 bash .ci/run

ci-loaded:
	CI=true $(PYTHON) tests/load.py -- bash .ci/run

# axe-core and playwright-core at the versions in tests/browser/package-lock.json.
browser-deps:
	@if command -v npm >/dev/null 2>&1; then \
	  cd tests/browser && npm ci --no-audit --no-fund --silent; \
	else echo "npm not installed: the browser tests will skip (CI fails them)"; fi

# ruff (lint + format check), sqlfluff (DuckDB dialect) and mypy, configured in pyproject.toml.
lint: setup
	$(BIN)/ruff check --output-format concise .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint sql --processes 2
	$(BIN)/mypy sources pipelines

# Rewrite the code to the configured style (what `make lint` then checks).
format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/sqlfluff fix sql --processes 2

serve: setup
	$(BIN)/inclusion serve

# Same settings as `make refresh` (environment over inclusion.env), mirror included.
dev: setup
	$(BIN)/inclusion dev

# The published warehouse in the DuckDB shell, read-only (a refresh never blocks on it).
.PHONY: sql
sql: setup
	$(BIN)/inclusion sql

# Speed and memory against baselines measured in the same run (docs/benchmarks.md):
#   make bench [BENCH_ARGS="--records-10m --site-baseline-rev eb92994"]
bench: setup
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

clean:
	rm -rf build
