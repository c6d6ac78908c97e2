"""An order's customer as the order keeps them (orders.Order.customer): their contacts, the
customer id those give, and whether they were erased. Its own module so that orders.py stays
within a module's length; orders.py names it too (`orders.Customer`)."""

from __future__ import annotations

from chalicelib.kernel.domain.customer_ids import customer_id_for
from chalicelib.kernel.domain.values import value

# An erased customer's orders keep this domain in place of the address (RFC 2606: `.invalid`
# is never delivered): each order its own address, nobody to write to (customers/domain/privacy.py).
ERASED_DOMAIN = "erased.invalid"


@value
class Customer:
    """The order's customer: their name and contacts as the order holds them."""

    name: str
    email: str  # a phone booking's without one: empty (kernel/domain/customer_ids.py)
    phone: str | None = None
    locale: str | None = None
    # Set when staff merged this order's customer into another (customers' merge job): the
    # winner's id. Empty: the customer is the one the e-mail names (`id`).
    merged_to: str = ""

    @property
    def id(self) -> str:
        """The customer the order belongs to (its index `CUSORD#<id>`): from the e-mail (or a
        phone booking's phone), no read (kernel/domain/customer_ids.py), unless merged."""
        return self.merged_to or customer_id_for(self.email, self.phone)

    @property
    def erased(self) -> bool:
        """The customer was erased: the order keeps no contact of theirs, and nothing is sent."""
        return self.email.endswith("@" + ERASED_DOMAIN)
