"""The payments part of the ports (kept beside ports.py so that neither grows past a
screenful of concerns): the card processor, the platform's record of each tenant's Stripe
state, and the tenant-table records of webhook deliveries and monthly usage.

`payments/adapters/stripe_gateway.py` and `payments/adapters/payments_store.py` implement them;
`tests/fakes.py` fakes them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import field
from enum import Enum
from typing import Protocol

from chalicelib.booking.services.order_ports import BookingData
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.context import TenantContext
from chalicelib.payments.services.takings_ports import TakingsStore


@value
class Intent:
    """A PaymentIntent or SetupIntent as the processor holds it now."""

    id: str
    status: str  # the processor's own status word
    amount: int = 0
    amount_received: int = 0
    currency: str = ""
    client_secret: str | None = None
    capture_method: str = "automatic"
    customer: str | None = None
    payment_method: str | None = None
    error_code: str | None = None  # the last payment error's decline or error code
    metadata: dict[str, str] = field(default_factory=dict)


@value
class ProviderRefund:
    id: str
    intent_id: str
    amount: int
    status: str
    reason: str = ""
    record: str = ""  # the order's record it was made for (its metadata), when made here


@value
class ConnectedAccount:
    id: str
    charges_enabled: bool = False
    details_submitted: bool = False


@value
class Card:
    """The card a tenant pays the platform with, as the billing page shows it."""

    brand: str
    last4: str
    exp_month: int
    exp_year: int


@value
class Subscription:
    id: str
    status: str
    customer: str
    price_id: str | None
    client_secret: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


class PaymentGateway(ABC):
    """Stripe. `account`: the tenant's connected account the call acts on (a direct charge),
    None for the platform's own account (billing). Every write carries an idempotency key
    derived from what it is for, so a retried request never charges or refunds twice.
    Raises TransientFailure for what is worth retrying and ProviderError otherwise."""

    @abstractmethod
    def create_account(
        self, *, tenant_id: str, email: str, idempotency_key: str
    ) -> ConnectedAccount: ...

    @abstractmethod
    def account_link(self, account_id: str, *, refresh_url: str, return_url: str) -> str:
        """A one-time onboarding address for the tenant's owner."""

    @abstractmethod
    def get_account(self, account_id: str) -> ConnectedAccount: ...

    @abstractmethod
    def create_customer(
        self,
        *,
        account: str | None,
        email: str,
        name: str,
        metadata: dict[str, str],
        idempotency_key: str,
    ) -> str: ...

    @abstractmethod
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
    ) -> Intent: ...

    @abstractmethod
    def create_setup_intent(
        self,
        *,
        account: str | None,
        customer: str,
        metadata: dict[str, str],
        idempotency_key: str,
    ) -> Intent: ...

    @abstractmethod
    def get_payment_intent(self, account: str, intent_id: str) -> Intent: ...

    @abstractmethod
    def get_setup_intent(self, account: str | None, intent_id: str) -> Intent: ...

    @abstractmethod
    def capture(self, account: str, intent_id: str, *, amount: int, idempotency_key: str) -> Intent:
        """Capture up to the authorised amount."""

    @abstractmethod
    def cancel(self, account: str, intent_id: str, *, idempotency_key: str) -> Intent:
        """Cancel an intent (releases an uncaptured authorisation)."""

    @abstractmethod
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
        """An off-session charge. A declined card is an answer, not an error: the intent
        comes back with its failure status and error code."""

    @abstractmethod
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
        """`record`: the order's refund record this is for, kept in the refund's metadata so
        its events find the record (staff_refunds.py)."""

    @abstractmethod
    def refunds_of(self, account: str, intent_id: str) -> list[ProviderRefund]: ...

    @abstractmethod
    def use_card(self, *, customer: str, payment_method: str) -> Card:
        """Make a card the platform customer's default for its invoices (attaching it first
        if it is not the customer's yet). Doing it twice changes nothing."""

    @abstractmethod
    def create_subscription(
        self,
        *,
        customer: str,
        price_id: str,
        metadata: dict[str, str],
        idempotency_key: str,
        charge_now: bool,
    ) -> Subscription:
        """`charge_now`: the first invoice is charged to the customer's default card, and a
        decline refuses the subscription (a ProviderError with provider_status 402) rather
        than leaving it incomplete. Otherwise an unpaid first invoice leaves it `incomplete`
        with the client secret to pay it with Stripe.js."""

    @abstractmethod
    def get_subscription(self, subscription_id: str) -> Subscription: ...

    @abstractmethod
    def cancel_subscription(self, subscription_id: str, *, idempotency_key: str) -> Subscription:
        """Cancel now, the unused time credited to the customer's balance (Stripe's proration,
        invoiced at once)."""


