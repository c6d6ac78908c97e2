"""The platform's own billing of tenants over the Stripe SDK: the card a plan is paid with
and the subscription (the PaymentGateway's billing half; stripe_gateway.py is the rest)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from chalicelib.payments.adapters.stripe_client import StripeClient, translated
from chalicelib.payments.domain.payments import ProviderError
from chalicelib.payments.services.payment_ports import Card, Subscription


class StripeBilling(StripeClient):
    def use_card(self, *, customer: str, payment_method: str) -> Card:
        with translated():
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
        self,
        *,
        customer: str,
        price_id: str,
        metadata: dict[str, str],
        idempotency_key: str,
        charge_now: bool,
    ) -> Subscription:
        items = [{"plan": price_id}]
        params: dict[str, Any] = {"customer": customer, "items": items, "metadata": metadata}
        if charge_now:
            params["payment_behavior"] = "error_if_incomplete"
        with translated():
            sub = self._v1.subscriptions.create(
                params=params, options=self._opts(None, idempotency_key)
            )
        made = _subscription(sub)
        invoice = sub.to_dict().get("latest_invoice")
        if made.status != "incomplete" or not isinstance(invoice, str):
            return made
        # The first invoice's client secret is expanded on the invoice alone: localstripe
        # has no `confirmation_secret` (400), so it stays None there.
        try:
            with translated():
                paid = self._v1.invoices.retrieve(
                    invoice, params={"expand": ["confirmation_secret"]}
                )
        except ProviderError:
            return made
        secret = (paid.to_dict().get("confirmation_secret") or {}).get("client_secret")
        return replace(made, client_secret=secret)

    def get_subscription(self, subscription_id: str) -> Subscription:
        with translated():
            return _subscription(self._v1.subscriptions.retrieve(subscription_id))

    def cancel_subscription(self, subscription_id: str, *, idempotency_key: str) -> Subscription:
        with translated():
            sub = self._v1.subscriptions.cancel(
                subscription_id,
                params={"prorate": True, "invoice_now": True},
                options=self._opts(None, idempotency_key),
            )
        return _subscription(sub)


def _subscription(obj: Any) -> Subscription:
    d = obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)
    items = ((d.get("items") or {}).get("data")) or []
    price = None
    if items:
        first = items[0]
        price = (first.get("price") or first.get("plan") or {}).get("id")
    customer: Any = d["customer"]  # every subscription has one
    return Subscription(
        id=d["id"],
        status=str(d.get("status")),
        # Stripe answers the customer's id, or the customer itself when it was expanded.
        customer=customer if isinstance(customer, str) else str(customer["id"]),
        price_id=price,
        client_secret=None,  # an incomplete one's is read from its invoice (create_subscription)
        metadata={str(k): str(v) for k, v in (d.get("metadata") or {}).items()},
    )
