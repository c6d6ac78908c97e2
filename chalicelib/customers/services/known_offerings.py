"""Offerings named by a coupon's terms or a segment's `booked_offering` rule must be this
business's own: an id of no offering here (a typo, another business's) would make a coupon
that applies to nothing or a segment that matches nobody, silently. Refused 422
`unknown_offering` with the ids not found (`offering_ids`). An offering no longer sold is
still an offering of the business (its past bookings count)."""

from __future__ import annotations

from collections.abc import Iterable

from chalicelib.catalog.services.catalog_ports import CatalogStore
from chalicelib.kernel.domain.errors import InvalidInput


def refuse_unknown_offerings(catalog: CatalogStore, ids: Iterable[str], *, field: str) -> None:
    wanted = set(ids)
    if not wanted:
        return
    unknown = sorted(wanted - {o.id for o in catalog.list_offerings()})
    if unknown:
        raise InvalidInput(
            f"No offering of this business has the id {', '.join(unknown)}.",
            code="unknown_offering",
            field=field,
            offering_ids=unknown,
        )
