"""The request headers a route may read, declared once with their documentation and the
errors a bad or missing value causes, so the OpenAPI document lists them as parameters of
the operations that read them (the statuses come from web/errors.py).
"""

from __future__ import annotations

from typing import Any

from chalicelib.kernel.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from chalicelib.kernel.domain.values import value


@value
class Header:
    """A request header a route reads: documented as a parameter of the operation, with the
    errors a bad or missing value causes (their statuses come from web/errors.py)."""

    name: str
    description: str
    required: bool = False
    raises: tuple[type[DomainError], ...] = ()
    schema: tuple[tuple[str, Any], ...] = (("type", "string"),)


def if_match_header(*, required: bool, stale: type[DomainError]) -> Header:
    """`If-Match` as a route reads it: `stale` is what a version that changed since raises."""
    return Header(
        "If-Match",
        'The strong ETag of the version you read, such as `"3"`, or `*` for whatever version '
        "is current: refused if it changed since; a weak, listed or malformed one is 412"
        + ("; needed (428 without it)." if required else "."),
        required=required,
        raises=(stale, PreconditionFailed, *((PreconditionRequired,) if required else ())),
    )


def _key(says: str) -> Header:
    return Header(
        "Idempotency-Key",
        f"Any 1 to 255 printable characters: {says}",
        raises=(InvalidInput, Conflict),
        schema=(("type", "string"), ("minLength", 1), ("maxLength", 255)),
    )


_IN_PROGRESS = (
    "the same key while its first request is still being served is 409 "
    "`idempotency_in_progress` with `Retry-After: 1` (retry it)."
)
IDEMPOTENCY_KEY = _key(
    "a retry with the same key and body gets the first answer (24 hours); the same key with "
    f"another body is refused (422); {_IN_PROGRESS}"
)
# The hold's and the confirmation's (routes with `replay=`): the key is kept on the order it
# wrote, as long as the order; an integrator read "24 hours" here, which is the other routes'.
ORDER_KEY = _key(
    "a retry with the same key and body gets the first answer for as long as the order it "
    "made is kept (the key is kept on the order, not for 24 hours); the same key with another "
    f"body is refused (422) however late; {_IN_PROGRESS}"
)
SPENT_KEY = _key(
    "the answer holds a secret that is never stored, so it is not replayed; the same key "
    "again is refused (409 `idempotency_key_used`, nothing made twice), with another body 422."
)
# Beside the hold's and the confirmation's key: find what a request whose answer was lost made,
# making nothing. Resending the request itself would make it when the first never arrived: the
# widget found a lost hold that way to give it back, and made and gave back a hold the guest
# never asked twice for (an order held and cancelled, told to the business's webhooks).
REPLAY_ONLY = Header(
    "Idempotency-Replay",
    "`only`, with the Idempotency-Key and body of a request whose answer was lost: its answer "
    "if it made something, as a retry gets it, and nothing made if it did not (404 "
    "`attempt_not_made`: the request never arrived or was refused).",
    raises=(InvalidInput, NotFound),
    schema=(("type", "string"), ("enum", ["only"])),
)
MANAGE_TOKEN = Header(
    "X-Manage-Token",
    "The order's manage token, from the booking's answer or its e-mail link (or send it "
    "as `?token=`).",
    raises=(Forbidden,),
)
EMAIL_PROOF = Header(
    "X-Email-Proof",
    "`reservoir_proof` from the link in an e-mail about the order (never in an API answer): "
    "the proof that the caller reads the order's e-mail address, which what is the "
    "customer's rather than the order's needs (403 `email_link_required` without it).",
    raises=(Forbidden,),
)
