"""What the catalog's route modules share: the revision in If-Match (412 when stale: a
change planned on an old definition must not replace a newer one), the ETag of a reply, and
a date in the path."""

from __future__ import annotations

from datetime import date

from chalicelib.catalog.domain.catalog import Offering, Resource
from chalicelib.kernel.domain.errors import InvalidInput, PreconditionFailed
from chalicelib.web.etag import expected_version
from chalicelib.web.route_headers import if_match_header
from chalicelib.web.routing import Call, Reply

# A stale or malformed If-Match is 412 here (orders answer 409: see booking/api/orders.py).
IF_MATCH_HEADER = if_match_header(required=True, stale=PreconditionFailed)
IF_MATCH = (
    'Send `If-Match: "<rev>"` with the ETag of the GET you changed (or `*`: whatever is '
    "current): 428 without it, 412 `version_mismatch` when the item changed since, 412 "
    "`invalid_if_match` for a weak ETag, a list or any other form."
)


def expected_rev(call: Call) -> int | None:
    """The revision in If-Match (`"3"`); None for `*` (web/etag.py has the one rule)."""
    return expected_version(call.headers.get("if-match"), required=True)


def etag(rev: int) -> dict[str, str]:
    return {"ETag": f'"{rev}"'}


def path_date(call: Call) -> date:
    """YYYY-MM-DD from 2000 to 2999, by the rule of the models' `Day` (date.fromisoformat
    alone would take the week form 2026-W52-3 and years up to 9999)."""
    from chalicelib.web.models import FIRST_DAY, LAST_DAY, day_of

    day = day_of(call.path["date"])
    if day is None:
        raise InvalidInput(
            f"The date is YYYY-MM-DD, from {FIRST_DAY} to {LAST_DAY}.",
            code="invalid_date",
            field="date",
        )
    return day


def resource_reply(r: Resource, status: int | None = None) -> Reply:
    from chalicelib.catalog.api.resource_models import ResourceOut

    return Reply(ResourceOut.of(r), status, etag(r.rev))


def offering_reply(o: Offering, status: int | None = None) -> Reply:
    from chalicelib.catalog.api.offering_models import OfferingOut

    return Reply(OfferingOut.of(o), status, etag(o.rev))
