"""The Stripe SDK's client, made on first use, and its errors as domain errors. `stripe` is
imported here and in the adapters beside it, only on first use, so `import app` (and every
cold start that takes no payment) never pays for it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from chalicelib.kernel.domain.errors import TransientFailure
from chalicelib.payments.domain.payments import ProviderError


def new_client(secret_key: str, api_base: str = "") -> Any:
    import stripe

    kwargs: dict[str, Any] = {"max_network_retries": 2}
    if api_base:
        kwargs["base_addresses"] = {"api": api_base}
    return stripe.StripeClient(secret_key, **kwargs)


@contextlib.contextmanager
def translated() -> Iterator[None]:
    """Stripe's errors as domain errors: worth retrying (503) or not (502)."""
    import stripe

    try:
        yield
    except (stripe.RateLimitError, stripe.APIConnectionError) as exc:
        raise TransientFailure("The payment provider is busy; try again.") from exc
    except stripe.StripeError as exc:
        status = getattr(exc, "http_status", None) or 500
        if status >= 500 and status != 501:
            raise TransientFailure("The payment provider failed; try again.") from exc
        raise ProviderError(
            "The payment provider refused the request.",
            provider_code=getattr(exc, "code", None),
            provider_status=status,
        ) from exc


class StripeClient:
    """What every Stripe adapter holds: the client (made on the first call) and the options
    of a call (the connected account it acts on, its idempotency key)."""

    def __init__(self, client_factory: Callable[[], Any]) -> None:
        # A factory, so the secret is read (and the SDK imported) on the first call.
        self._factory = client_factory
        self._client: Any = None

    @property
    def _v1(self) -> Any:
        if self._client is None:
            self._client = self._factory()
        return self._client.v1

    @staticmethod
    def _opts(account: str | None, key: str | None = None) -> dict[str, str]:
        options: dict[str, str] = {}
        if account:
            options["stripe_account"] = account
        if key:
            options["idempotency_key"] = key
        return options
