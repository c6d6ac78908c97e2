"""Request and response models of the payments routes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, Field

from chalicelib.booking.api.folio_out import ChargeOut, TaxBandOut
from chalicelib.booking.domain import order_money
from chalicelib.booking.domain.bill import bill_lines, tax_bands
from chalicelib.booking.domain.orders import Order
from chalicelib.tenancy.domain.plans import PlanTerms
from chalicelib.web.models import Body, OneLine, Out, not_blank

if TYPE_CHECKING:
    from chalicelib.payments.services.payments import Started

DeskTender = Literal["cash", "card_terminal", "bank_transfer", "gift_card", "other"]
TIP = (
    "Money the customer left for the staff with this payment, minor units, on top of `amount`:"
    " on the day's takings (apart, as `tips`), not what the order is paid, never refunded. At"
    " most the order's total; not with a gift card (422 `invalid_tip`)."
)


class RefundIn(Body):
    amount: Annotated[int, Field(gt=0, le=100_000_000_000)] = Field(
        description="Minor units of the order's currency."
    )
    reason: Annotated[str, Field(min_length=1, max_length=300), OneLine, AfterValidator(not_blank)]
    method: DeskTender | None = Field(
        default=None,
        description="Handed back at the desk this way and recorded (up to what the order has"
        " received and not given back); left out: refunded through Stripe over the online"
        " payments.",
    )
    owed_back: Annotated[int, Field(ge=0, le=100_000_000_000)] | None = Field(
        default=None,
        description="What the order owed the customer when the caller read it (its balance"
        " below 0, else 0): another desk's refund since is 409 `owed_back_changed`, not a"
        " second refund of the same money.",
    )


class DeskPaymentIn(Body):
    amount: Annotated[int, Field(gt=0, le=100_000_000_000)] = Field(
        description="Minor units of the order's currency; at most what is still owed."
    )
    method: DeskTender
    reference: Annotated[str, Field(max_length=100), OneLine] = Field(
        default="", description="A receipt, transfer or voucher number."
    )
    gift_card_code: Annotated[str, Field(min_length=1, max_length=40), OneLine] | None = Field(
        default=None,
        description="With `method` gift_card: the card's code; the card pays the amount (409"
        " `gift_card_balance_low` when it holds less) and the payment's reference is the card.",
    )
    tip: Annotated[int, Field(ge=0, le=100_000_000_000, description=TIP)] = 0


class GiftCardPayIn(Body):
    code: Annotated[str, Field(min_length=1, max_length=40), OneLine] = Field(
        description="The gift card's code, as printed (dashes and case do not matter)."
    )
    amount: Annotated[int, Field(gt=0, le=100_000_000_000)] | None = Field(
        default=None,
        description="Pay this much with the card; left out: as much as it holds, up to what"
        " the booking asks now.",
    )


class CaptureIn(Body):
    amount: Annotated[int, Field(gt=0, le=100_000_000_000)] | None = Field(
        default=None, description="Capture less than authorised; all of it when absent."
    )


class ConnectIn(Body):
    return_url: Annotated[str, Field(min_length=8, max_length=2048), OneLine] | None = Field(
        default=None,
        description="The staff console's page Stripe sends the owner back to after "
        "onboarding (on the console's origin: 422 `return_url_not_allowed` otherwise); left "
        "out: the console's payments page.",
    )


class SubscribeIn(Body):
    plan: Literal["pro", "business"]


class PaymentOut(Out):
    order_id: str
    payment_id: str
    kind: str
    amount: int = Field(description="Minor units, as charged (KWD: a multiple of 10).")
    currency: str
    status: str
    client_secret: str | None = Field(description="For Stripe.js on the customer's device.")
    stripe_account: str = Field(description="Initialise Stripe.js with this account.")
    publishable_key: str
    plan: list[InstalmentOut] = Field(
        default_factory=list,
        description="The instalment plan this payment starts (empty: none; this is its first "
        "part), or the one it pays on: each local due day and amount.",
    )

    @classmethod
    def of(cls, started: Started, publishable_key: str) -> PaymentOut:
        return cls(
            order_id=started.order.id,
            payment_id=started.payment.id,
            kind=started.payment.kind.value,
            amount=started.payment.amount,
            currency=started.order.currency,
            status=started.payment.status.value,
            client_secret=started.client_secret,
            stripe_account=started.account,
            publishable_key=publishable_key,
            plan=plan_out(started.order),
        )


class SettleOut(Out):
    order_id: str
    how: Literal["card", "venue", "unavailable"] = Field(
        description="`card`: pay by card (`POST .../payment`); `venue`: confirm and pay at "
        "the venue (`POST .../confirm`); `unavailable`: a payment is asked online but the "
        "business cannot take one now."
    )
    kind: str | None = Field(
        description="What is collected online: `deposit`, `full`, `authorisation`, "
        "`card_on_file`; null at the venue."
    )


class PaymentAttemptOut(Out):
    id: str
    kind: str
    amount: int
    received: int
    status: str
    error: str | None
    attempt: int
    method: str = Field(description="online (Stripe), or how it was taken at the desk.")
    reference: str
    taken_by: str = Field(description='Who recorded a desk payment ("" online).')
    tip: int = Field(
        default=0,
        description="A desk payment's tip, on top of `received`: not the order's money.",
    )
    created_at: str
    updated_at: str = Field(
        description="When it last changed (UTC): a card's success or decline, a capture. "
        "The day the money arrived, as the payments export and Day paid count it."
    )


class RefundOut(Out):
    id: str
    payment_id: str
    amount: int
    reason: str
    status: str
    at: str
    method: str
    taken_by: str


class InstalmentOut(Out):
    due: str = Field(description="Local date it is charged (09:00 the business's time).")
    amount: int
    paid: bool = Field(description="What the order keeps covers it and those before it.")


def plan_out(order: Order) -> list[InstalmentOut]:
    from chalicelib.payments.domain.collection import plan_progress

    return [InstalmentOut(due=i.due, amount=i.amount, paid=p) for i, p in plan_progress(order)]


class OwedOut(Out):
    order_id: str
    status: str
    currency: str
    total: int
    owed: int = Field(description="What is owed now (minor units): pay it with POST.")
    next_due_at: str | None = Field(
        description="When the balance or the next instalment is next tried (UTC), if it is: "
        "after a declined try, its retry."
    )
    card_on_file: bool = Field(description="A saved card is charged when it is due.")
    online: bool = Field(
        description="The business takes this payment online now; false: it is paid at the "
        "venue (`POST` would answer 409 `payments_not_enabled`), so the page offers no Pay."
    )
    plan: list[InstalmentOut]


class PaymentsOut(Out):
    order_id: str
    currency: str
    status: str = Field(description="The order's booking status.")
    lines_total: int = Field(description="What the booked lines cost.")
    total: int = Field(description="The lines and the folio's charges less its discounts.")
    tax: int
    tax_bands: list[TaxBandOut] = Field(description="Net, tax and total per tax rate.")
    charges: list[ChargeOut] = Field(description="The folio, voided ones too (marked).")
    payment_status: str
    received: int
    refunded: int
    refundable: int
    balance: int = Field(
        description="What the customer still owes: the total less what was received, plus what"
        " went back (negative: owed to the customer)."
    )
    refundable_online: int = Field(
        description="What Stripe can still give back (the online payments'), at most refundable."
    )
    authorised: int = Field(
        description="What a card authorisation holds, captured later: the desk takes at most"
        " the balance less this."
    )
    card_on_file: bool
    payments: list[PaymentAttemptOut]
    refunds: list[RefundOut]
    plan: list[InstalmentOut] = Field(
        default_factory=list,
        description="The instalment plan (empty: none), the first paid at booking.",
    )

    @classmethod
    def of(cls, order: Order) -> PaymentsOut:
        return cls(
            order_id=order.id,
            currency=order.currency,
            status=order.status.value,
            lines_total=order.lines_total,
            total=order.total,
            tax=order.tax,
            tax_bands=[TaxBandOut.of(b) for b in tax_bands(bill_lines(order))],
            charges=[ChargeOut.of(c) for c in order.charges],
            payment_status=order.payment_status.value,
            received=order_money.received(order),
            refunded=order_money.refunded(order),
            refundable=order_money.refundable(order),
            balance=order_money.balance(order),
            refundable_online=order_money.refundable_online(order),
            authorised=order_money.authorised(order),
            card_on_file=order.card_on_file is not None,
            plan=plan_out(order),
            payments=[
                PaymentAttemptOut(
                    id=p.id,
                    kind=p.kind.value,
                    amount=p.amount,
                    received=p.received,
                    status=p.status.value,
                    error=p.error,
                    attempt=p.attempt,
                    method=p.method.value,
                    reference=p.reference,
                    taken_by=p.taken_by,
                    tip=p.tip,
                    created_at=p.created_at,
                    updated_at=p.updated_at or p.created_at,
                )
                for p in order.payments
            ],
            refunds=[
                RefundOut(
                    id=r.id,
                    payment_id=r.payment_id,
                    amount=r.amount,
                    reason=r.reason,
                    status=r.status,
                    at=r.at,
                    method=r.method.value,
                    taken_by=r.taken_by,
                )
                for r in order.refunds
            ],
        )


class ConnectOut(Out):
    account_id: str | None
    charges_enabled: bool
    details_submitted: bool
    onboarding_url: str | None = None


class SubscriptionOut(Out):
    subscription_id: str
    status: str
    client_secret: str | None


class LimitsOut(Out):
    bookings_per_month: int | None
    staff: int | None
    resources: int | None
    fee_bp: int

    @classmethod
    def of(cls, t: PlanTerms) -> LimitsOut:
        return cls(
            bookings_per_month=t.bookings_per_month,
            staff=t.staff,
            resources=t.resources,
            fee_bp=t.fee_bp,
        )


class CardOut(Out):
    brand: str = Field(description="Stripe's word for the card's network: visa, mastercard...")
    last4: str
    exp_month: int
    exp_year: int


class CardSetupOut(Out):
    setup_intent_id: str
    client_secret: str = Field(description="For Stripe.js's confirmCardSetup in the browser.")
    publishable_key: str = Field(description="Initialise Stripe.js with this key (no account).")


class CardIn(Body):
    setup_intent_id: Annotated[str, Field(pattern=r"^seti_[A-Za-z0-9]{1,200}$")] = Field(
        description="The SetupIntent of `POST /v1/billing/card`, once Stripe.js confirmed it."
    )


class PlanOfferOut(Out):
    plan: str
    limits: LimitsOut
    available: bool = Field(description="Whether it can be subscribed to (a price is set up).")


class BillingOut(Out):
    plan: str
    limits: LimitsOut
    bookings_this_month: int
    subscription_id: str | None
    subscription_status: str | None
    card: CardOut | None = Field(description="The card invoices are charged to, if any.")
    plans: list[PlanOfferOut] = Field(description="Every plan, in order, with its limits.")


class WebhookOut(Out):
    received: bool
    outcome: str
