"""Signed manage tokens: let a customer view, cancel or move their own order from a link,
without an account. HMAC-SHA256 over the tenant, the order, an expiry and the order's link
generation: staff revoking the links bump it, and every token issued before stops working
(generation 0 signs as tokens did before generations existed)."""

from __future__ import annotations

import hashlib
import hmac

from chalicelib.kernel.domain.errors import Forbidden
from chalicelib.kernel.domain.untrusted import ascii_int, same_secret

VERSION = "m1"
MAX_EXPIRY_DIGITS = 12  # unix seconds


def _signature(secret: str, tenant_id: str, order_id: str, expires: int, gen: int) -> str:
    message = f"{VERSION}.{tenant_id}.{order_id}.{expires}" + (f".{gen}" if gen else "")
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()[:40]


def issue(secret: str, *, tenant_id: str, order_id: str, expires: int, gen: int = 0) -> str:
    return f"{VERSION}.{expires}.{_signature(secret, tenant_id, order_id, expires, gen)}"


def verify(
    token: str, secret: str, *, tenant_id: str, order_id: str, now: int, gen: int = 0
) -> None:
    """Raise Forbidden unless the token was issued for this tenant's order, in its current
    link generation, and is unexpired."""
    parts = token.split(".")
    expires = ascii_int(parts[1], max_digits=MAX_EXPIRY_DIGITS) if len(parts) == 3 else None
    if expires is None or parts[0] != VERSION:
        raise Forbidden("The manage token is not valid for this order.", code="invalid_token")
    expected = _signature(secret, tenant_id, order_id, expires, gen)
    if not same_secret(parts[2], expected):
        raise Forbidden("The manage token is not valid for this order.", code="invalid_token")
    if now >= expires:
        raise Forbidden("The manage link has expired.", code="token_expired")
