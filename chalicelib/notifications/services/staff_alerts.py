"""Staff alerts: a new booking, a change or a cancellation told to the staff who asked for
it, by e-mail (a consumer of the order's event) and in the console while it is open (the
feed it reads, `alerts_since`).

Each staff member chooses which kinds (booked, changed, cancelled, payment) and whether for every
order or only those on their own resources (a stylist's appointments, a guide's tours); until
they choose, they are told nothing (the console's alerts form asks). Nobody is told of their
own change.

Two alerts do not wait for a choice. An overbooking (a partner's guest with no room) goes to
the owner address when nobody chose it. A failed refund (`RefundFailed`: the customer was told
"<business> will contact you to give it back") goes to every active owner and manager, chosen
or not, except one who saved a choice without payment alerts (turned them off: the console's
form saved with "payment" unticked); a business with no owner or manager login (run by its
keys) has it at its owner address. It is in the feed of every owner and manager whatever they
chose (`alerts_since`), so a choice that turned its e-mail off still leaves it in sight.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any, Protocol

from chalicelib.booking.domain.orders import Order
from chalicelib.kernel.domain.errors import Forbidden, InvalidInput, NotFound
from chalicelib.kernel.domain.events import (
    DomainEvent,
    OrderCancelled,
    OrderConfirmed,
    OrderEvent,
    OrderRescheduled,
    OrderRoomAssigned,
    PaymentDue,
    Record,
    RefundFailed,
)
from chalicelib.kernel.domain.inbound_events import OrderOverbooked
from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.domain.timefmt import add_seconds, parse
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.messaging_ports import Email, Mailer, sent_unless_refused
from chalicelib.notifications.services.alert_ports import AlertKind, AlertPrefs, AlertScope
from chalicelib.notifications.services.content_times import format_when
from chalicelib.notifications.services.content_words import nights_text
from chalicelib.notifications.services.owed_alerts import OWED, OWED_WHY, always_shown, owed_to
from chalicelib.notifications.services.template_ports import (
    KnownTemplates,
    NotificationsContext,
)
from chalicelib.notifications.services.templates import pick_locale
from chalicelib.settings import Settings
from chalicelib.tenancy.domain.staff import MANAGE, StaffStatus, StaffUser
from chalicelib.tenancy.services.platform_ports import PlatformRepository

EVENT_ALERTS: dict[type[DomainEvent], AlertKind] = {
    OrderConfirmed: AlertKind.BOOKED,
    OrderRescheduled: AlertKind.CHANGED,
    OrderRoomAssigned: AlertKind.CHANGED,
    OrderCancelled: AlertKind.CANCELLED,
    PaymentDue: AlertKind.PAYMENT,
    RefundFailed: AlertKind.PAYMENT,  # money still owed back: someone must give it
    OrderOverbooked: AlertKind.OVERBOOKED,
}
# Told even when nobody chose them: to the business's owner address (an overbooked guest is
# coming with no room held; the rule: never silently dropped).
UNMISSABLE = frozenset({AlertKind.OVERBOOKED})
CHOSE = "You chose these alerts in the console (your alerts); change them there."
FALLBACK = (
    "Nobody chose this alert, so it goes to the business's owner address: "
    "choose who gets it in the console (alerts)."
)
SUBJECTS = {
    AlertKind.BOOKED: "New booking",
    AlertKind.CHANGED: "Booking changed",
    AlertKind.CANCELLED: "Booking cancelled",
    AlertKind.PAYMENT: "Balance or instalment not paid",
    AlertKind.OVERBOOKED: "Overbooking: a partner's guest has no room",
}
# An event whose alert says more than its kind's subject (a payment alert that is a refund).
EVENT_SUBJECTS: dict[type[DomainEvent], str] = {
    RefundFailed: "Refund failed, the money is still owed",
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


def alert_of(
    event_id: str,
    kind: AlertKind,
    at: str,
    order: Order,
    tenant: Tenant,
    as_left: Mapping[str, Any],
) -> Alert:
    """The alert of an event (`as_left`: its data, the order's `start` and `version` as the
    change left them) on the order as read now."""
    names = ", ".join(dict.fromkeys(line.offering_name for line in order.lines))
    return Alert(
        event_id=event_id,
        kind=kind,
        order_id=order.id,
        at=at,
        customer=order.customer.name,
        what=names,
        when=_when(order, tenant, str(as_left["start"]), int(as_left["version"])),
    )


def _when(order: Order, tenant: Tenant, start: str, version: int) -> str:
    """The first start as the change left it, as the customer's messages say it: a stay by
    its date and nights (a nightly line's start is midnight, no clock time), anything else
    with its time. An order changed since (read at a later version) is said by the start its
    event names alone: its nights now may not be the change's."""
    locale = pick_locale(tenant.locale)
    first = min(order.lines, key=lambda line: line.start)
    if not first.nights:
        return format_when(start, tenant.timezone, locale)
    day = format_when(start, tenant.timezone, locale, with_time=False)
    if order.version != version:
        return day
    return f"{day}, {nights_text(first.nights, locale)}"


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

    # The event's order comes with the tenant's counts (pipeline/event_data.py), which say
    # whether anyone made a choice at all.
    reads_listeners = True

    def handle(self, ctx: NotificationsContext, event: OrderEvent, deps: AlertDeps) -> None:
        from chalicelib.kernel.services.once import run_once

        kind = EVENT_ALERTS[type(event)]
        order, choices = _choices(ctx, event)
        asking = [p for p in choices if kind in p.kinds]
        if not asking and kind not in UNMISSABLE and type(event) not in OWED:
            return
        if order is None:
            order = ctx.data.orders.get(event.order_id)
        if order is None:
            return
        told = recipients(ctx, event, order, asking, choices, deps)
        if not told:
            return  # nobody asked: nothing is made
        alert = alert_of(event.id, kind, event.at, order, ctx.tenant, event.data())
        subject = EVENT_SUBJECTS.get(type(event), SUBJECTS[kind])
        for to, why in told.items():
            email = _email(ctx.tenant, alert, to, deps.settings, why=why, subject=subject)
            run_once(ctx, f"{self.name}#{event.id}#{to}", _sender(deps.mailer, email))


def recipients(
    ctx: NotificationsContext,
    event: OrderEvent,
    order: Order,
    asking: Sequence[AlertPrefs],
    choices: Sequence[AlertPrefs],
    deps: AlertDeps,
) -> dict[str, str]:
    """Who is e-mailed the event's alert, each with why (the e-mail's last line): those who
    chose it; for money owed back (`OWED`) the owners and managers too (`owed_to`); nobody
    at all for an unmissable kind: the owner address."""
    kind = EVENT_ALERTS[type(event)]
    told = {p.email: CHOSE for p in asking if wants(p, kind, order) and not _own(p, event, deps)}
    if type(event) in OWED:
        for to in owed_to(ctx.tenant, choices, deps.platform):
            told.setdefault(to, OWED_WHY)
    if not told and kind in UNMISSABLE:
        told[ctx.tenant.owner_email] = FALLBACK  # nobody chose it: the business's owner is told
    return told


def _choices(ctx: NotificationsContext, event: OrderEvent) -> tuple[Order | None, list[AlertPrefs]]:
    """The staff's choices, and the order when it was read for them. Inside one event's
    consumers (the templates known by the tenant's counts, `KnownTemplates`): the order first,
    with the counts in one BatchGetItem (the customer's message reads it anyway), and no Query
    of the choices while the tenant counts none, which most small businesses never make.
    Elsewhere, or with the count unknown (a table from before it): the choices first (one
    Query), and the order only if someone asks."""
    templates = ctx.data.templates
    if not isinstance(templates, KnownTemplates):
        return None, ctx.data.alert_prefs.all()
    order = ctx.data.orders.get(event.order_id)
    counts = templates.listeners()
    if counts is not None and counts.alert_prefs == 0:
        return order, []
    return order, ctx.data.alert_prefs.all()


def _sender(mailer: Mailer, email: Email) -> Callable[[], object]:
    return lambda: sent_unless_refused(mailer, email)


def _own(prefs: AlertPrefs, event: OrderEvent, deps: AlertDeps) -> bool:
    """The staff member made this change, or no longer works here: not told."""
    if event.actor == f"user:{prefs.user_id}":
        return True
    user = deps.platform.get_staff(prefs.user_id)
    return user is None or user.status is not StaffStatus.ACTIVE


def _email(
    tenant: Tenant, alert: Alert, to: str, settings: Settings, *, why: str, subject: str
) -> Email:
    link = f"{settings.console_origin}/#/order/{alert.order_id}" if settings.console_origin else ""
    said = subject
    subject = f"{said}: {alert.customer}, {alert.when}"
    text = "\n".join(
        line
        for line in (
            f"{said} at {tenant.name}:",
            f"{alert.customer}: {alert.what}, {alert.when}",
            f"Order {alert.order_id}",
            link,
            "",
            why,
        )
        if line is not None
    )
    body = "".join(f"<p>{escape(line)}</p>" for line in text.split("\n") if line)
    return Email(
        to=to,
        subject=subject[:200],
        text=text,
        html=f"<html><body>{body}</body></html>",
        sender=settings.mail_from,
        sender_name="Reservoir",
        reply_to=None,
        attachments=(),
        tags={"tenant": tenant.id, "kind": f"staff_{alert.kind.value}"},
    )


def alerts_since(
    ctx: NotificationsContext,
    records: Sequence[Record],
    prefs: AlertPrefs | None,
    always: frozenset[str] = frozenset(),
) -> list[Alert]:
    """The feed a console polls: the events since its last look that `prefs` wants (None: a
    key's view, everything), and those named in `always` whatever it chose (money owed back,
    to an owner or manager: owed_alerts.py), newest first."""
    kinds = {cls.name: kind for cls, kind in EVENT_ALERTS.items()}
    wanted = prefs.kinds if prefs is not None else frozenset(AlertKind)
    found = [(r, kinds[r.name]) for r in records if kinds.get(r.name) in wanted or r.name in always]
    orders = ctx.data.orders.get_many(sorted({r.order_id for r, _ in found}))
    out = []
    for record, kind in reversed(found):
        order = orders.get(record.order_id)
        if order is None or (prefs is not None and not _shown(prefs, kind, order, record, always)):
            continue
        out.append(alert_of(record.id, kind, record.at, order, ctx.tenant, record.data))
    return out


def _shown(
    prefs: AlertPrefs, kind: AlertKind, order: Order, record: Record, always: frozenset[str]
) -> bool:
    if record.name in always:
        return True
    return wants(prefs, kind, order) and record.data.get("actor") != f"user:{prefs.user_id}"


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
        raise Forbidden("Only your own alerts, or a manager's choice.", code="role_forbidden")
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
    # Whose alerts changed, by whom (an outside tester's owner silenced a colleague's
    # cancellation alerts and the trail said nothing).
    ctx.audit(
        "staff.alerts_changed",
        f"user:{user.id}",
        kinds=sorted(prefs.kinds),
        scope=prefs.scope,
        resource_ids=sorted(prefs.resource_ids),
    )
    return chosen


FEED_PAGE = 200  # events read a look (the console looks again at once while there are more)
CURSOR = re.compile(r"^2[0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9:.]{15}Z#[A-Za-z0-9_.-]{0,80}$")


def _cursor(text: str) -> bool:
    if not CURSOR.match(text):
        return False
    try:
        parse(text.split("#")[0])
    except ValueError:
        return False  # 25:00, the 13th month
    return True


@value
class FeedPage:
    alerts: tuple[Alert, ...]  # newest first
    next: str  # where the next look starts: the position of the last event read
    more: bool  # events are left after `next`: look again now


def feed(ctx: NotificationsContext, platform: PlatformRepository, after: str | None) -> FeedPage:
    """The console's feed: the caller's alerts among the events after the cursor `after`
    (first look: the last hour; never more than a day back), a page of events a look, with
    the cursor of the last event read whether it was an alert or not, so a busy day never
    holds the feed back. A key's view is every alert. An event committed with a time before
    the cursor's (its change began before the last look and committed after it) is e-mailed
    but not shown."""
    if after is not None and not _cursor(after):
        raise InvalidInput("`after` is the `next` of an earlier answer.", code="invalid_after")
    now = ctx.now()
    floor = add_seconds(now, -86400)
    start = max(after.split("#")[0] if after else add_seconds(now, -3600), floor)
    start = min(start, now)
    end = add_seconds(now, 1)  # the events of this very moment too
    read = ctx.data.event_log.between(start, end, after=after, limit=FEED_PAGE)
    next_cursor = read[-1][0] if read else (after or f"{start}#")
    page = FeedPage((), next_cursor, len(read) == FEED_PAGE)
    prefs, always = None, frozenset[str]()
    if ctx.actor.kind == "user":
        user = platform.get_staff(ctx.actor.id)
        if user is None or user.tenant_id != ctx.tenant.id:
            return page
        prefs = prefs_of(ctx, user)[0]
        always = always_shown(user.role)
        if not prefs.kinds and not always:
            return page  # nothing chosen, nothing shown regardless: no order is read
    alerts = alerts_since(ctx, [r for _, r in read], prefs, always)
    return FeedPage(tuple(alerts), next_cursor, page.more)
