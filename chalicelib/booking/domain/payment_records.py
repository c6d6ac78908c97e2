"""What an order records about its money: payment attempts (one per PaymentIntent or
SetupIntent), refunds, and the card kept on file for a no-show fee. Amounts in minor units."""

from __future__ import annotations

from enum import StrEnum

from chalicelib.kernel.domain.values import value


class PaymentKind(StrEnum):
    DEPOSIT = "deposit"
    FULL = "full"
    AUTHORISATION = "authorisation"  # manual capture: captured at check-in or check-out
    CARD_ON_FILE = "card_on_file"  # a SetupIntent: nothing charged now
    NO_SHOW_FEE = "no_show_fee"


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


@value
class Refund:
    id: str  # re_...
    payment_id: str
    amount: int
    reason: str
    status: str  # pending | succeeded | failed | canceled (as the processor says)
    at: str


COUNTED_REFUNDS = frozenset({"pending", "succeeded", "requires_action"})


@value
class CardOnFile:
    customer: str
    payment_method: str
