# ckanext-nd47 — two commands for a new user:
#   make dev    set everything up and serve the demo portal on http://127.0.0.1:5000
#   make test   set up what the tests need, lint, run the tests on the real stack
# Every target is idempotent. CKAN_VERSION=2.11 selects CKAN 2.11.

CKAN_VERSION ?= 2.12
PYTHON ?= python3
# CKAN 2.12 is the default; another version gets its own virtualenv, test
# database and Solr core, so both can be tested on one machine.
ifeq ($(CKAN_VERSION),2.12)
VENV ?= .venv
TEST_DB ?= ckan_nd47_test
TEST_SOLR_CORE ?= ckan_test
else
VENV ?= .venv-$(CKAN_VERSION)
TEST_DB ?= ckan_nd47_test_$(subst .,,$(CKAN_VERSION))
TEST_SOLR_CORE ?= ckan_test_$(subst .,,$(CKAN_VERSION))
endif
RUN_DIR ?= $(CURDIR)/.run
# ports of the local services (scripts/stack.sh); test.ini and dev.ini use these defaults
PG_PORT ?= 5433
REDIS_PORT ?= 6380
SOLR_PORT ?= 8983
DEV_HOST ?= 127.0.0.1
DEV_PORT ?= 5000
PYTEST_ARGS ?=
# Redis database of the test run (another checkout testing at the same time takes another)
TEST_REDIS_DB ?= 1
# make bench: its own database and Solr core (emptied before each benchmark)
BENCH_DB ?= ckan_nd47_bench
BENCH_SOLR_CORE ?= ckan_bench
BENCH_REDIS_DB ?= 3
BENCH_ARGS ?=

BIN := $(VENV)/bin
STAMP := $(VENV)/.nd47-installed-$(CKAN_VERSION)
STACK := VENV=$(CURDIR)/$(VENV) RUN_DIR=$(RUN_DIR) \
	PG_PORT=$(PG_PORT) REDIS_PORT=$(REDIS_PORT) SOLR_PORT=$(SOLR_PORT) scripts/stack.sh
# the demo portal and the tests use separate databases and Solr cores
DEV_STACK := DB_NAMES=ckan_nd47_dev SOLR_CORES=ckan $(STACK)
TEST_STACK := DB_NAMES=$(TEST_DB) SOLR_CORES=$(TEST_SOLR_CORE) $(STACK)
BENCH_STACK := DB_NAMES=$(BENCH_DB) SOLR_CORES=$(BENCH_SOLR_CORE) $(STACK)
BENCH_ENV := CKAN_SQLALCHEMY_URL=postgresql://ckan_nd47:ckan_nd47@127.0.0.1:$(PG_PORT)/$(BENCH_DB) \
	CKAN_SOLR_URL=http://127.0.0.1:$(SOLR_PORT)/solr/$(BENCH_SOLR_CORE) \
	CKAN_REDIS_URL=redis://127.0.0.1:$(REDIS_PORT)/$(BENCH_REDIS_DB)
TEST_ENV := CKAN_SQLALCHEMY_URL=postgresql://ckan_nd47:ckan_nd47@127.0.0.1:$(PG_PORT)/$(TEST_DB) \
	CKAN_SOLR_URL=http://127.0.0.1:$(SOLR_PORT)/solr/$(TEST_SOLR_CORE) \
	CKAN_REDIS_URL=redis://127.0.0.1:$(REDIS_PORT)/$(TEST_REDIS_DB) ND47_VENV=$(CURDIR)/$(VENV)

.PHONY: help system venv assets services test-services stop status test lint format dev demo-data i18n bench clean

help:
	@echo "make dev    - install, start services, load Vietnamese demo data, serve http://$(DEV_HOST):$(DEV_PORT)"
	@echo "make test   - install, start services, ruff, pytest (CKAN_VERSION=$(CKAN_VERSION))"
	@echo "make stop   - stop the services started here"
	@echo "make status - what runs"
	@echo "make i18n   - extract, update and compile the translation catalogues"
	@echo "make bench  - every bench/bench_*.py on its own fresh database (BENCH_ARGS=--quick: smoke run)"

system:
	@scripts/stack.sh system

# The virtualenv: CKAN with its pinned requirements and test tools, the three
# CKAN extensions we build on, and this package in editable mode.
venv: $(STAMP)
$(STAMP): pyproject.toml setup.py | system
	@scripts/venv.sh "$(PYTHON)" "$(VENV)" "$(CKAN_VERSION)"
	@touch $@

# Leaflet from npm, served by the portal itself (scripts/assets.sh; idempotent)
assets: | system
	@scripts/assets.sh

services: venv assets
	@$(DEV_STACK) start

test-services: venv assets
	@$(TEST_STACK) start

stop:
	@$(STACK) stop

status:
	@$(STACK) status

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: test-services
	$(BIN)/ruff check .
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

demo-data: services
	@scripts/dev.sh setup "$(VENV)"

dev: demo-data
	@scripts/dev.sh serve "$(VENV)" "$(DEV_HOST)" "$(DEV_PORT)"

i18n: venv
	@scripts/i18n.sh "$(VENV)"

# Creates the bench database and Solr core; bench/run.py empties and
# initialises the database before each script.
bench: venv
	@$(BENCH_STACK) start
	$(BENCH_ENV) $(BIN)/python bench/run.py $(BENCH_ARGS)

clean: stop
	rm -rf $(RUN_DIR) .venv .venv-* *.egg-info
