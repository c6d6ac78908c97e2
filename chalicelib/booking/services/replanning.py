"""Planning a booking change again after its commit lost (kernel/services/unit_of_work.py states the
retry policy: conflicts are retried by the writer, refused conditions decided here)."""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.kernel.domain.errors import SlotUnavailable, StaleCatalog

PLAN_ATTEMPTS = 3  # plans on a catalog that changed meanwhile (StaleCatalog) before giving up


@dataclass
class Replanning:
    """The attempts of one booking change (a hold, a reschedule) at planning and committing.

    The first plan reads the buckets eventually consistently; every later one reads them
    consistently, on a fresh catalog. Concurrent requests for one slot all choose the same
    least-loaded resource, and only one commit wins it. A commit refused for a bucket
    (SlotUnavailable names the resource and the bucket that lost) is planned again without
    that resource for that bucket, so the losers spread over the other candidates instead
    of giving up while some are free. Every loss removes one candidate, so the attempts are
    bounded by the candidates (plus PLAN_ATTEMPTS for a catalog that changed meanwhile). A
    refusal of a consistent plan that names nothing new is the honest answer.
    """

    what: str
    attempt: int = 0
    stale: int = 0
    avoid: set[tuple[str, str]] = field(default_factory=set)

    @property
    def consistent(self) -> bool:
        return self.attempt > 0

    def catalog_changed(self) -> None:
        self.attempt += 1
        self.stale += 1
        if self.stale >= PLAN_ATTEMPTS:
            raise StaleCatalog(f"The catalog kept changing while {self.what}; try again.")

    def lost(self, exc: SlotUnavailable, candidates: int) -> None:
        """Learn which bucket the commit lost, or re-raise when there is nothing to learn."""
        resource_id, bucket = exc.details.get("resource_id"), exc.details.get("bucket")
        learned = isinstance(resource_id, str) and isinstance(bucket, str)
        if learned and (resource_id, bucket) not in self.avoid:
            self.avoid.add((str(resource_id), str(bucket)))
        elif self.consistent:
            raise exc
        if len(self.avoid) > candidates or self.attempt >= candidates + PLAN_ATTEMPTS:
            raise exc
        self.attempt += 1
