"""Compose and send a customer's notification: the consumer of order events, and `notify`
which the reminders use too.

Each channel of a message is its own ledger entry (`notifications#<event id>#email`), so a
retry after the SMS failed does not send the e-mail again.

The "held" message waits a minute (`Settings.held_notice_seconds`): most holds made by a person at a
desk or in the widget are confirmed (paid) within it, and then "held until ..." is no longer
true and is not sent. The hold's event puts one delayed message on the reminders queue, the
hold check (booking/services/expiry.py `hold_check`, which also hands the hold on to its expiry
message); the reminders worker sends the notice only if the order is still held
(reminders.send_reminder).
"""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.booking.domain.orders import BookingStatus, Channel, Order
from chalicelib.booking.services.own_orders import ManageTokenSecret, manage_link
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.events import (
    NoShowFeeCharged,
    OrderCancelled,
    OrderConfirmed,
    OrderEvent,
    OrderHeld,
    OrderMarkedNoShow,
    OrderMessaged,
    OrderRescheduled,
    PaymentDue,
    PaymentFailed,
    PaymentReceived,
    RefundFailed,
    RefundIssued,
)
from chalicelib.kernel.domain.timefmt import add_seconds, parse
from chalicelib.kernel.services.messaging_ports import (
    Attachment,
    Email,
    Mailer,
    MessageBus,
    SmsSender,
    sent_unless_refused,
)
from chalicelib.kernel.services.once import LEASE_SECONDS, run_once
from chalicelib.kernel.services.tenant_data_ports import OnceLedger
from chalicelib.notifications.services import content
from chalicelib.notifications.services.ics import order_calendar
from chalicelib.notifications.services.rendering import clipped, render_message, sms_text
from chalicelib.notifications.services.template_ports import NotificationsContext
from chalicelib.notifications.services.templates import pick_locale
from chalicelib.queues import MAX_DELAY_SECONDS
from chalicelib.settings import Settings
from chalicelib.tenancy.services.reach import SMS_OFF, by_email, text_refusal

EVENT_KINDS: dict[type[OrderEvent], str] = {
    OrderHeld: "held",
    OrderConfirmed: "confirmed",
    OrderRescheduled: "changed",
    OrderCancelled: "cancelled",
    PaymentReceived: "payment_received",
    NoShowFeeCharged: "payment_received",  # the card saved at booking: its receipt
    PaymentFailed: "payment_failed",
    PaymentDue: "payment_due",
    OrderMarkedNoShow: "no_show",
    OrderMessaged: "message",
    RefundIssued: "refund_issued",
    RefundFailed: "refund_failed",
}


class NotifyDeps(Protocol):
    """What sending a customer's message needs."""

    @property
    def mailer(self) -> Mailer: ...
    @property
    def sms(self) -> SmsSender: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def manage_token_secret(self) -> ManageTokenSecret: ...


WITH_CALENDAR = frozenset({"confirmed", "changed", "cancelled"})
# Every message about a booking the customer may still act on carries its manage link.
WITH_MANAGE_LINK = frozenset(
    {
        "held",
        "confirmed",
        "changed",
        "reminder",
        "payment_received",
        "payment_failed",
        "payment_due",
    }
)
MAX_SUBJECT = 200


def notify(
    ctx: NotificationsContext,
    deps: Any,
    order: Order,
    kind: str,
    *,
    key: str,
    data: dict[str, Any] | None = None,
    ledger: OnceLedger | None = None,
) -> dict[str, bool]:
    """Send `kind` to the order's customer by e-mail and (with a phone) SMS, as far as the
    tenant sends that message by those channels, each at most once for `key` (in `ledger`:
    the context's, an event's claim inside a consumer, unless a key that spans events names
    the table's). Channel -> whether it was sent now. Nothing goes to an erased customer (a
    reminder or a balance's schedule left behind by an erase finds nobody)."""
    if order.customer.erased:
        return {}
    locale = pick_locale(order.customer.locale, ctx.tenant.locale)
    extra = content.kind_data(kind, ctx.tenant, order, data or {}, locale, ctx.now())
    message_data = mail_data = content.message_context(ctx.tenant, order, locale, extra)
    if kind in WITH_MANAGE_LINK:
        # The e-mail's link carries the e-mail proof too (own_orders.py); a text message's
        # does not: the phone of a hold is anyone's to type, the e-mail's reader is the owner.
        secret = deps.manage_token_secret
        message_data = _with_link(message_data, manage_link(ctx.tenant, secret, order))
        mailed = manage_link(ctx.tenant, secret, order, emailed=True)
        mail_data = _with_link(message_data, mailed)
    sent: dict[str, bool] = {}
    # The tenant's choice for this message, to an address or number it can reach (reach.py).
    email = by_email(ctx.tenant, kind, order.customer.email, order.customer.phone)
    text = bool(order.customer.phone) and _may_text(ctx, order, kind)
    own = ctx.data.templates.of_kind(kind, locale) if email or text else {}
    if email:
        sent["email"] = run_once(
            ctx,
            f"{key}#email",
            lambda: sent_unless_refused(
                deps.mailer, _email(ctx, deps, order, kind, locale, mail_data, own.get("email"))
            ),
            ledger=ledger,
        )
    if text:
        sms = sms_text(ctx, kind, locale, message_data, own.get("sms"))
        sent["sms"] = run_once(
            ctx, f"{key}#sms", lambda: deps.sms.send(order.customer.phone, sms), ledger=ledger
        )
    return sent


