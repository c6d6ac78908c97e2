"""A tenant's catalog as one snapshot, cached briefly per container.

Bookings plan against the snapshot and commit with a condition on each resource's revision,
so a stale snapshot can never oversell: the commit is refused (StaleCatalog), the snapshot
is dropped and the booking is planned again on fresh data.

The catalog's writes tell the cache what changed (`changed`): it drops the tenant's snapshot
and tells its watchers, which the composition root hands it (the channels' outbound updates:
partners hear of a new price, a closure or a capacity change). A watcher is told after the
write has committed; one that fails is logged and never fails the write.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from chalicelib.catalog.domain.catalog import Offering, Resource, ResourceKind
from chalicelib.catalog.services.catalog_ports import CatalogStore
from chalicelib.kernel.domain.errors import Conflict, NotFound
from chalicelib.kernel.domain.values import value

SNAPSHOT_SECONDS = 10.0
# A watcher of catalog changes: (tenant id, resource ids, offering ids) that changed.
CatalogWatcher = Callable[[str, list[str], list[str]], None]


def on_sale(offering: Offering | None, offering_id: str) -> Offering:
    """`offering` (read by `offering_id`) when it is on sale: unknown (another tenant's too) is
    404; switched off is 409, for it exists (staff see it in the catalog, switched off), and
    "no such offering" to the desk moving a booking of it sent them hunting a typo. The words
    say no more than that: a customer's widget shows them too."""
    if offering is None:
        raise NotFound("No such offering.", code="offering_not_found", offering_id=offering_id)
    if not offering.active:
        raise Conflict(
            "That offering is not on sale now.",
            code="offering_inactive",
            offering_id=offering_id,
        )
    return offering


@value
class CatalogSnapshot:
    resources: dict[str, Resource]
    offerings: dict[str, Offering]

    def offering(self, offering_id: str, *, include_inactive: bool = False) -> Offering:
        offering = self.offerings.get(offering_id)
        return offering if include_inactive and offering else on_sale(offering, offering_id)

    def resource(self, resource_id: str) -> Resource:
        resource = self.resources.get(resource_id)
        if resource is None:
            raise NotFound("No such resource.", code="resource_not_found", resource_id=resource_id)
        return resource

    def candidates(self, offering: Offering) -> list[list[Resource]]:
        """For each requirement, the active resources of a fitting kind that match it."""
        out = []
        for index, requirement in enumerate(offering.requirements):
            kinds = kinds_for(offering.kind, index)
            out.append(
                sorted(
                    (
                        r
                        for r in self.resources.values()
                        if r.active and r.kind in kinds and r.matches(requirement.selector)
                    ),
                    key=lambda r: r.id,
                )
            )
        return out


def kinds_for(kind: ResourceKind, index: int) -> frozenset[ResourceKind]:
    if kind is ResourceKind.NIGHTLY:
        return frozenset({ResourceKind.NIGHTLY})
    if kind is ResourceKind.SESSION and index == 0:
        return frozenset({ResourceKind.SESSION})
    return frozenset({ResourceKind.TIMED})


def load_snapshot(store: CatalogStore) -> CatalogSnapshot:
    return CatalogSnapshot(
        resources={r.id: r for r in store.list_resources()},
        offerings={o.id: o for o in store.list_offerings()},
    )


class CatalogCache:
    def __init__(
        self,
        ttl: float = SNAPSHOT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        watchers: tuple[CatalogWatcher, ...] = (),
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self.watchers = watchers
        self._snapshots: dict[str, tuple[float, CatalogSnapshot]] = {}
        self._lock = threading.Lock()

    def get(self, tenant_id: str, store: CatalogStore, *, fresh: bool = False) -> CatalogSnapshot:
        with self._lock:
            cached = self._snapshots.get(tenant_id)
        if cached and not fresh and self._clock() - cached[0] < self._ttl:
            return cached[1]
        snapshot = load_snapshot(store)
        with self._lock:
            self._snapshots[tenant_id] = (self._clock(), snapshot)
        return snapshot

    def invalidate(self, tenant_id: str) -> None:
        with self._lock:
            self._snapshots.pop(tenant_id, None)

    def changed(
        self,
        tenant_id: str,
        *,
        resource_ids: tuple[str, ...] = (),
        offering_ids: tuple[str, ...] = (),
    ) -> None:
        """A committed write changed these resources or offerings: drop the snapshot, tell
        the watchers."""
        self.invalidate(tenant_id)
        for watcher in self.watchers:
            try:
                watcher(tenant_id, list(resource_ids), list(offering_ids))
            except Exception:  # noqa: BLE001 - the write stands; the watcher's loss is logged
                from chalicelib.observability import logger

                logger.exception("a catalog watcher failed", extra={"tenant_id": tenant_id})
