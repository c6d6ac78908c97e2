"""The PaymentGateway port over the Stripe SDK. `stripe` is imported here and only here,
on first use, so `import app` (and every cold start that takes no payment) never pays for
it. The API base is configuration: Stripe itself on AWS, localstripe locally and in tests.

Connect: every call for a tenant carries `Stripe-Account: <acct>` (a direct charge on the
tenant's account, the platform's fee as `application_fee_amount`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from chalicelib.kernel.domain.errors import TransientFailure
from chalicelib.payments.domain.payments import ProviderError
from chalicelib.payments.services.payment_ports import (
    Card,
    ConnectedAccount,
    Intent,
    PaymentGateway,
    ProviderRefund,
    Subscription,
)


def new_client(secret_key: str, api_base: str = "") -> Any:
    import stripe

    kwargs: dict[str, Any] = {"max_network_retries": 2}
    if api_base:
        kwargs["base_addresses"] = {"api": api_base}
    return stripe.StripeClient(secret_key, **kwargs)


@contextlib.contextmanager
def _translated() -> Iterator[None]:
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


def _intent(obj: Any) -> Intent:
    d = obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)
    error = d.get("last_payment_error") or d.get("last_setup_error") or {}
    method = d.get("payment_method")
    customer = d.get("customer")
    return Intent(
        id=d["id"],
        status=d["status"],
        amount=int(d.get("amount") or 0),
        amount_received=_received(d),
        currency=str(d.get("currency") or "").upper(),
        client_secret=d.get("client_secret"),
        capture_method=str(d.get("capture_method") or "automatic"),
        customer=customer if isinstance(customer, str) or customer is None else customer["id"],
        payment_method=method if isinstance(method, str) or method is None else method["id"],
        error_code=(error.get("decline_code") or error.get("code")) if error else None,
        metadata={str(k): str(v) for k, v in (d.get("metadata") or {}).items()},
    )


def _received(d: dict[str, Any]) -> int:
    """`amount_received`; an intent that omits it (older API shapes) but succeeded received
    its amount."""
    if d.get("amount_received") is not None:
        return int(d["amount_received"])
    return int(d.get("amount") or 0) if d.get("status") == "succeeded" else 0


def _refund(obj: Any) -> ProviderRefund:
    d = obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)
    return ProviderRefund(
        id=d["id"],
        intent_id=str(d.get("payment_intent") or ""),
        amount=int(d["amount"]),
        status=str(d.get("status") or "succeeded"),
        reason=str((d.get("metadata") or {}).get("reason") or ""),
    )


class StripeGateway(PaymentGateway):
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

    def create_account(
        self, *, tenant_id: str, email: str, idempotency_key: str
    ) -> ConnectedAccount:
        with _translated():
            acct = self._v1.accounts.create(
                params={"type": "standard", "email": email, "metadata": {"tenant_id": tenant_id}},
                options=self._opts(None, idempotency_key),
            )
        return _account(acct)

    def account_link(self, account_id: str, *, refresh_url: str, return_url: str) -> str:
        with _translated():
            link = self._v1.account_links.create(
                params={
                    "account": account_id,
                    "refresh_url": refresh_url,
                    "return_url": return_url,
                    "type": "account_onboarding",
                }
            )
        return str(link.url)

    def get_account(self, account_id: str) -> ConnectedAccount:
        with _translated():
            return _account(self._v1.accounts.retrieve(account_id))

    def create_customer(
        self,
        *,
        account: str | None,
        email: str,
        name: str,
        metadata: dict[str, str],
        idempotency_key: str,
    ) -> str:
        with _translated():
            customer = self._v1.customers.create(
                params={"email": email, "name": name, "metadata": metadata},
                options=self._opts(account, idempotency_key),
            )
        return str(customer.id)

    def create_payment_intent(
        self,
        *,
        account: str,
        amount: int,
        currency: str,
        application_fee: int,
        manual_capture: bool,
        save_card: bool,
        customer: str | None,
        metadata: dict[str, str],
        idempotency_key: str,
    ) -> Intent:
        params: dict[str, Any] = {
            "amount": amount,
            "currency": currency.lower(),
            "payment_method_types": ["card"],
            "metadata": metadata,
        }
        if application_fee > 0:
            params["application_fee_amount"] = application_fee
        if manual_capture:
            params["capture_method"] = "manual"
        if save_card:
            params["setup_future_usage"] = "off_session"
        if customer:
            params["customer"] = customer
        with _translated():
            pi = self._v1.payment_intents.create(
                params=params, options=self._opts(account, idempotency_key)
            )
        return _intent(pi)

    def create_setup_intent(
        self,
        *,
        account: str | None,
        customer: str,
        metadata: dict[str, str],
        idempotency_key: str,
    ) -> Intent:
        with _translated():
            si = self._v1.setup_intents.create(
                params={
                    "customer": customer,
                    "usage": "off_session",
                    "payment_method_types": ["card"],
                    "metadata": metadata,
                },
                options=self._opts(account, idempotency_key),
            )
        return _intent(si)

    def get_payment_intent(self, account: str, intent_id: str) -> Intent:
        with _translated():
            return _intent(
                self._v1.payment_intents.retrieve(intent_id, options=self._opts(account))
            )

    def get_setup_intent(self, account: str | None, intent_id: str) -> Intent:
        with _translated():
            return _intent(self._v1.setup_intents.retrieve(intent_id, options=self._opts(account)))

    def capture(self, account: str, intent_id: str, *, amount: int, idempotency_key: str) -> Intent:
        with _translated():
            pi = self._v1.payment_intents.capture(
                intent_id,
                params={"amount_to_capture": amount},
                options=self._opts(account, idempotency_key),
            )
        return _intent(pi)

    def cancel(self, account: str, intent_id: str, *, idempotency_key: str) -> Intent:
        import stripe

        try:
            with _translated():
                pi = self._v1.payment_intents.cancel(
                    intent_id, options=self._opts(account, idempotency_key)
                )
            return _intent(pi)
        except ProviderError as exc:
            # Already canceled or succeeded: the intent as it is says what happened.
            if not isinstance(exc.__cause__, stripe.InvalidRequestError):
                raise
            return self.get_payment_intent(account, intent_id)

    def charge_saved_card(
        self,
        *,
        account: str,
        customer: str,
        payment_method: str,
        amount: int,
        currency: str,
        application_fee: int,
        metadata: dict[str, str],
        idempotency_key: str,
    ) -> Intent:
        import stripe

        params: dict[str, Any] = {
            "amount": amount,
            "currency": currency.lower(),
            "customer": customer,
            "payment_method": payment_method,
            "payment_method_types": ["card"],
            "confirm": True,
            "off_session": True,
            "metadata": metadata,
        }
        if application_fee > 0:
            params["application_fee_amount"] = application_fee
        try:
            with _translated():
                pi = self._v1.payment_intents.create(
                    params=params, options=self._opts(account, idempotency_key)
                )
            return _intent(pi)
        except ProviderError as exc:
            card_error = exc.__cause__
            if not isinstance(card_error, stripe.CardError):
                raise
            return self._declined(account, card_error, amount, currency, metadata)

    def _declined(
        self, account: str, error: Any, amount: int, currency: str, metadata: dict[str, str]
    ) -> Intent:
        """The intent of a declined off-session charge: named in the error, or found
        through the failed charge."""
        body = (error.json_body or {}).get("error", {})
        code = body.get("decline_code") or body.get("code") or "card_declined"
        intent_id = (body.get("payment_intent") or {}).get("id")
        if not intent_id and body.get("charge"):
            with _translated():
                charge = self._v1.charges.retrieve(body["charge"], options=self._opts(account))
            intent_id = charge.to_dict().get("payment_intent")
        if intent_id:
            intent = self.get_payment_intent(account, str(intent_id))
            return Intent(**{**intent.__dict__, "error_code": intent.error_code or code})
        return Intent(
            id=str(body.get("charge") or "declined"),
            status="requires_payment_method",
            amount=amount,
            currency=currency,
            error_code=code,
            metadata=metadata,
        )

    def refund(
        self, *, account: str, intent_id: str, amount: int, reason: str, idempotency_key: str
    ) -> ProviderRefund:
        with _translated():
            r = self._v1.refunds.create(
                params={
                    "payment_intent": intent_id,
                    "amount": amount,
                    "metadata": {"reason": reason[:450]},
                },
                options=self._opts(account, idempotency_key),
            )
        return _refund(r)

    def refunds_of(self, account: str, intent_id: str) -> list[ProviderRefund]:
        with _translated():
            page = self._v1.refunds.list(
                params={"payment_intent": intent_id, "limit": 100}, options=self._opts(account)
            )
        return [_refund(r) for r in page.data]

    def use_card(self, *, customer: str, payment_method: str) -> Card:
        with _translated():
            pm = self._v1.payment_methods.retrieve(payment_method)
            # Stripe attaches a SetupIntent's card to its customer itself; localstripe does not.
            if pm.to_dict().get("customer") != customer:
                pm = self._v1.payment_methods.attach(payment_method, params={"customer": customer})
            self._v1.customers.update(
                customer,
                params={"invoice_settings": {"default_payment_method": payment_method}},
            )
        c = pm.to_dict().get("card") or {}
        brand, last4 = str(c.get("brand") or "card"), str(c.get("last4") or "")
        return Card(brand, last4, int(c.get("exp_month") or 0), int(c.get("exp_year") or 0))

    def create_subscription(
        self, *, customer: str, price_id: str, metadata: dict[str, str], idempotency_key: str
    ) -> Subscription:
        with _translated():
            sub = self._v1.subscriptions.create(
                params={"customer": customer, "items": [{"plan": price_id}], "metadata": metadata},
                options=self._opts(None, idempotency_key),
            )
        return _subscription(sub)

    def get_subscription(self, subscription_id: str) -> Subscription:
        with _translated():
            return _subscription(self._v1.subscriptions.retrieve(subscription_id))

    def cancel_subscription(self, subscription_id: str, *, idempotency_key: str) -> Subscription:
        with _translated():
            sub = self._v1.subscriptions.cancel(
                subscription_id,
                params={"prorate": True},
                options=self._opts(None, idempotency_key),
            )
        return _subscription(sub)


def _account(obj: Any) -> ConnectedAccount:
    d = obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)
    return ConnectedAccount(
        id=d["id"],
        charges_enabled=bool(d.get("charges_enabled")),
        details_submitted=bool(d.get("details_submitted")),
    )


def _subscription(obj: Any) -> Subscription:
    d = obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)
    items = ((d.get("items") or {}).get("data")) or []
    price = None
    if items:
        first = items[0]
        price = (first.get("price") or first.get("plan") or {}).get("id")
    invoice = d.get("latest_invoice")
    secret = None
    if isinstance(invoice, dict):
        secret = (invoice.get("payment_intent") or {}).get("client_secret")
    customer: Any = d["customer"]  # every subscription has one
    return Subscription(
        id=d["id"],
        status=str(d.get("status")),
        # Stripe answers the customer's id, or the customer itself when it was expanded.
        customer=customer if isinstance(customer, str) else str(customer["id"]),
        price_id=price,
        client_secret=secret,
        metadata={str(k): str(v) for k, v in (d.get("metadata") or {}).items()},
    )
