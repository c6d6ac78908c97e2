"""Gift cards: a code and a balance the business sold, spent over several bookings as a tender
(a payment on the order, not a discount), refunds going back onto it.

The code is the card: whoever holds it spends it. So it is unguessable (80 random-looking bits:
16 characters of Crockford's base 32, no I, L, O or U, typed in groups of four), derived from
the card's id with the platform's secret (HMAC) rather than stored: the table keeps only its
SHA-256 (to find the card by code) and its last four characters (to show staff which card it
is). A table read, a log line or an order's payment record never holds a spendable code, and
the e-mail to the recipient can be written again from the card's id after a crash.

The balance is in minor units of the tenant's currency and never goes below zero: a spend is
one conditional write (`balance >= amount`, the card active and not expired) in the payment's
own transaction, so two desks spending the last 50 at once cannot both pass. Every movement is
a ledger entry, written in the same transaction as the balance it moves.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date
from enum import StrEnum

from chalicelib.kernel.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.kernel.domain.money import amount_text
from chalicelib.kernel.domain.values import value

ID_PREFIX = "gc_"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U
CODE_LENGTH = 16  # 80 bits
GROUP = 4
# Read as the digits they look like: a customer reading an O or an I off a printed card.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
MAX_MESSAGE = 500
MAX_AMOUNT = 99_999_999  # what one Stripe payment can take: a card bought by card fits in one
MAX_VALID_MONTHS = 120


class CardStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


class CardMoveKind(StrEnum):
    """What a ledger entry records."""

    ISSUED = "issued"  # sold: the first balance
    REDEEMED = "redeemed"  # spent on an order (a payment)
    REFUNDED = "refunded"  # an order's refund back onto the card
    DISABLED = "disabled"  # staff stopped it (nothing moves; the balance stays for the books)


@value
class Person:
    name: str
    email: str


@value
class GiftCard:
    id: str
    currency: str
    initial: int  # minor units, as sold
    balance: int  # minor units, never below zero
    status: CardStatus
    code_last4: str
    buyer: Person
    recipient: Person
    message: str
    sold_at: str  # UTC instant
    sold_by: str  # a staff e-mail, a key id, or "widget"
    paid_with: str  # the tender it was sold for: cash, card_terminal, ..., online
    expires_on: str | None = None  # the last local date it can be spent (None: never)
    payment_ref: str = ""  # the desk reference, or the PaymentIntent of a card bought online
    disabled_at: str | None = None
    disabled_by: str = ""
    lang: str = "en"  # the language of its e-mail

    def expired(self, today: date) -> bool:
        return self.expires_on is not None and today.isoformat() > self.expires_on


class ByKind(StrEnum):
    """Who moved a card's money, by kind (a movement's `by` says which one)."""

    STAFF = "staff"  # a login (its e-mail, `user:<id>`)
    KEY = "key"  # a secret API key (`secret_key:<id>`): a server of the business
    CUSTOMER = "customer"  # the customer online: the widget, a manage link
    SYSTEM = "system"  # the platform itself: an expired hold given back, a webhook's work


def by_kind(by: str) -> ByKind:
    """The kind of who a movement names, so the card's page says "the customer" or "the
    system" rather than "a staff member" (testers saw an expired hold's return read as a staff
    member's); a movement that names no one was written by background work."""
    kind = by.partition(":")[0] if ":" in by else ""
    if by == "widget" or kind in ("publishable_key", "anonymous"):
        return ByKind.CUSTOMER
    if not by or kind == "system":
        return ByKind.SYSTEM
    return ByKind.KEY if kind == "secret_key" else ByKind.STAFF


@value
class CardMovement:
    id: str
    card_id: str
    at: str
    movement: CardMoveKind
    amount: int  # signed: positive onto the card, negative off it
    order_id: str = ""
    record_id: str = ""  # the order's payment or refund id
    by: str = ""
    note: str = ""


@value
class GiftCardSettings:
    """The tenant's rules for the cards it sells."""

    valid_months: int = 0  # 0: cards never expire
    # What one card bought online (the widget's sale) may hold, in minor units; 0: no bound
    # of the business's own (1 and MAX_AMOUNT still hold). Staff selling at the desk are not
    # bound by them.
    online_min: int = 0
    online_max: int = 0

    def check_online(self, amount: int) -> int:
        """`amount` for a card bought online; 422 `gift_card_amount_out_of_range` (with the
        bounds in `details`) outside the business's bounds."""
        low, high = self.online_min or 1, self.online_max or MAX_AMOUNT
        if not low <= amount <= high:
            raise InvalidInput(
                f"A gift card bought online holds {low} to {high} minor units.",
                code="gift_card_amount_out_of_range",
                field="amount",
                min_amount=low,
                max_amount=high,
            )
        return amount