def _with_link(data: dict[str, Any], link: str) -> dict[str, Any]:
    return {**data, "order": {**data["order"], "manage_url": link}}


def _may_text(ctx: NotificationsContext, order: Order, kind: str) -> bool:
    """The real guard: the tenant texts `kind`, to a mobile number in a country it allows
    now (phones.py)."""
    from chalicelib.observability import logger

    refused = text_refusal(ctx.tenant, kind, order.customer.phone)
    if refused not in (None, SMS_OFF):
        logger.info(
            "no text message for this number",
            extra={"tenant_id": ctx.tenant.id, "order_id": order.id, "why": refused},
        )
    return refused is None


def _email(
    ctx: NotificationsContext,
    deps: Any,
    order: Order,
    kind: str,
    locale: str,
    data: dict[str, Any],
    own: dict[str, str] | None,
) -> Email:
    parts = render_message(ctx, kind, "email", locale, data, own)
    attachments: tuple[Attachment, ...] = ()
    if kind in WITH_CALENDAR and (kind != "changed" or order.status is BookingStatus.CONFIRMED):
        ics = order_calendar(ctx.tenant, order, now=ctx.now())
        method = "CANCEL" if order.status is BookingStatus.CANCELLED else "PUBLISH"
        attachments = (Attachment("booking.ics", f"text/calendar; method={method}", ics),)
    return Email(
        to=order.customer.email,
        subject=clipped(parts["subject"], MAX_SUBJECT),
        text=parts["text"],
        html=parts["html"],
        sender=deps.settings.mail_from,
        sender_name=ctx.tenant.name,
        # The contact e-mail the business gave its customers, else its owner's.
        reply_to=ctx.tenant.settings.business.email or ctx.tenant.owner_email,
        attachments=attachments,
        tags={"tenant": ctx.tenant.id, "kind": kind},
    )


def tell_refund(ctx: NotificationsContext, deps: Any, order: Order, event: RefundIssued) -> None:
    """One message per refund, whatever recorded it (a cancellation, staff, the desk, a late
    payment, a capture that lost to a cancellation, Stripe's refund event for one made in its
    dashboard, the settling of a record past its lease): once per refund id across events, in
    the table's ledger, so a refund two paths record (Stripe's event and the request that
    made it) is told once."""
    record = next((r for r in order.refunds if r.id == event.refund_id), None)
    if record is not None and record.status in UNDONE:
        return  # failed at Stripe before its message went: nothing to tell, nothing to correct
    method = record.method.value if record is not None else "online"
    # Its reason too: a late payment given back says why (content._refund's `late`), which
    # the message said nothing of while the reason stayed behind here (a reviewer's).
    data = {"amount": event.amount, "method": method, "reason": event.reason}
    key = refund_key(event.refund_id)
    notify(ctx, deps, order, "refund_issued", key=key, data=data, ledger=ctx.data.ledger)


UNDONE = frozenset({"failed", "canceled"})


def refund_key(refund_id: str) -> str:
    return f"refund-message#{refund_id}"


def tell_refund_failed(
    ctx: NotificationsContext, deps: Any, order: Order, event: RefundFailed
) -> None:
    """The correction of a refund the customer was told of, once per refund (in the table's
    ledger). Told or not, the table's ledger says: each channel's key of the refund's message
    is claimed here: a claim refused means that message went (told: corrected), a claim
    granted means it never did, and it is completed unsent, so a refund message still on its
    way (a late or retried RefundIssued) is never sent for a refund that failed.

    "Never told" is written down before the claims are completed: the correction's own keys
    are completed unsent, so a redelivery of the event (SQS at least once, or a retry after
    another consumer of the group failed), which finds the refund message's keys done, also
    finds the correction done and sends nothing. A hard crash inside the decision (the
    process dies after the claims and before their completion) leaves the refund message's
    keys leased, not done: a redelivery waits for the lease (WorkInProgress) and then claims
    them again, so it decides "never told" again. What a crash can still do is what it does
    to every message: one that dies after the correction went and before its key was
    completed sends the correction a second time."""
    ledger = ctx.data.ledger
    failed = f"refund-failed-message#{event.refund_id}"
    unsent = _claim_unsent(ctx, ledger, refund_key(event.refund_id))
    try:
        if len(unsent) < len(REFUND_CHANNELS):  # a channel's refund message went: correct it
            data = {"amount": event.amount, "method": "online"}
            notify(ctx, deps, order, "refund_failed", key=failed, data=data, ledger=ledger)
        else:  # never told: decided for good, before the claims say so
            for channel in REFUND_CHANNELS:
                run_once(ctx, f"{failed}#{channel}", lambda: None, ledger=ledger)
    except BaseException:
        for key in unsent:
            ledger.release(key)
        raise
    for key in unsent:
        ledger.complete(key, now=ctx.now())


