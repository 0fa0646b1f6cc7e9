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

DAGSTER_HOME ?= $(CURDIR)/build/dagster_home
dev: setup
	mkdir -p $(DAGSTER_HOME) && cp -n pipelines/dagster.yaml $(DAGSTER_HOME)/dagster.yaml || true
	DAGSTER_HOME=$(DAGSTER_HOME) $(BIN)/dagster dev -w workspace.yaml

# Speed and memory against baselines measured in the same run (docs/benchmarks.md):
#   make bench [BENCH_ARGS="--records-10m --site-baseline-rev eb92994"]
bench: setup
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

clean:
	rm -rf build
