"""What an order records about its money: payment attempts (one per PaymentIntent or
SetupIntent), payments staff took at the desk (cash, a card terminal, a transfer...), refunds
of either, and the card kept on file for a no-show fee. Amounts in minor units."""

from __future__ import annotations

from enum import StrEnum

from chalicelib.kernel.domain.values import value

BY_WIDGET = "widget"  # a Payment's taken_by when the customer paid in the widget


class PaymentKind(StrEnum):
    DEPOSIT = "deposit"
    FULL = "full"
    AUTHORISATION = "authorisation"  # manual capture: captured at check-in or check-out
    CARD_ON_FILE = "card_on_file"  # a SetupIntent: nothing charged now
    NO_SHOW_FEE = "no_show_fee"
    BALANCE = "balance"  # the balance after a deposit: off-session when due, or by its link
    INSTALMENT = "instalment"  # an instalment of a plan, after the first
    DESK = "desk"  # taken by staff and recorded: nothing went through Stripe


class Tender(StrEnum):
    """How money came or went: online (Stripe, from the widget, the manage page or a saved
    card) or at the desk, as staff record it."""

    ONLINE = "online"
    CASH = "cash"
    CARD_TERMINAL = "card_terminal"
    BANK_TRANSFER = "bank_transfer"
    GIFT_CARD = "gift_card"  # a tender: a voucher the business sold, redeemed
    OTHER = "other"


# Given back by the platform itself on a cancellation: Stripe refunds, gift cards re-credited;
# what the desk took (cash, the card terminal, a transfer) the business gives back.
GIVEN_BACK_BY_ITSELF = frozenset({Tender.ONLINE, Tender.GIFT_CARD})


class AttemptStatus(StrEnum):
    PENDING = "pending"  # waiting for the customer's card
    ACTION_REQUIRED = "action_required"  # 3-D Secure and the like
    PROCESSING = "processing"
    FAILED = "failed"  # declined; the customer may try another card
    AUTHORISED = "authorised"  # manual capture, not captured yet
    SUCCEEDED = "succeeded"
    CANCELED = "canceled"


@value
class Payment:
    id: str  # the processor's id: pi_... or seti_...
    kind: PaymentKind
    amount: int  # asked for, as sent to the processor
    attempt: int
    status: AttemptStatus
    received: int = 0  # captured
    fee: int = 0  # the platform's application fee
    error: str | None = None  # decline or failure code
    created_at: str = ""
    updated_at: str = ""
    method: Tender = Tender.ONLINE
    reference: str = ""  # a desk payment's receipt, transfer or voucher number
    taken_by: str = ""  # the staff member who recorded a desk payment
    # A desk payment's tip: money the customer left for the staff, taken with the payment
    # (the same cash, the same terminal slip) but not the order's: never in `received`, so
    # never in what the order is paid nor in what a refund can give back; on the takings.
    tip: int = 0

    @property
    def online(self) -> bool:
        return self.method is Tender.ONLINE

    @property
    def on_takings(self) -> bool:
        """Recorded by the desk, so on the day's takings: a widget's gift-card payment is
        recorded as a desk payment is (nothing goes through Stripe) but by no one at a desk."""
        return self.kind is PaymentKind.DESK and self.taken_by != BY_WIDGET


@value
class Refund:
    id: str  # re_...
    payment_id: str
    amount: int
    reason: str
    # pending | succeeded | failed | canceled (as the processor says); requested: a staff
    # refund written on the order before Stripe is asked (payments/services/staff_refunds.py)
    status: str
    at: str
    method: Tender = Tender.ONLINE  # a desk refund: money handed back, recorded
    taken_by: str = ""
    # A refund through Stripe asked for from the order: the record written before Stripe was
    # asked (`{request key}:{payment id}`), kept once the record takes Stripe's refund id.
    request: str = ""


COUNTED_REFUNDS = frozenset({"requested", "pending", "succeeded", "requires_action"})


@value
class CardOnFile:
    customer: str
    payment_method: str


@value
class Instalment:
    """One payment of an instalment plan: its local due date and planned amount (minor units);
    the first is taken at booking (payments/domain/collection.py makes the plan)."""

    due: str  # local date, ISO
    amount: int
