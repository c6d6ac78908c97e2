"""The Stripe secrets: from Secrets Manager on AWS (through Powertools Parameters, cached
for five minutes, so a rotated key is picked up without a deploy), or from the settings
locally. Secret JSON: {"secret_key": "sk_...", "webhook_secrets": ["whsec_...", ...]}."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from chalicelib.kernel.domain.errors import TransientFailure
from chalicelib.kernel.domain.values import value
from chalicelib.settings import Settings

MAX_AGE_SECONDS = 300
# The Stripe secret's JSON keys: the infra creates the secret with these (infra/stacks/data.py)
# and docs/DEPLOY.md tells operators to store them; tests check all three agree.
SECRET_KEY_FIELD = "secret_key"
WEBHOOK_SECRETS_FIELD = "webhook_secrets"  # a list of "whsec_..." (or one comma-separated string)


@value
class StripeSecrets:
    secret_key: str
    webhook_secrets: tuple[str, ...]


def _powertools_get_secret(name: str) -> Any:
    from aws_lambda_powertools.utilities import parameters

    return parameters.get_secret(name, max_age=MAX_AGE_SECONDS)


class StripeSecretSource:
    def __init__(
        self, settings: Settings, get_secret: Callable[[str], Any] = _powertools_get_secret
    ) -> None:
        self._settings = settings
        self._get_secret = get_secret

    def get(self) -> StripeSecrets:
        s = self._settings
        if not s.stripe_secret_arn:
            return StripeSecrets(s.stripe_secret_key, s.stripe_webhook_secrets)
        try:
            raw = self._get_secret(s.stripe_secret_arn)  # Powertools caches it
        except Exception as exc:  # noqa: BLE001 - any failure to read is worth a retry
            raise TransientFailure("The payment configuration could not be read.") from exc
        doc = json.loads(raw) if isinstance(raw, str | bytes) else dict(raw)
        hooks = doc.get(WEBHOOK_SECRETS_FIELD) or []
        if isinstance(hooks, str):
            hooks = [h for h in hooks.split(",") if h]
        return StripeSecrets(str(doc.get(SECRET_KEY_FIELD, "")), tuple(hooks))


class PlainSecretSource:
    """One secret string (the key that signs customers' manage links): from Secrets Manager
    when an ARN is configured (cached by Powertools), else the configured value (local)."""

    def __init__(
        self, value: str, arn: str, get_secret: Callable[[str], Any] = _powertools_get_secret
    ) -> None:
        self._value = value
        self._arn = arn
        self._get_secret = get_secret

    def get(self) -> str:
        if not self._arn:
            return self._value
        try:
            raw = self._get_secret(self._arn)
        except Exception as exc:  # noqa: BLE001 - any failure to read is worth a retry
            raise TransientFailure("A secret could not be read; try again shortly.") from exc
        return raw.decode() if isinstance(raw, bytes) else str(raw)
