"""Staff alerts: each staff member's choice of alerts, and the feed the console reads while it
is open (notifications/services/staff_alerts.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.notifications.services import staff_alerts
from chalicelib.notifications.services.alert_ports import AlertPrefs
from chalicelib.tenancy.domain.staff import READ
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.notifications.api.alert_models import AlertFeedOut, AlertPrefsOut

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/staff/{user_id}/alerts",
    "GET",
    summary="A staff member's alerts",
    tag="staff",
    roles=READ,
    response="chalicelib.notifications.api.alert_models:AlertPrefsOut",
)
def get_alert_prefs(call: Call) -> AlertPrefsOut:
    from chalicelib.notifications.api.alert_models import AlertPrefsOut

    user = staff_alerts.staff_member(call.ctx, call.container.platform, call.path["user_id"])
    prefs, chosen = staff_alerts.prefs_of(call.ctx, user)
    return AlertPrefsOut.of(prefs, chosen=chosen)


@route(
    bp,
    "/v1/staff/{user_id}/alerts",
    "PUT",
    summary="Choose a staff member's alerts",
    tag="staff",
    roles=READ,
    body="chalicelib.notifications.api.alert_models:AlertPrefsIn",
    response="chalicelib.notifications.api.alert_models:AlertPrefsOut",
)
def put_alert_prefs(call: Call) -> AlertPrefsOut:
    """Which changes (booked, changed, cancelled, payment) of which orders (all, or those on the
    staff member's own resources) are e-mailed to them and shown in their console. Their
    own; a manager's or an owner's for anyone."""
    from chalicelib.notifications.api.alert_models import AlertPrefsIn, AlertPrefsOut

    user = staff_alerts.staff_member(call.ctx, call.container.platform, call.path["user_id"])
    body: AlertPrefsIn = call.body
    wanted = AlertPrefs(
        user_id=user.id,
        email=user.email,
        kinds=frozenset(body.kinds),
        scope=body.scope,
        resource_ids=frozenset(body.resource_ids),
    )
    return AlertPrefsOut.of(staff_alerts.choose(call.ctx, user, wanted), chosen=True)


@route(
    bp,
    "/v1/alerts",
    "GET",
    summary="The alerts since the last look (the console's feed)",
    tag="staff",
    roles=READ,
    query="chalicelib.notifications.api.alert_models:AlertFeedQueryIn",
    response="chalicelib.notifications.api.alert_models:AlertFeedOut",
)
def alert_feed(call: Call) -> AlertFeedOut:
    """A staff member's alerts as they chose them (a key's: every one), after the cursor
    `after` (the `next` of the previous answer; none: the last hour)."""
    from chalicelib.notifications.api.alert_models import AlertFeedOut, AlertOut

    page = staff_alerts.feed(call.ctx, call.container.platform, call.query.after)
    return AlertFeedOut(data=[AlertOut.of(a) for a in page.alerts], next=page.next, more=page.more)
