"""Staff alerts: a new booking, a change or a cancellation told to the staff who asked for
it, by e-mail (a consumer of the order's event) and in the console while it is open (the
feed it reads, `alerts_since`).

Each staff member chooses which kinds (booked, changed, cancelled) and whether for every
order or only those on their own resources (a stylist's appointments, a guide's tours); until
they choose, they are told nothing (the console's alerts form asks). Nobody is told of their
own change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from chalicelib.booking.domain.orders import Order
from chalicelib.kernel.domain.errors import Forbidden, InvalidInput, NotFound
from chalicelib.kernel.domain.events import (
    DomainEvent,
    OrderCancelled,
    OrderConfirmed,
    OrderEvent,
    OrderRescheduled,
    OrderRoomAssigned,
    Record,
)
from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.domain.timefmt import add_seconds, parse
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.messaging_ports import Email, Mailer
from chalicelib.notifications.services.alert_ports import AlertKind, AlertPrefs, AlertScope
from chalicelib.notifications.services.content import format_when
from chalicelib.notifications.services.template_ports import NotificationsContext
from chalicelib.settings import Settings
from chalicelib.tenancy.domain.staff import MANAGE, StaffStatus, StaffUser
from chalicelib.tenancy.services.platform_ports import PlatformRepository

EVENT_ALERTS: dict[type[DomainEvent], AlertKind] = {
    OrderConfirmed: AlertKind.BOOKED,
    OrderRescheduled: AlertKind.CHANGED,
    OrderRoomAssigned: AlertKind.CHANGED,
    OrderCancelled: AlertKind.CANCELLED,
}
SUBJECTS = {
    AlertKind.BOOKED: "New booking",
    AlertKind.CHANGED: "Booking changed",
    AlertKind.CANCELLED: "Booking cancelled",
}


@value
class Alert:
    event_id: str
    kind: AlertKind
    order_id: str
    at: str
    customer: str
    what: str  # the offering(s)
    when: str  # the first start, in the business's zone and language


def wants(prefs: AlertPrefs, kind: AlertKind, order: Order) -> bool:
    if kind not in prefs.kinds:
        return False
    if prefs.scope is AlertScope.ALL:
        return True
    return any(
        a.resource_id in prefs.resource_ids for line in order.lines for a in line.allocations
    )


def alert_of(event_id: str, kind: AlertKind, at: str, order: Order, tenant: Tenant) -> Alert:
    names = ", ".join(dict.fromkeys(line.offering_name for line in order.lines))
    return Alert(
        event_id=event_id,
        kind=kind,
        order_id=order.id,
        at=at,
        customer=order.customer.name,
        what=names,
        when=format_when(order.start, tenant.timezone, tenant.locale),
    )


class AlertDeps(Protocol):
    @property
    def mailer(self) -> Mailer: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def platform(self) -> PlatformRepository: ...


class StaffAlerts:
    """The consumer (pipeline/consumers.py, the messages group): e-mails each staff member who
    wants this change, once per event and person (`run_once`)."""

    name = "staff_alerts"
    events = tuple(EVENT_ALERTS)
    repeatable = True

    def handle(self, ctx: NotificationsContext, event: OrderEvent, deps: AlertDeps) -> None:
        from chalicelib.kernel.services.once import run_once

        order = ctx.data.orders.get(event.order_id)
        if order is None:
            return
        kind = EVENT_ALERTS[type(event)]
        alert = alert_of(event.id, kind, event.at, order, ctx.tenant)
        for prefs in ctx.data.alert_prefs.all():
            if not wants(prefs, kind, order) or _own(prefs, event, deps):
                continue
            email = _email(ctx.tenant, alert, prefs.email, deps.settings)
            run_once(ctx, f"{self.name}#{event.id}#{prefs.email}", _sender(deps.mailer, email))


def _sender(mailer: Mailer, email: Email) -> Callable[[], object]:
    def send() -> object:
        return mailer.send(email)

    return send


def _own(prefs: AlertPrefs, event: OrderEvent, deps: AlertDeps) -> bool:
    """The staff member made this change, or no longer works here: not told."""
    if event.actor == f"user:{prefs.user_id}":
        return True
    user = deps.platform.get_staff(prefs.user_id)
    return user is None or user.status is not StaffStatus.ACTIVE


def _email(tenant: Tenant, alert: Alert, to: str, settings: Settings) -> Email:
    link = f"{settings.console_origin}/#/order/{alert.order_id}" if settings.console_origin else ""
    subject = f"{SUBJECTS[alert.kind]}: {alert.customer}, {alert.when}"
    text = "\n".join(
        line
        for line in (
            f"{SUBJECTS[alert.kind]} at {tenant.name}:",
            f"{alert.customer}: {alert.what}, {alert.when}",
            f"Order {alert.order_id}",
            link,
            "",
            "You chose these alerts in the console (your alerts); change them there.",
        )
        if line is not None
    )
    return Email(
        to=to,
        subject=subject[:200],
        text=text,
        html="",
        sender=settings.mail_from,
        sender_name="Reservoir",
        reply_to=None,
        attachments=(),
        tags={"tenant": tenant.id, "kind": f"staff_{alert.kind.value}"},
    )


def alerts_since(
    ctx: NotificationsContext, records: Sequence[Record], prefs: AlertPrefs | None
) -> list[Alert]:
    """The feed a console polls: the events since its last look that `prefs` wants (None: a
    key's view, everything), newest first."""
    kinds = {cls.name: kind for cls, kind in EVENT_ALERTS.items()}
    found = [(r, kinds[r.name]) for r in records if r.name in kinds]
    orders = ctx.data.orders.get_many(sorted({r.order_id for r, _ in found}))
    out = []
    for record, kind in reversed(found):
        order = orders.get(record.order_id)
        if order is None or (prefs is not None and not wants(prefs, kind, order)):
            continue
        if prefs is not None and record.data.get("actor") == f"user:{prefs.user_id}":
            continue
        out.append(alert_of(record.id, kind, record.at, order, ctx.tenant))
    return out


# -- the routes' use cases ---------------------------------------------------------------------


def staff_member(
    ctx: NotificationsContext, platform: PlatformRepository, user_id: str
) -> StaffUser:
    """The staff user whose alerts these are: oneself, or (managers, owners, keys) anyone of
    the business."""
    actor = ctx.actor
    user = platform.get_staff(user_id)
    if user is None or user.tenant_id != ctx.tenant.id:
        raise NotFound("No such staff user.", code="staff_not_found", user_id=user_id)
    own = actor.kind == "user" and actor.id == user_id
    if not own and actor.role not in MANAGE and actor.role is not None:
        raise Forbidden("Only your own alerts, or a manager's choice.", code="forbidden_role")
    return user


def prefs_of(ctx: NotificationsContext, user: StaffUser) -> tuple[AlertPrefs, bool]:
    """Their choice, and whether they made one (none yet: no alerts)."""
    chosen = ctx.data.alert_prefs.get(user.id)
    if chosen is not None:
        return chosen, True
    return AlertPrefs(user_id=user.id, email=user.email, kinds=frozenset()), False


def choose(ctx: NotificationsContext, user: StaffUser, prefs: AlertPrefs) -> AlertPrefs:
    chosen = AlertPrefs(
        user_id=user.id,
        email=user.email,
        kinds=prefs.kinds,
        scope=prefs.scope,
        resource_ids=prefs.resource_ids,
    )
    ctx.data.alert_prefs.put(chosen)
    return chosen


def feed(ctx: NotificationsContext, platform: PlatformRepository, after: str | None) -> list[Alert]:
    """The console's feed: the caller's alerts since `after` (default: the last hour; at most
    a day back), newest first; a key's view is every alert."""
    now = ctx.now()
    if after is not None:
        try:
            parse(after)
        except ValueError:
            raise InvalidInput("`after` is an alert's `at`.", code="invalid_after") from None
    start = max(after or add_seconds(now, -3600), add_seconds(now, -86400))
    start = min(start, now)  # an `after` still to come: nothing yet
    end = add_seconds(now, 1)  # the events of this very moment too
    records = [r for r in ctx.data.event_log.between(start, end, limit=500) if r.at > (after or "")]
    prefs = None
    if ctx.actor.kind == "user":
        user = platform.get_staff(ctx.actor.id)
        if user is None or user.tenant_id != ctx.tenant.id:
            return []
        prefs = prefs_of(ctx, user)[0]
    return alerts_since(ctx, records, prefs)
