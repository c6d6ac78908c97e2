"""Calendar feeds: a secret iCalendar URL per resource (staff member, room, table, ...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from chalicelib.booking.services import calendar_feeds
from chalicelib.kernel.domain.errors import NotFound, TransientFailure
from chalicelib.tenancy.domain.staff import MANAGE
from chalicelib.web.route_spec import Access
from chalicelib.web.routing import Call, Reply, route

if TYPE_CHECKING:
    from chalicelib.booking.api.calendar_feed_models import CalendarFeedInfoOut

bp = Blueprint(__name__)
TAG = "calendar"
FEED = "/v1/resources/{resource_id}/calendar-feed"


@route(
    bp,
    FEED,
    "POST",
    summary="Issue a calendar feed URL for a resource",
    tag=TAG,
    roles=MANAGE,
    body="chalicelib.booking.api.calendar_feed_models:CalendarFeedIn",
    response="chalicelib.booking.api.calendar_feed_models:CalendarFeedOut",
    status=201,
    secret_answer=True,
)
def issue_feed(call: Call) -> Reply:
    """The URL holds a secret token, shown once and stored only as a hash. Issuing again
    replaces (and so revokes) the previous URL."""
    from chalicelib.booking.api.calendar_feed_models import CalendarFeedOut

    token, created_at = calendar_feeds.issue_feed(call.ctx, call.path["resource_id"])
    path = calendar_feeds.FEED_PATH.format(token=token)
    body = CalendarFeedOut(
        resource_id=call.path["resource_id"],
        # The configured public address, never the caller's Host header.
        url=calendar_feeds.feed_url(call.container.settings.public_base_url, token),
        path=path,
        created_at=created_at,
    )
    return Reply(body, headers={"Cache-Control": "no-store"})


@route(
    bp,
    FEED,
    "GET",
    summary="Whether a resource has a calendar feed",
    tag=TAG,
    roles=MANAGE,
    response="chalicelib.booking.api.calendar_feed_models:CalendarFeedInfoOut",
)
def get_feed(call: Call) -> CalendarFeedInfoOut:
    from chalicelib.booking.api.calendar_feed_models import CalendarFeedInfoOut

    return CalendarFeedInfoOut(**calendar_feeds.feed_info(call.ctx, call.path["resource_id"]))


@route(
    bp,
    FEED,
    "DELETE",
    summary="Revoke a resource's calendar feed",
    tag=TAG,
    roles=MANAGE,
    status=204,
)
def revoke_feed(call: Call) -> None:
    calendar_feeds.revoke_feed(call.ctx, call.path["resource_id"])


@route(
    bp,
    "/v1/calendar/{token}",
    "GET",
    summary="A calendar feed (iCalendar)",
    tag=TAG,
    access=Access.NONE,
    media_type="text/calendar",
    raises=(NotFound, TransientFailure),
)
def read_feed(call: Call) -> Response:
    """`text/calendar` (RFC 5545): the bookings of one resource from 14 days back to 90
    days ahead, in the tenant's time zone. The token in the path is the credential."""
    token = call.path["token"]
    if not token.endswith(".ics"):
        raise NotFound("No such calendar feed.", code="feed_not_found")
    c = call.container
    feed = calendar_feeds.read_feed(
        token.removesuffix(".ics"),
        platform=c.platform,
        data_factory=c.tenant_data,
        now=c.now,
        new_id=c.new_id,
    )
    # icalendar costs ~20 ms to import: only feed requests pay it, not every cold start.
    from chalicelib.booking.adapters.ical import render

    body = render(
        feed.entries,
        name=feed.name,
        tz=feed.timezone,
        now=feed.now,
        first=feed.days[0],
        last=feed.days[-1],
    )
    return Response(
        body=body.decode(),
        status_code=200,
        headers={
            "Content-Type": "text/calendar; charset=utf-8",
            "Cache-Control": "private, max-age=300",
            "Content-Disposition": f'inline; filename="{feed.resource_id}.ics"',
        },
    )
