"""A rebuild of the daily figures over a date range: a job's state (reports/services/rebuild.py
runs it). Statuses: queued -> running -> done | failed. `phase` and `orders` say how far it got:
a job that died is run again from its phase by the queue's redelivery, and since each phase
writes values recomputed from the orders (never additions), running one again gives the same
result."""

from __future__ import annotations

from chalicelib.kernel.domain.values import value

MAX_REBUILD_DAYS = 366


@value
class Rebuild:
    id: str
    first: str  # local dates, inclusive
    last: str
    status: str  # queued | running | done | failed
    created_at: str
    updated_at: str
    phase: str = ""  # "" | counted | days
    orders: int = 0  # orders read
    days: int = 0  # day items written
    finished_at: str | None = None
    error: str | None = None
    attempts: int = 0  # runs started (the queue's deliveries that reached it)
