"""Deciding again when a commit lost a race its caller never asked to lose.

A change sent without a version (no If-Match: the caller asked for an outcome, such as
"take this payment") whose conditional write found the item changed since its read is read
and decided again on the item as it now is. Twenty tills at one order at once (an outside
tester raced twenty gift-card payments) each lose to every one that commits first, so the
loser pauses a short random time that grows with each loss (the racers spread out rather than
meet again) and tries up to `REREADS` times. One that still loses is told to retry (503 with
Retry-After, TransientFailure), never 409 `version_mismatch`: there was no version of theirs
for the order to mismatch.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from chalicelib.kernel.domain.errors import Conflict, TransientFailure

T = TypeVar("T")
REREADS = 12  # with the pauses below, about two seconds of losing before the caller is told
PAUSE_BASE = 0.005  # seconds: the first pause is at most this, each further at most double
PAUSE_MOST = 0.25  # seconds: no one pause is longer


def lost(exc: Conflict) -> bool:
    """The conditional write found the item changed since its read."""
    return exc.code == "version_mismatch"


def after_loss(exc: Conflict, attempt: int, *, rereads: int = REREADS) -> None:
    """What follows the `attempt`-th (0 first) Conflict of a change sent without a version:
    one that is not a lost race is raised again (the caller's); past `rereads` losses,
    TransientFailure; else a random pause that grows with each loss, and the caller reads
    and decides again."""
    if not lost(exc):
        raise exc
    if attempt >= rereads:
        raise TransientFailure(
            "Many changes reached this at once and this one kept losing; retry."
        ) from exc
    time.sleep(random.uniform(0, min(PAUSE_MOST, PAUSE_BASE * 2**attempt)))


def decide_again(change: Callable[[], T], *, rereads: int = REREADS) -> T:
    """`change()` (read, decide, commit), run again while it loses the race (`after_loss`)."""
    attempt = 0
    while True:
        try:
            return change()
        except Conflict as exc:
            after_loss(exc, attempt, rereads=rereads)
            attempt += 1
