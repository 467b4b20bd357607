# finstack: `make demo` to look at it, `make test` to check it. `make help` lists the rest.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
SEED ?= 42
SCALE ?= demo
WAREHOUSE := warehouse
RAW := $(WAREHOUSE)/raw.duckdb
DBT := $(BIN)/dbt
SOURCES_OF_MODELS := $(shell find models macros seeds tests analyses -type f 2>/dev/null) dbt_project.yml selectors.yml

export FINSTACK_RAW_PATH ?= $(CURDIR)/$(RAW)
export FINSTACK_WAREHOUSE ?= $(CURDIR)/$(WAREHOUSE)/finstack.duckdb
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: help install demo test lint lint-python lint-sql docs serve-docs build clean bq-check pytest ci-build bench \
	dashboard semantic-check chromium

help:
	@echo "make demo    install into .venv, generate demo data, dbt build, docs"
	@echo "make test    lint, dbt build + tests on tiny data, BigQuery check, pytest"
	@echo "make lint    ruff and sqlfluff"
	@echo "make docs    dbt docs generate --static (after demo)"
	@echo "make dashboard  the static dashboard from the saved queries (after demo)"
	@echo "make serve-docs  serve the docs on http://localhost:8080"
	@echo "make bench   time generation, full and incremental builds (SCALE=demo|large)"
	@echo "make clean   remove .venv, warehouse/, target/"

# --- install -----------------------------------------------------------------
$(INSTALLED): pyproject.toml requirements.lock
	@test -n "$(PYTHON)" || { echo "Python 3.11 is required (python3.11 not found)"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

install: $(INSTALLED) profiles.yml

profiles.yml: profiles.example.yml
	cp $< $@

# --- demo --------------------------------------------------------------------
$(RAW):
	@mkdir -p $(WAREHOUSE)
	$(BIN)/python -m finstack generate --scale $(SCALE) --seed $(SEED) --raw $(RAW)

$(WAREHOUSE)/.built: $(RAW) $(SOURCES_OF_MODELS) | install
	$(DBT) build --target dev
	@touch $@

$(WAREHOUSE)/.docs: $(WAREHOUSE)/.built
	$(DBT) docs generate --target dev --static
	@touch $@

$(WAREHOUSE)/dashboard/index.html: $(WAREHOUSE)/.docs $(shell find src/finstack/dashboard -type f 2>/dev/null)
	DBT_TARGET=dev $(BIN)/python -m finstack dashboard --target dev --out $(WAREHOUSE)/dashboard

build: install $(WAREHOUSE)/.built

dashboard: install $(WAREHOUSE)/dashboard/index.html

demo: install $(WAREHOUSE)/.built $(WAREHOUSE)/.docs $(WAREHOUSE)/dashboard/index.html
	@echo
	@echo "Demo ready."
	@echo "  raw data (every source):  $(RAW)"
	@echo "  warehouse (models):       $(WAREHOUSE)/finstack.duckdb"
	@echo "  docs and lineage:         target/static_index.html   (one offline file; or make serve-docs)"
	@echo "  dashboard:                $(WAREHOUSE)/dashboard/index.html   (offline, open in a browser)"
	@echo "  metrics:                  DBT_TARGET=dev $(BIN)/mf query --saved-query overview_kpis"
	@echo "  query it:                 $(BIN)/python -c \"import duckdb; print(duckdb.connect('$(WAREHOUSE)/finstack.duckdb', read_only=True).sql('show all tables'))\""

docs: install
	$(DBT) docs generate --target dev --static

serve-docs: install
	$(DBT) docs serve --target dev --port 8080

# --- test --------------------------------------------------------------------
# Everything CI checks, in order, stopping at the first failure.
test: install
	@ci_dir=$$(mktemp -d); trap 'rm -rf "$$ci_dir"' EXIT; \
	$(MAKE) chromium; \
	$(MAKE) lint-python; \
	$(MAKE) ci-build CI_DIR="$$ci_dir"; \
	$(MAKE) bq-check; \
	$(MAKE) pytest CI_DIR="$$ci_dir"

lint: install lint-python
	@ci_dir=$$(mktemp -d); trap 'rm -rf "$$ci_dir"' EXIT; \
	$(BIN)/python -m finstack generate --scale tiny --seed 1 --raw "$$ci_dir/raw.duckdb" --quiet; \
	$(MAKE) lint-sql CI_DIR="$$ci_dir"

lint-python:
	$(BIN)/ruff check src tests models
	$(BIN)/ruff format --check src tests models
	$(BIN)/python -m finstack contracts --check
	$(BIN)/python -m finstack defects-doc --check

lint-sql:
	FINSTACK_CI_DIR=$(CI_DIR) FINSTACK_RAW_PATH=$(CI_DIR)/raw.duckdb $(BIN)/sqlfluff lint models analyses tests --processes 2

# tiny raw data -> sqlfluff -> dbt build -> docs, in CI_DIR
ci-build:
	@test -n "$(CI_DIR)" || { echo "CI_DIR is not set"; exit 1; }
	$(BIN)/python -m finstack generate --scale tiny --seed 1 --raw $(CI_DIR)/raw.duckdb --quiet
	$(MAKE) lint-sql CI_DIR=$(CI_DIR)
	FINSTACK_CI_DIR=$(CI_DIR) FINSTACK_RAW_PATH=$(CI_DIR)/raw.duckdb $(DBT) build --target ci --fail-fast
	$(MAKE) semantic-check CI_DIR=$(CI_DIR)
	FINSTACK_CI_DIR=$(CI_DIR) FINSTACK_RAW_PATH=$(CI_DIR)/raw.duckdb $(DBT) docs generate --target ci --static

# MetricFlow's checks of the semantic models, metrics and saved queries,
# against the ci warehouse (columns exist, queries compile and run).
semantic-check:
	@test -n "$(CI_DIR)" || { echo "CI_DIR is not set"; exit 1; }
	DBT_TARGET=ci FINSTACK_CI_DIR=$(CI_DIR) FINSTACK_RAW_PATH=$(CI_DIR)/raw.duckdb $(BIN)/mf validate-configs

# Debian's Chromium, for the browser tests of the docs and the dashboard.
chromium:
	@if command -v chromium >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
		echo "Chromium is missing and only root can install it: sudo apt-get install -y chromium"; exit 1; \
	fi; \
	echo "Installing Debian's chromium for the browser tests"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

# BigQuery readiness, offline: compile for a prod-shaped target without any
# connection, then parse every compiled model, and the SQL MetricFlow
# renders for every saved query, as GoogleSQL.
bq-check:
	rm -rf target/bq_offline
	$(DBT) compile --target bq_offline --no-introspect --no-populate-cache --target-path target/bq_offline --quiet
	$(BIN)/python -m finstack bq-check --compiled-dir target/bq_offline/compiled \
		--semantic-manifest target/bq_offline/semantic_manifest.json

pytest:
	FINSTACK_CI_DIR=$(CI_DIR) $(BIN)/python -m pytest

# --- benchmark ----------------------------------------------------------------
bench: install
	$(BIN)/python -m finstack bench --scale $(SCALE) --seed $(SEED) --workdir $(WAREHOUSE)/bench-$(SCALE) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(WAREHOUSE) target logs dbt_packages profiles.yml
