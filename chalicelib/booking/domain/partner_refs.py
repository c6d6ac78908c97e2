"""A channel partner's booking: the order's partner (`Order.partner`), its reference, its
commission, and the lookup entry that makes a reference name one order.

A partner (an OTA, a reseller, an agent, a channel manager: chalicelib/channels) books through
the same engine as everyone else; its order carries a `PartnerRef`: the connection, the
partner's own booking reference (1 to 100 characters, unique per connection) and the
commission rate agreed for it, in basis points, copied when the order is made so a later
change of the rate never rewrites a booking's terms.

The reference's lookup entry (`PartnerEntry`, stored `PREF#<connection>`/`<reference>`) is
written in the order's own transaction on condition that it does not exist: the same
reference can never be two orders (a second hold is refused with `PartnerReferenceTaken`
naming the first, so a partner's retry finds its booking). It is rewritten with every change
of its order, so it also holds what a monthly statement lists (status, total, commission):
the statement is one Query over the month's entries.

Commission counts on an order that happened or will: confirmed, checked in, completed or a
no-show (the partner sold it; the business kept the money). A held order has not been sold yet,
and a cancelled or expired one earns the partner nothing, even when a cancellation fee is kept:
the fee is the business's compensation, not a sale.
"""

from __future__ import annotations

from typing import Any

from chalicelib.kernel.domain.calendar import local_date
from chalicelib.kernel.domain.errors import Conflict, InvalidInput
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.values import value

MAX_REFERENCE = 100
MAX_BP = 10_000  # 100 %
# The statuses whose order earns its partner a commission (module docstring).
COMMISSIONED = frozenset({"confirmed", "checked_in", "completed", "no_show"})


class PartnerReferenceTaken(Conflict):
    """Another order has this partner's reference (`existing_order_id` names it)."""

    code = "partner_reference_taken"

    def __init__(self, message: str, *, existing_order_id: str, **details: Any) -> None:
        super().__init__(message, existing_order_id=existing_order_id, **details)
        self.existing_order_id = existing_order_id


class BookedThroughPartner(Conflict):
    """The customer's own cancellation or move of a partner's booking (their manage link): the
    partner sold it and holds its terms, so a change goes through them. A reseller's customer
    cancelled past the reseller's cutoff and was shown a full refund, and a channel's booking
    moved behind the channel's back (an outside tester's)."""

    code = "booked_through_partner"


def check_own_change(order_partner: PartnerRef | None) -> None:
    if order_partner is not None:
        raise BookedThroughPartner(
            f"Booked through {order_partner.name}: ask them to change or cancel it.",
            partner=order_partner.name,
        )


@value
class PartnerRef:
    connection_id: str
    name: str  # the connection's name when the order was made
    reference: str  # the partner's booking reference, unique per connection
    commission_bp: int = 0
    # What the partner sold the booking for (minor units, its currency), as its latest
    # message said (a channel manager's reservation, created or modified:
    # channels/services/inbound_price.py). None: not said.
    price: int | None = None
    price_currency: str = ""
    # Who the customer pays, copied from the connection when the order is made (a later change
    # of the connection's settlement never rewrites a booking): "partner" (the partner pays
    # the business on account, the customer paid the partner), "customer" (the business's own
    # payment rules) or "" (an order made before it was kept). The manage page said "To pay
    # at the venue" to a reseller's customer who had paid the reseller (a session's finding).
    settlement: str = ""

    def commission(self, total: int) -> int:
        """The commission on `total` (minor units), rounded down to the unit."""
        return total * self.commission_bp // MAX_BP


def check_reference(reference: str) -> str:
    """A partner's reference as stored: 1 to 100 characters, no control characters (it is a
    key, shown to staff, and printed on statements)."""
    if not 0 < len(reference) <= MAX_REFERENCE or not reference.isprintable():
        raise InvalidInput(
            f"A partner's reference is 1 to {MAX_REFERENCE} printable characters.",
            code="invalid_partner_reference",
            field="reference",
        )
    return reference


def check_commission(bp: int, field: str = "commission_bp") -> int:
    if not 0 <= bp <= MAX_BP:
        raise InvalidInput(
            f"A commission is 0 to {MAX_BP} basis points (100 %).",
            code="invalid_commission",
            field=field,
        )
    return bp


def commission_of(partner: PartnerRef | None, status: str, total: int) -> int:
    """What an order of `status` and `total` earns its partner now (module docstring)."""
    if partner is None or status not in COMMISSIONED:
        return 0
    return partner.commission(total)


@value
class PartnerEntry:
    """A partner's order as its lookup item holds it: the reference's owner, and the figures
    of the month's statement (kept in step with the order by its unit of work)."""

    connection_id: str
    reference: str
    order_id: str
    booked_at: str  # the order's created_at (UTC)
    month: str  # yyyy-mm of booked_at in the tenant's zone: the statement it is listed on
    status: str
    currency: str
    total: int
    commission_bp: int
    commission: int
    price: int | None = None  # the partner's price (PartnerRef.price), in price_currency
    price_currency: str = ""


def booked_month(booked_at: str, tz: str) -> str:
    """The month (yyyy-mm) a booking made at `booked_at` (UTC) falls in, on the tenant's
    calendar: an order made at 23:30 UTC on 31 January in Tokyo is February's."""
    return local_date(parse(booked_at), tz).isoformat()[:7]
