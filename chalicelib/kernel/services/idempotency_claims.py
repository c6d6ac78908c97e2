"""A request's Idempotency-Key, to be kept on what its change made.

The booking's hold and confirm (routes declared with `replay=`, web/routing.py) do not claim
their key in a write of its own before they run and store their answer in another after: the
route puts an `IdempotencyClaim` on the request's context, and the first unit of work that
commits in that context and carries keys (the order's) marks the key on the order it writes
(`mark`: a digest of the key and of the request, in the order's item). Either both the change
and its mark are written or neither is, and the order's own condition (new, or over the
version read) refuses a retry's whole change; the retry finds its mark on the order and is
answered with the order as it stands (web/idempotency.py `run_with_change`). No item and no
write of its own: what a key costs is about 30 bytes of the order's item.
"""

from __future__ import annotations

import base64
import hashlib

MARK_SEPARATOR = "."


def _digest(text: str, size: int) -> str:
    raw = hashlib.sha256(text.encode()).digest()[:size]
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class IdempotencyClaim:
    """The key (scoped to the caller), the request's hash, and whether a commit has marked
    it on what it made (a request's context marks it once)."""

    def __init__(self, key: str, request_hash: str) -> None:
        self.key = key
        self.request_hash = request_hash
        self.written = False

    @property
    def key_digest(self) -> str:
        """The key, in 48 bits: only the keys that changed one order are ever told apart."""
        return _digest(self.key, 6)

    def reused_on(self, marks: tuple[str, ...]) -> bool:
        """Whether `marks` (what an order remembers) hold this key with another request."""
        return any(m != self.mark and m.startswith(self.key_digest + MARK_SEPARATOR) for m in marks)

    @property
    def mark(self) -> str:
        """What the order keeps of this request: the key's digest and the request's (96
        bits), `<key>.<request>`: 25 characters."""
        return f"{self.key_digest}{MARK_SEPARATOR}{_digest(self.request_hash, 12)}"
