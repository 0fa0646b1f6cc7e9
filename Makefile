# Two commands for a fresh machine (see README.md):
#   make refresh   set up, then run the full refresh (publishes build/warehouse.duckdb and build/site/)
#   make test      set up, then run every test
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup refresh test serve dev bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

refresh: setup
	$(BIN)/inclusion refresh

test: setup
	$(BIN)/python -m pytest

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
