"""Request and response models of staff alerts (notifications/services/staff_alerts.py)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from chalicelib.notifications.services.alert_ports import AlertKind, AlertPrefs, AlertScope
from chalicelib.notifications.services.staff_alerts import Alert
from chalicelib.web.models import Body, Out, Query

ResourceId = Annotated[
    str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
]


class AlertPrefsIn(Body):
    kinds: Annotated[list[AlertKind], Field(max_length=5)] = Field(
        description="Which changes: booked (a new booking confirmed), changed, cancelled, "
        "payment (a balance or instalment not taken when due, or a refund that failed: "
        "owners and managers get that one unless they leave payment out of a saved choice), "
        "overbooked (a channel partner's guest booked without a free room)."
    )
    scope: AlertScope = Field(
        default=AlertScope.ALL,
        description="all: every order; mine: the orders on `resource_ids` (who they are: a "
        "stylist, a guide).",
    )
    resource_ids: Annotated[list[ResourceId], Field(max_length=20)] = []


class AlertPrefsOut(Out):
    user_id: str
    email: str
    kinds: list[str]
    scope: str
    resource_ids: list[str]
    chosen: bool = Field(description="False: none chosen yet, so no alerts.")

    @classmethod
    def of(cls, prefs: AlertPrefs, *, chosen: bool) -> AlertPrefsOut:
        return cls(
            user_id=prefs.user_id,
            email=prefs.email,
            kinds=sorted(k.value for k in prefs.kinds),
            scope=prefs.scope.value,
            resource_ids=sorted(prefs.resource_ids),
            chosen=chosen,
        )


class AlertFeedQueryIn(Query):
    after: Annotated[str, Field(max_length=120)] | None = Field(
        default=None,
        description="The `next` of the previous answer (none: the last hour; at most a day back).",
    )


class AlertOut(Out):
    event_id: str
    kind: str
    order_id: str
    at: str
    customer: str
    what: str
    when: str

    @classmethod
    def of(cls, a: Alert) -> AlertOut:
        return cls(
            event_id=a.event_id,
            kind=a.kind.value,
            order_id=a.order_id,
            at=a.at,
            customer=a.customer,
            what=a.what,
            when=a.when,
        )


class AlertFeedOut(Out):
    data: list[AlertOut] = Field(description="Newest first.")
    next: str = Field(description="Where the next look starts (send it as `after`).")
    more: bool = Field(description="Events are left after `next`: look again now.")
