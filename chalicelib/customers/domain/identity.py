"""Who a booking's customer is: the customer id every capability derives the same way.

A customer is known by the normalised e-mail of their bookings, else (an imported customer
without one) by their phone in E.164. The id is derived from that contact, not looked up: the
booking engine, the loyalty ledger, a coupon's per-customer count, an import and an erase all
name the same customer without a read and without a race between two first bookings (both
derive one id, and the record's writes are idempotent upserts).

When the e-mail and the phone of one booking name two customers (the phone's record was made by
an import or an earlier booking under another address), the e-mail's wins: the booking belongs
to the e-mail's customer, and the pair is flagged as a possible duplicate for staff to merge.
A merge keeps both ids: the loser's record points at the winner (`merged_into`), and a read
that derives the loser's id follows it.

Storage contract (kernel/adapters/schema.py lists the keys): the customer's record is
`CUS#<id>`/`META`, and every item about one customer that holds personal data sits in a
partition named by its id, so an erase finds them by key.
"""

from __future__ import annotations

# The derivation itself is the kernel's, so that booking (which may not import customers)
# names an order's customer the same way: kernel/domain/customer_ids.py.
from chalicelib.kernel.domain.customer_ids import ID_PREFIX, customer_id_for, normal_email

__all__ = ["ID_PREFIX", "customer_id_for", "normal_email"]
