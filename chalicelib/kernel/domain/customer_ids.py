"""A customer's id, derived from their contact: the one rule the booking engine (which names an
order's customer in its index, `CUSORD#<id>`) and the customer capability share.

It lives in the kernel because booking may not import customers (customers is built on it);
customers/domain/identity.py is its public name there and says why the id is derived.
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


def deliverable(email: str | None) -> bool:
    """Whether mail can reach the address: not empty, and not under RFC 2606's `.invalid`,
    which the product writes where there is nobody to write to (an erased customer's orders,
    an OCTO reservation made without a contact: a tester's stack e-mailed those)."""
    address = (email or "").strip().lower().rstrip(".")
    return bool(address) and not address.endswith(".invalid")


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
