"""Payments' items in the platform table, through the PynamoDB models of platform_models:
`TEN#<tenant>`/`STRIPE` (the tenant's Stripe link, versioned), `STRIPE#<acct>`/`META` and
`STRIPECUS#<cus>`/`META` (routing Stripe objects to a tenant), `WH#stripe#<event>`/`META`
(the claim on a platform event: pending with a lease, then done; TTL 30 days).

One request per operation, as the port's callers count on: a GetItem, or one conditional
PutItem (a map that already exists, or a claim refused, adds the GetItem that says whose it
is or whether it is done), an UpdateItem, or a DeleteItem.
The tenant table's side (Connect events seen, the month's booking count) is payments_store.
"""

from __future__ import annotations

from pynamodb.exceptions import DeleteError, PutError, UpdateError

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.platform_models import META, PlatformModels, get_item
from chalicelib.kernel.adapters.schema import stripe_event_expiry
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.payments.services.payment_ports import (
    Card,
    PaymentAccounts,
    StripeClaim,
    StripeLink,
)

_LINK_SK = "STRIPE"
_CONDITION_FAILED = "ConditionalCheckFailedException"
_PENDING, _DONE = "pending", "done"  # a claim's `state`


class DynamoPaymentAccounts(PaymentAccounts):
    def __init__(self, models: PlatformModels) -> None:
        self.m = models

    def get(self, tenant_id: str) -> StripeLink:
        item = get_item(self.m.StripeLink, f"TEN#{tenant_id}", _LINK_SK)
        if item is None:
            return StripeLink(tenant_id)
        return StripeLink(
            tenant_id=tenant_id,
            account_id=item.account_id,
            charges_enabled=bool(item.charges_enabled),
            details_submitted=bool(item.details_submitted),
            billing_customer=item.billing_customer,
            subscription_id=item.subscription_id,
            subscription_status=item.subscription_status,
            card=_card(item),
            card_lock=item.card_lock or "",
            version=int(item.version),
        )

    def save(self, link: StripeLink) -> StripeLink:
        saved = StripeLink(**{**link.__dict__, "version": link.version + 1})
        model = self.m.StripeLink
        item = model(
            pk=f"TEN#{link.tenant_id}",
            sk=_LINK_SK,
            charges_enabled=saved.charges_enabled,
            details_submitted=saved.details_submitted,
            version=saved.version,
            # An empty text is stored as no attribute at all, as it always was.
            account_id=saved.account_id or None,
            billing_customer=saved.billing_customer or None,
            subscription_id=saved.subscription_id or None,
            subscription_status=saved.subscription_status or None,
            card_brand=saved.card.brand if saved.card else None,
            card_last4=saved.card.last4 if saved.card else None,
            card_exp_month=saved.card.exp_month if saved.card else None,
            card_exp_year=saved.card.exp_year if saved.card else None,
            card_lock=saved.card_lock or None,
        )
        condition = (
            model.pk.does_not_exist() if link.version == 0 else model.version == link.version
        )
        try:
            item.save(condition=condition)
        except PutError as exc:
            if exc.cause_response_code == _CONDITION_FAILED:
                raise Conflict(
                    "The tenant's Stripe settings changed meanwhile; try again.",
                    code="stripe_link_changed",
                ) from exc
            reraise(exc)
        return saved

    def _map(self, prefix: str, object_id: str, tenant_id: str) -> None:
        model = self.m.StripeMap
        try:
            model(pk=f"{prefix}#{object_id}", sk=META, tenant_id=tenant_id).save(
                condition=model.pk.does_not_exist()
            )
            return
        except PutError as exc:
            if exc.cause_response_code != _CONDITION_FAILED:
                reraise(exc)
        if self._tenant_of(prefix, object_id) != tenant_id:
            raise Conflict("That Stripe object belongs to another tenant.", code="stripe_taken")

    def _tenant_of(self, prefix: str, object_id: str) -> str | None:
        # Eventually consistent, as before: a map never changes once written.
        item = get_item(self.m.StripeMap, f"{prefix}#{object_id}", consistent=False)
        return None if item is None else str(item.tenant_id)

    def map_account(self, account_id: str, tenant_id: str) -> None:
        self._map("STRIPE", account_id, tenant_id)

    def tenant_of_account(self, account_id: str) -> str | None:
        return self._tenant_of("STRIPE", account_id)

    def map_customer(self, customer_id: str, tenant_id: str) -> None:
        self._map("STRIPECUS", customer_id, tenant_id)

    def tenant_of_customer(self, customer_id: str) -> str | None:
        return self._tenant_of("STRIPECUS", customer_id)

    def claim_delivery(self, event_id: str, now: str, lease_seconds: int) -> StripeClaim:
        model, at = self.m.Seen, int(parse(now).timestamp())
        claim = model(
            pk=f"WH#stripe#{event_id}",
            sk=META,
            ttl=stripe_event_expiry(now),
            state=_PENDING,
            lease_until=at + lease_seconds,
        )
        try:
            claim.save(
                condition=model.pk.does_not_exist()
                | ((model.state == _PENDING) & (model.lease_until < at))
            )
            return StripeClaim.CLAIMED
        except PutError as exc:
            if exc.cause_response_code != _CONDITION_FAILED:
                reraise(exc)
        held = get_item(model, f"WH#stripe#{event_id}")
        # Gone meanwhile (a failed hand-off released it): Stripe's retry will claim it.
        if held is None or held.state == _PENDING:
            return StripeClaim.PENDING
        return StripeClaim.DONE

    def finish_delivery(self, event_id: str, now: str) -> None:
        model = self.m.Seen
        try:
            model(pk=f"WH#stripe#{event_id}", sk=META).update(
                actions=[
                    model.state.set(_DONE),
                    model.item_type.set("webhook_seen"),
                    model.ttl.set(model.ttl | stripe_event_expiry(now)),
                    model.lease_until.remove(),
                ]
            )
        except UpdateError as exc:
            reraise(exc)

    def forget_delivery(self, event_id: str) -> None:
        model = self.m.Seen
        try:
            model(pk=f"WH#stripe#{event_id}", sk=META).delete(condition=model.state == _PENDING)
        except DeleteError as exc:
            if exc.cause_response_code != _CONDITION_FAILED:  # done meanwhile, or gone
                reraise(exc)


def _card(item: object) -> Card | None:
    brand = getattr(item, "card_brand", None)
    if not brand:
        return None
    return Card(
        brand=str(brand),
        last4=str(getattr(item, "card_last4", "") or ""),
        exp_month=int(getattr(item, "card_exp_month", 0) or 0),
        exp_year=int(getattr(item, "card_exp_year", 0) or 0),
    )
