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
# make test-cloud: the search and DCAT suites against a local SolrCloud
CLOUD_TESTS ?= tests/test_search.py tests/search tests/dcat
# make test ends with these against the SolrCloud (make test-cloud-quick alone):
# what differs on a cloud, i.e. search and ranking merged from two shards
# (accents, diacritics first, adjacency, codes, facets), the DCAT catalogue's
# paging and modified_since through Solr, the paged dump listing. About 2 min
# with the cluster's start (docs/benchmarks.md); the judged set (50 s more)
# is left to make test-cloud.
CLOUD_QUICK_TESTS ?= tests/test_search.py::TestVietnameseSearch tests/test_search.py::TestFacets \
	tests/search/test_ranking_rules.py::TestDiacritics \
	tests/search/test_ranking_rules.py::TestWordsAndPhrases \
	tests/search/test_ranking_rules.py::TestCodes::test_the_agency_name_finds_its_datasets \
	tests/dcat/test_serialize.py::test_paging_is_stable_and_complete \
	tests/dcat/test_serialize.py::test_modified_since \
	tests/dcat/test_views.py::test_dump_has_every_public_dataset_and_nothing_else
# yes: make test ends with the SolrCloud run; by default only a full run
# (no PYTEST_ARGS) does, so a subset stays quick
TEST_CLOUD ?= $(if $(strip $(PYTEST_ARGS)),no,yes)
# Redis database of the test run (another checkout testing at the same time takes another)
TEST_REDIS_DB ?= 1
# make bench: its own database and Solr core (emptied before each benchmark)
BENCH_DB ?= ckan_nd47_bench
BENCH_SOLR_CORE ?= ckan_bench
BENCH_REDIS_DB ?= 3
BENCH_ARGS ?=
# make serve-prod: gunicorn + RQ workers on their own database, Solr core and Redis database
PROD_DB ?= ckan_nd47_prod
PROD_SOLR_CORE ?= ckan_prod
PROD_REDIS_DB ?= 4
PROD_HOST ?= 127.0.0.1
PROD_PORT ?= 5080
PROD_RUN_DIR ?= $(CURDIR)/.run/prod

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
PROD_STACK := DB_NAMES=$(PROD_DB) SOLR_CORES=$(PROD_SOLR_CORE) $(STACK)
PROD_ENV := CKAN_SQLALCHEMY_URL=postgresql://ckan_nd47:ckan_nd47@127.0.0.1:$(PG_PORT)/$(PROD_DB) \
	CKAN_SOLR_URL=http://127.0.0.1:$(SOLR_PORT)/solr/$(PROD_SOLR_CORE) \
	CKAN_REDIS_URL=redis://127.0.0.1:$(REDIS_PORT)/$(PROD_REDIS_DB) \
	CKAN_SITE_URL=http://$(PROD_HOST):$(PROD_PORT) CKAN_STORAGE_PATH=$(PROD_RUN_DIR)/storage \
	PROD_RUN_DIR=$(PROD_RUN_DIR)
TEST_ENV := CKAN_SQLALCHEMY_URL=postgresql://ckan_nd47:ckan_nd47@127.0.0.1:$(PG_PORT)/$(TEST_DB) \
	CKAN_SOLR_URL=http://127.0.0.1:$(SOLR_PORT)/solr/$(TEST_SOLR_CORE) \
	CKAN_REDIS_URL=redis://127.0.0.1:$(REDIS_PORT)/$(TEST_REDIS_DB) ND47_VENV=$(CURDIR)/$(VENV)

.PHONY: help system venv assets services test-services stop status test lint format dev demo-data i18n bench clean serve-prod stop-prod test-cloud test-cloud-quick

help:
	@echo "make dev    - install, start services, load Vietnamese demo data, serve http://$(DEV_HOST):$(DEV_PORT)"
	@echo "make test   - install, start services, ruff, pytest (CKAN_VERSION=$(CKAN_VERSION)), then a quick SolrCloud run"
	@echo "make stop   - stop the services started here"
	@echo "make status - what runs"
	@echo "make i18n   - extract, update and compile the translation catalogues"
	@echo "make serve-prod - gunicorn (WEB_WORKERS=4) + job workers (JOB_WORKERS=2) on http://$(PROD_HOST):$(PROD_PORT), own database"
	@echo "make stop-prod  - stop them"
	@echo "make test-cloud - tests/test_search.py, tests/search and tests/dcat against a local SolrCloud (2 nodes, 2 shards x 2 replicas)"
	@echo "make test-cloud-quick - CLOUD_QUICK_TESTS against it (the end of a full make test; TEST_CLOUD=no skips it)"
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
ifeq ($(TEST_CLOUD),yes)
	@$(CLOUD_RUN) $(CLOUD_QUICK_TESTS)
endif

# The search and DCAT suites against a local SolrCloud (two nodes, a
# collection of 2 shards x 2 replicas; scripts/solrcloud.sh), on the test
# database; the single Solr node is only used for its Maven classpath.
CLOUD_RUN = RUN_DIR=$(RUN_DIR) scripts/solrcloud.sh run "$(VENV)" env $(filter-out CKAN_SOLR_URL=%,$(TEST_ENV)) $(BIN)/pytest
test-cloud: test-services
	@$(CLOUD_RUN) $(CLOUD_TESTS) $(PYTEST_ARGS)

# CLOUD_QUICK_TESTS against the SolrCloud: the part of make test-cloud that CI runs
test-cloud-quick: test-services
	@$(CLOUD_RUN) $(CLOUD_QUICK_TESTS)

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

# The portal as in production (docs/deploy.md), loopback only, on its own
# database, Solr core and Redis database loaded with the demo data.
serve-prod: venv
	@$(PROD_STACK) start
	@$(PROD_ENV) scripts/prod.sh setup "$(VENV)"
	@$(PROD_ENV) scripts/prod.sh start "$(VENV)" "$(PROD_HOST)" "$(PROD_PORT)"

stop-prod:
	@PROD_RUN_DIR=$(PROD_RUN_DIR) scripts/prod.sh stop

clean: stop
	rm -rf $(RUN_DIR) .venv .venv-* *.egg-info
