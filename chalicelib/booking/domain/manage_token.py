"""Signed manage tokens: let a customer view, cancel or move their own order from a link,
without an account. HMAC-SHA256 over the tenant, the order, an expiry and the order's link
generation: staff revoking the links bump the order's generation, and a token names the one it
was issued for, so every token from before stops working.

`m1.<expiry>.<mac>` is generation 0 (and signs exactly as tokens did before generations
existed, so links already sent keep working); `m2.<expiry>.<generation>.<mac>` any later one.
The signature is checked before anything is read, so a forged token costs no read.

The e-mail proof (`e1.<mac>`) is a second HMAC with the same secret under a purpose of its own,
over the tenant, the order, its link generation and the order's e-mail address. It reaches the
customer only in the links of the e-mails sent to that address, never in an API answer nor a
text message: the manage token proves one holds a link to the order (the widget's answer to
whoever made the hold), the e-mail proof that one reads that address's mail. Revoking the
links (a new generation) or changing the order's e-mail revokes it.
"""

from __future__ import annotations

import hashlib
import hmac

from chalicelib.kernel.domain.errors import Forbidden
from chalicelib.kernel.domain.untrusted import ascii_int, same_secret

VERSION = "m1"
GENERATIONS = "m2"
MAX_EXPIRY_DIGITS = 12  # unix seconds
MAX_GEN_DIGITS = 9


def _signature(secret: str, tenant_id: str, order_id: str, expires: int, gen: int) -> str:
    message = f"{VERSION}.{tenant_id}.{order_id}.{expires}" + (f".{gen}" if gen else "")
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()[:40]


def issue(secret: str, *, tenant_id: str, order_id: str, expires: int, gen: int = 0) -> str:
    mac = _signature(secret, tenant_id, order_id, expires, gen)
    return f"{GENERATIONS}.{expires}.{gen}.{mac}" if gen else f"{VERSION}.{expires}.{mac}"


def _invalid() -> Forbidden:
    return Forbidden("The manage token is not valid for this order.", code="invalid_token")


def verify(token: str, secret: str, *, tenant_id: str, order_id: str, now: int) -> int:
    """The link generation the token was issued for; Forbidden unless it was issued for this
    tenant's order and is unexpired (the caller compares the generation with the order's)."""
    parts = token.split(".")
    if len(parts) == 3 and parts[0] == VERSION:
        expires, gen, mac = ascii_int(parts[1], max_digits=MAX_EXPIRY_DIGITS), 0, parts[2]
    elif len(parts) == 4 and parts[0] == GENERATIONS:
        expires = ascii_int(parts[1], max_digits=MAX_EXPIRY_DIGITS)
        gen = ascii_int(parts[2], max_digits=MAX_GEN_DIGITS) or 0
        mac = parts[3]
        if gen < 1:
            raise _invalid()
    else:
        raise _invalid()
    if expires is None:
        raise _invalid()
    if not same_secret(mac, _signature(secret, tenant_id, order_id, expires, gen)):
        raise _invalid()
    if now >= expires:
        raise Forbidden("The manage link has expired.", code="token_expired")
    return gen


MAIL_PROOF = "e1"
MAIL_PURPOSE = "reservoir-mail-proof"  # never a manage token's message: they start "m1."


def _mail_mac(secret: str, tenant_id: str, order_id: str, gen: int, email: str) -> str:
    message = f"{MAIL_PURPOSE}.{tenant_id}.{order_id}.{gen}.{email.strip().lower()}"
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()[:40]


def mail_proof(secret: str, *, tenant_id: str, order_id: str, gen: int, email: str) -> str:
    """The proof the links of e-mails to `email` about the order carry (module docstring)."""
    return f"{MAIL_PROOF}.{_mail_mac(secret, tenant_id, order_id, gen, email)}"


def proves_mail(
    proof: str, secret: str, *, tenant_id: str, order_id: str, gen: int, email: str
) -> bool:
    """Whether `proof` came in an e-mail to `email` about this order at generation `gen`."""
    head, _, mac = proof.partition(".")
    if head != MAIL_PROOF or not email:
        return False
    return same_secret(mac, _mail_mac(secret, tenant_id, order_id, gen, email))
