"""A request's Idempotency-Key, to be written with the change the request makes.

The booking's hold and confirm (routes declared with `replay=`, web/routing.py) do not claim
their key in a write of its own before they run and store their answer in another after: the
route puts an `IdempotencyClaim` on the request's context, and the first unit of work that
commits in that context writes the key's record as one more item of its transaction
(kernel/services/unit_of_work.py). Either both the change and its record are written or
neither is, so a retry (or a duplicate sent at the same moment) is refused whole at its commit
and answered with what the first request made. Two writes and two requests fewer per call than
a claim and a stored answer.
"""

from __future__ import annotations

from chalicelib.kernel.services.transaction_ports import IdempotencyPut

TTL_SECONDS = 24 * 3600  # a key is remembered this long, whichever way it is kept
STALE_CLAIM_SECONDS = 60  # a claim in progress older than this belongs to a request that died


class IdempotencyClaim:
    """The key (scoped to the caller), the request's hash, when the record expires, and
    whether a commit has written it (a request's context writes it once)."""

    def __init__(self, key: str, request_hash: str, *, expires: int) -> None:
        self.key = key
        self.request_hash = request_hash
        self.expires = expires
        self.written = False

    @property
    def item(self) -> IdempotencyPut:
        return IdempotencyPut(key=self.key, request_hash=self.request_hash, expires=self.expires)
