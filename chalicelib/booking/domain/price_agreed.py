"""The price a customer was shown is the price they book at. A hold sent with the total
shown (`expected_total`) is refused when its lines cost another (booking.check_price), and a
move likewise: the caller (the manage page, the desk) shows the move's
quote first ("The total becomes €130 (it is €120 now)") and sends that total with the move as
`expected_total`; a move that would make another total (a price list or a rule changed while
the question was open) is refused, nothing changed, with the total it would make now, so
nobody is moved at a price they were not told.
"""

from __future__ import annotations

from chalicelib.booking.domain.orders import Order
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.money import amount_text


class PriceChanged(Conflict):
    """The price changed between what the customer was shown and the hold or the move (409):
    nothing is held or moved; `details.total` is the price now, to show and book at."""

    code = "price_changed"


def check_agreed_total(expected: int | None, moved: Order) -> None:
    if expected is None or moved.total == expected:
        return
    raise PriceChanged(
        f"The total of this change is now {amount_text(moved.total, moved.currency)}, not "
        f"{amount_text(expected, moved.currency)}: nothing was changed. Ask again.",
        total=moved.total,
        expected_total=expected,
        currency=moved.currency,
    )
