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

import base64
import hashlib

ID_PREFIX = "cus_"


def normal_email(email: str) -> str:
    """The form two spellings of one address share: trimmed and lower-cased (the local part is
    case-insensitive at every mail provider a small business's customers use; dots and plus
    tags are kept: they may be two people)."""
    return email.strip().lower()


def customer_id_for(email: str | None, phone: str | None = None) -> str:
    """The id of the customer a contact names: by normalised e-mail when there is one, else by
    E.164 phone. ValueError when there is neither (nobody to name)."""
    if email and email.strip():
        key = "e:" + normal_email(email)
    elif phone and phone.strip():
        key = "p:" + phone.strip()
    else:
        raise ValueError("a customer is named by an e-mail or a phone")
    digest = hashlib.sha256(key.encode()).digest()[:15]
    return ID_PREFIX + base64.b32encode(digest).decode().lower()