@value
class StripeLink:
    """A tenant's Stripe state, kept by the platform: its connected account (payments from
    its customers) and its own subscription to the platform (billing)."""

    tenant_id: str
    account_id: str | None = None
    charges_enabled: bool = False
    details_submitted: bool = False
    billing_customer: str | None = None
    subscription_id: str | None = None
    subscription_status: str | None = None
    card: Card | None = None  # the billing customer's default card, as last saved
    card_lock: str = ""  # "<token>:<epoch s>": a card being saved until then (billing_card.py)
    version: int = 0  # 0: never saved


class StripeClaim(Enum):
    """What claiming a Stripe event (`WH#stripe#<event id>`, kept 30 days) found."""

    CLAIMED = "claimed"  # unknown, or a pending claim whose lease ran out: hand it off now
    PENDING = "pending"  # a live lease: another delivery is handing it off, or died doing so
    DONE = "done"  # handed off before (a claim stored before leases, without a state, too)


class StripeDeliveries(ABC):
    """The claim on a Stripe event, in the table of whoever it belongs to. A claim is pending
    with a lease until the hand-off succeeded, then done: a process that dies in between
    leaves a lease that runs out, and Stripe's next retry takes the claim over."""

    @abstractmethod
    def claim_delivery(self, event_id: str, now: str, lease_seconds: int) -> StripeClaim:
        """One conditional write: pending until `now + lease_seconds` when the event is
        unknown or its pending lease ran out (CLAIMED); otherwise what the claim is."""

    @abstractmethod
    def finish_delivery(self, event_id: str, now: str) -> None:
        """Mark the claim done (the hand-off succeeded): every later delivery is a duplicate."""

    @abstractmethod
    def forget_delivery(self, event_id: str) -> None:
        """Release a pending claim whose hand-off failed, so Stripe's retry is processed
        (a done claim stays)."""


class PaymentAccounts(StripeDeliveries):
    """The platform table's side: links, the maps that route Stripe events to tenants, and
    the claims on the platform's own (billing) events."""

    @abstractmethod
    def get(self, tenant_id: str) -> StripeLink: ...

    @abstractmethod
    def save(self, link: StripeLink) -> StripeLink:
        """Write conditional on `link.version` being the stored one; the saved link
        (version + 1). Conflict when someone saved in between."""

    @abstractmethod
    def map_account(self, account_id: str, tenant_id: str) -> None:
        """`STRIPE#<acct>` -> tenant. An account belongs to one tenant for ever: Conflict when
        it is mapped to another."""

    @abstractmethod
    def tenant_of_account(self, account_id: str) -> str | None: ...

    @abstractmethod
    def map_customer(self, customer_id: str, tenant_id: str) -> None: ...

    @abstractmethod
    def tenant_of_customer(self, customer_id: str) -> str | None: ...


class TenantPaymentRecords(StripeDeliveries):
    """The tenant table's side: the claims on Connect events (the monthly booking count, kept
    by the same adapter, is the tenancy's BookingCounts)."""


class PaymentsData(BookingData, Protocol):
    @property
    def payments(self) -> TenantPaymentRecords: ...

    @property
    def takings(self) -> TakingsStore: ...  # desk money lands on a day's takings


PaymentsContext = TenantContext[PaymentsData]