# -- codes -----------------------------------------------------------------------------------


def card_code(secret: bytes, tenant_id: str, card_id: str) -> str:
    """The card's code (16 characters, no separators): HMAC-SHA256 of the tenant and the card
    under the platform's secret, its first 80 bits in base 32."""
    mac = hmac.new(secret, f"giftcard:{tenant_id}:{card_id}".encode(), hashlib.sha256).digest()
    bits = int.from_bytes(mac[:10], "big")
    return "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in reversed(range(CODE_LENGTH)))


def grouped(code: str) -> str:
    """As printed and typed: XXXX-XXXX-XXXX-XXXX."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normal_code(text: str) -> str | None:
    """The code as typed, in its one form (case, spaces, dashes and look-alike letters
    forgiven); None when it cannot be a code."""
    code = "".join(text.split()).replace("-", "").upper().translate(_LOOKALIKES)
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def code_hash(code: str) -> str:
    """What the table keeps to find a card by its code."""
    return hashlib.sha256(code.encode()).hexdigest()


def masked(last4: str) -> str:
    return f"••••-••••-••••-{last4}"


# -- rules -----------------------------------------------------------------------------------


def check_amount(amount: int) -> int:
    if not 0 < amount <= MAX_AMOUNT:
        raise InvalidInput(
            f"A gift card holds 1 to {MAX_AMOUNT} minor units.",
            code="invalid_amount",
            field="amount",
        )
    return amount


def expiry(sold_on: date, settings: GiftCardSettings) -> str | None:
    """The last day a card sold on `sold_on` (the business's local date) can be spent: the
    same day `valid_months` later (the month's last day when it has no such day)."""
    months = settings.valid_months
    if months <= 0:
        return None
    month0 = sold_on.month - 1 + months
    year, month = sold_on.year + month0 // 12, month0 % 12 + 1
    for day in (sold_on.day, 30, 29, 28):
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            continue
    raise AssertionError("unreachable")


def check_spend(card: GiftCard, amount: int, currency: str, today: date) -> int:
    """A spend of `amount` from the card on an order in `currency`, checked before the write
    (the write's condition checks the balance again, against any spend in between)."""
    # What the refusals carry is what the holder of the code needs (its balance, currency,
    # expiry), never the card's id: the widget's customer reads them too.
    if card.status is CardStatus.DISABLED:
        raise GiftCardIsDisabled("This gift card was disabled.")
    if card.expired(today):
        raise GiftCardExpired(
            f"This gift card expired on {card.expires_on}.", expires_on=card.expires_on
        )
    if card.currency != currency:
        raise GiftCardCurrency(
            f"This gift card is in {card.currency}; the order is in {currency}.",
            card_currency=card.currency,
        )
    if amount <= 0:
        raise InvalidInput("A payment is a positive amount.", code="invalid_amount")
    if amount > card.balance:
        raise GiftCardBalanceLow(
            # As money, not minor units (an outside tester read "holds 2000; 4000 was asked").
            f"The gift card holds {amount_text(card.balance, currency)};"
            f" {amount_text(amount, currency)} was asked.",
            balance=card.balance,
            currency=card.currency,
            asked=amount,
        )
    return amount


def check_settings(valid_months: int, online_min: int = 0, online_max: int = 0) -> GiftCardSettings:
    if not 0 <= valid_months <= MAX_VALID_MONTHS:
        raise InvalidInput(
            f"Cards are valid 0 (for ever) to {MAX_VALID_MONTHS} months.",
            code="invalid_valid_months",
            field="valid_months",
        )
    for name, bound in (("online_min_amount", online_min), ("online_max_amount", online_max)):
        if not 0 <= bound <= MAX_AMOUNT:
            raise InvalidInput(
                f"`{name}` is 0 (none) to {MAX_AMOUNT} minor units.",
                code="invalid_amount",
                field=name,
            )
    if online_min and online_max and online_min > online_max:
        raise InvalidInput(
            "The online sale's minimum is above its maximum.",
            code="invalid_online_range",
            field="online_min_amount",
        )
    return GiftCardSettings(valid_months, online_min, online_max)


class GiftCardNotFound(NotFound):
    """No card has this code (or id) at this business."""

    code = "gift_card_not_found"


class GiftCardIsDisabled(Conflict):
    code = "gift_card_is_disabled"


class GiftCardExpired(Conflict):
    code = "gift_card_expired"


class GiftCardCurrency(Conflict):
    code = "gift_card_currency"


class GiftCardBalanceLow(Conflict):
    """The card holds less than the spend (also when another spend took it meanwhile)."""

    code = "gift_card_balance_low"
