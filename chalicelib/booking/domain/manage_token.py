"""Signed manage tokens: let a customer view, cancel or move their own order from a link,
without an account. HMAC-SHA256 over the tenant, the order, an expiry and the order's link
generation: staff revoking the links bump the order's generation, and a token names the one it
was issued for, so every token from before stops working.

`m1.<expiry>.<mac>` is generation 0 (and signs exactly as tokens did before generations
existed, so links already sent keep working); `m2.<expiry>.<generation>.<mac>` any later one.
The signature is checked before anything is read, so a forged token costs no read.
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
