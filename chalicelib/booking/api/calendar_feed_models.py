"""Request and response models of a resource's calendar feed (iCalendar subscription)."""

from __future__ import annotations

from pydantic import Field

from chalicelib.web.models import Body, Out


class CalendarFeedIn(Body):
    """No fields: the resource is in the path (an empty body or `{}`)."""


class CalendarFeedOut(Out):
    resource_id: str
    url: str = Field(description="The feed's address. Shown once: it holds the secret token.")
    path: str
    created_at: str


class CalendarFeedInfoOut(Out):
    resource_id: str
    created_at: str
    created_by: str
