"""The PaymentGateway port over the Stripe SDK: payments on tenants' accounts here, the
platform's billing of tenants in stripe_billing.py, the client in stripe_client.py (`stripe`
is imported only there and in these two, on first use, so `import app` and every cold start
that takes no payment never pays for it). The API base is configuration: Stripe itself on
AWS, localstripe locally and in tests.

Connect: every call for a tenant carries `Stripe-Account: <acct>` (a direct charge on the
tenant's account, the platform's fee as `application_fee_amount`).
"""

from __future__ import annotations

from typing import Any

from chalicelib.payments.adapters.stripe_billing import StripeBilling
from chalicelib.payments.adapters.stripe_client import new_client, translated
from chalicelib.payments.domain.payments import ProviderError
from chalicelib.payments.services.payment_ports import (
    ConnectedAccount,
    Intent,
    PaymentGateway,
    ProviderRefund,
)

__all__ = ["StripeGateway", "new_client"]


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
        record=str((d.get("metadata") or {}).get("record") or ""),
    )


class StripeGateway(StripeBilling, PaymentGateway):
    def create_account(
        self, *, tenant_id: str, email: str, idempotency_key: str
    ) -> ConnectedAccount:
        with translated():
            acct = self._v1.accounts.create(
                params={"type": "standard", "email": email, "metadata": {"tenant_id": tenant_id}},
                options=self._opts(None, idempotency_key),
            )
        return _account(acct)

    def account_link(self, account_id: str, *, refresh_url: str, return_url: str) -> str:
        with translated():
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
        with translated():
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
        # A phone booking has no e-mail (""): Stripe's customer is made without one.
        contact = {"email": email} if email else {}
        with translated():
            customer = self._v1.customers.create(
                params={**contact, "name": name, "metadata": metadata},
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
        with translated():
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
        with translated():
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
        with translated():
            return _intent(
                self._v1.payment_intents.retrieve(intent_id, options=self._opts(account))
            )

    def get_setup_intent(self, account: str | None, intent_id: str) -> Intent:
        with translated():
            return _intent(self._v1.setup_intents.retrieve(intent_id, options=self._opts(account)))

    def capture(self, account: str, intent_id: str, *, amount: int, idempotency_key: str) -> Intent:
        with translated():
            pi = self._v1.payment_intents.capture(
                intent_id,
                params={"amount_to_capture": amount},
                options=self._opts(account, idempotency_key),
            )
        return _intent(pi)

    def cancel(self, account: str, intent_id: str, *, idempotency_key: str) -> Intent:
        import stripe

        try:
            with translated():
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
            with translated():
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
            with translated():
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
        self,
        *,
        account: str,
        intent_id: str,
        amount: int,
        reason: str,
        idempotency_key: str,
        record: str = "",
    ) -> ProviderRefund:
        metadata = {"reason": reason[:450], **({"record": record} if record else {})}
        with translated():
            r = self._v1.refunds.create(
                params={"payment_intent": intent_id, "amount": amount, "metadata": metadata},
                options=self._opts(account, idempotency_key),
            )
        return _refund(r)

    def refunds_of(self, account: str, intent_id: str) -> list[ProviderRefund]:
        with translated():
            page = self._v1.refunds.list(
                params={"payment_intent": intent_id, "limit": 100}, options=self._opts(account)
            )
        return [_refund(r) for r in page.data]


def _account(obj: Any) -> ConnectedAccount:
    d = obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)
    return ConnectedAccount(
        id=d["id"],
        charges_enabled=bool(d.get("charges_enabled")),
        details_submitted=bool(d.get("details_submitted")),
    )
