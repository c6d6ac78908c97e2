# Infrastructure targets, included from the Makefile (`include infra/infra.mk`).
#
#   make synth-deps   the CDK toolchain: infra/requirements.txt into .venv (stamped), node_modules
#   make synth        cdk synth into infra/cdk.out (offline, no AWS credentials), then cfn-lint
#   make infra-test   the template tests (tests/integration/test_infra_template.py)
#
# Offline: without credentials the template keeps the account and region as pseudo-parameters.
# AWS_DEFAULT_REGION only satisfies Chalice's packager, which wants a region to exist.

VENV ?= .venv
PY ?= $(VENV)/bin/python
STAMPS ?= .stamps
CDK := node_modules/.bin/cdk
CDK_OUT ?= infra/cdk.out
# jsii prints a 12-line banner on every run under an end-of-life Node; it knows, we know.
NODE_MAJOR := $(shell node -p 'process.versions.node.split(".")[0]' 2>/dev/null)
INFRA_ENV := AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} \
	JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=$(NODE_MAJOR)

.PHONY: synth-deps synth infra-test

# A venv without the CDK library (recreated, or installed before infra existed) forces the
# install whatever the stamp says.
ifeq ($(wildcard $(VENV)/lib/python3*/site-packages/aws_cdk/__init__.py),)
.PHONY: $(STAMPS)/infra-deps
endif

synth-deps: venv node $(STAMPS)/infra-deps ## The CDK toolchain (Python library, npm CLI, cfn-lint)
	@test -x $(CDK) || npm ci --no-audit --no-fund

$(STAMPS)/infra-deps: infra/requirements.txt constraints.txt $(STAMPS)/venv
	$(call install,$(PY),-r infra/requirements.txt -c constraints.txt)
	@mkdir -p $(STAMPS) && touch $@

# cfn-lint ignores no rule: the synthesised templates lint clean. (It checks the SAM resources
# Chalice emits against their schema but does not run the SAM transform itself.)
synth: synth-deps web ## cdk synth (offline) into infra/cdk.out (the Lambda package carries the API reference's Swagger UI: `make web`), then cfn-lint the templates
	rm -rf $(CDK_OUT)
	cd infra && $(INFRA_ENV) ../$(CDK) synth --quiet --output $(abspath $(CDK_OUT))
	$(VENV)/bin/cfn-lint $(CDK_OUT)/*.template.json

infra-test: synth-deps web ## The infrastructure template tests (one synth per session)
	$(INFRA_ENV) $(PY) -m pytest tests/integration/test_infra_template.py $(PYTEST_ARGS)
