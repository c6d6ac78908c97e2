"""The names a deployment writes are the names the code reads: environment variables and the
Stripe secret's JSON keys, in the settings and in the operator's guide (docs/DEPLOY.md).

The synthesised template is checked the same way in tests/integration/test_infra_template.py."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path

import pytest

from chalicelib.kernel.adapters.secrets import StripeSecretSource
from chalicelib.settings import (
    DEPLOYED,
    LOCAL_ONLY,
    Settings,
    deployment_environment,
    env_name,
    from_environ,
)

DEPLOY_DOC = Path(__file__).resolve().parents[2] / "docs" / "DEPLOY.md"


class RecordingEnviron(dict):
    """An environment that remembers every name it was asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[str] = set()

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)


def names_the_code_reads() -> set[str]:
    environ = RecordingEnviron()
    from_environ(environ)
    return environ.asked


def test_every_setting_is_read_from_the_variable_env_name_gives():
    read = names_the_code_reads()
    for field in fields(Settings):
        if field.name != "region":  # AWS_REGION, set by Lambda itself
            assert env_name(field.name) in read, field.name


def test_the_deployment_environment_refuses_names_the_code_does_not_read():
    values = dict.fromkeys(DEPLOYED, "x")
    assert set(deployment_environment(values)) <= names_the_code_reads()
    with pytest.raises(ValueError, match="webhook_signing_secret"):
        deployment_environment({**values, "webhook_signing_secret": "x"})


def test_the_deployment_environment_refuses_local_only_settings_and_needs_every_deployed_one():
    values = dict.fromkeys(DEPLOYED, "x")
    for name in LOCAL_ONLY:
        with pytest.raises(ValueError, match=name):
            deployment_environment({**values, name: "x"})
    missing = sorted(DEPLOYED)[0]
    with pytest.raises(ValueError, match=missing):
        deployment_environment({k: v for k, v in values.items() if k != missing})


def documented_stripe_secret() -> dict:
    """The JSON the guide tells operators to store (`put-secret-value --secret-string '...'`)."""
    (text,) = re.findall(r"--secret-string '(\{.*?\})'", DEPLOY_DOC.read_text(), re.S)
    return json.loads(text)


def test_the_stripe_secret_as_docs_deploy_stores_it_is_the_secret_the_code_reads():
    stored = documented_stripe_secret()
    source = StripeSecretSource(
        Settings(stripe_secret_arn="arn:aws:secretsmanager:eu-west-1:1:secret:stripe"),
        get_secret=lambda arn: json.dumps(stored),
    )
    secrets = source.get()
    assert secrets.secret_key == stored["secret_key"]
    assert secrets.webhook_secrets and all(s.startswith("whsec_") for s in secrets.webhook_secrets)