REFUND_CHANNELS = ("email", "sms")


def _claim_unsent(ctx: NotificationsContext, ledger: OnceLedger, key: str) -> list[str]:
    """The refund message's channel keys claimed here (held on a lease, not completed): those
    it never sent. A key refused is a message that went; one another attempt holds raises
    WorkInProgress (the claims made so far are given back: the event comes back)."""
    now = ctx.now()
    lease = add_seconds(now, LEASE_SECONDS)
    held: list[str] = []
    try:
        for channel in REFUND_CHANNELS:
            if ledger.claim(f"{key}#{channel}", now=now, lease_until=lease):
                held.append(f"{key}#{channel}")
    except BaseException:
        for claimed in held:
            ledger.release(claimed)
        raise
    return held


class NotificationDeps(NotifyDeps, Protocol):
    @property
    def bus(self) -> MessageBus: ...
    @property
    def catalog_cache(self) -> CatalogCache: ...


class Notifications:
    """The consumer: tells the customer about their order's changes (a hold's "held" message
    through the delayed hold check the hold's expiry consumer sends: booking/services/expiry.py)."""

    name = "notifications"
    events = tuple(cls for cls in EVENT_KINDS if cls is not OrderHeld)
    # Each e-mail and text goes through `run_once` (notify): a retry sends only what is unsent.
    repeatable = True
    # Reads the tenant's own templates only while it counts some (pipeline/event_data.py).
    reads_listeners = True

    def handle(self, ctx: NotificationsContext, event: OrderEvent, deps: NotificationDeps) -> None:
        order = ctx.data.orders.get(event.order_id)
        if order is None:
            return
        kind = EVENT_KINDS[type(event)]
        if isinstance(event, PaymentDue) and event.outcome == "cancelled":
            return  # its cancellation's own message tells the customer
        if isinstance(event, RefundIssued):
            tell_refund(ctx, deps, order, event)
            return
        if isinstance(event, RefundFailed):
            tell_refund_failed(ctx, deps, order, event)
            return
        if isinstance(event, OrderCancelled) and _never_told(order, event, deps.settings):
            return
        if isinstance(event, OrderRescheduled) and not told_change(order, event):
            return
        if isinstance(event, OrderConfirmed):
            if order.channel is Channel.IMPORT:
                return  # booked in another system, and told there: its reminders still go
            from chalicelib.payments.services.collection import planned

            order = planned(ctx, deps.catalog_cache, order)  # its instalments, if it has a plan
        notify(ctx, deps, order, kind, key=f"{self.name}#{event.id}", data=event.data())


def told_change(order: Order, event: OrderRescheduled) -> bool:
    """Whether a change's message goes: only while the order's guest sees it as that change
    left it (`Order.seen_version`, booking/domain/orders.Line.seen). A move to another table only
    leaves the guest's view as it was (an older version): no message. A change overtaken by
    another the guest sees, before its message went, leaves the telling to the later one's,
    which describes the booking as it is: the latest told once, never two alike. An order
    stored before it knew (0): as before, unless its start moved on since."""
    if not order.seen_version:
        return order.start == event.start
    return order.seen_version == event.version


def _never_told(order: Order, event: OrderCancelled, settings: Settings) -> bool:
    """A hold given back through the widget (a publishable key's call: its "Choose another
    time"), with no payment ever tried on it, before its "held" message was due: the
    customer heard nothing of it (a declined card would have sent "payment failed"; staff
    cancelling for the customer count as told), so its end is not news either. The "held"
    message is not sent either (the hold check finds it no longer held)."""
    if event.previous_status != BookingStatus.HELD.value or event.cancelled_by != "customer":
        return False
    if not event.actor.startswith("publishable_key:") or order.payments:
        return False
    notice_due = min(settings.held_notice_seconds, MAX_DELAY_SECONDS)  # as expiry.py sends it
    return (parse(event.at) - parse(order.created_at)).total_seconds() < notice_due
