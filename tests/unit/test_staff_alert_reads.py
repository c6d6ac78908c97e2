"""Staff alerts read the staff's choices before the order: a business where nobody asked for
a kind of alert reads no order for it (one GetItem less per event in the messages group)."""

from __future__ import annotations

from chalicelib.booking.services import orders as order_service
from chalicelib.kernel.domain.event_registry import typed
from chalicelib.notifications.services.alert_ports import AlertKind, AlertPrefs
from chalicelib.notifications.services.staff_alerts import StaffAlerts
from chalicelib.pipeline.stream import event_of
from chalicelib.tenancy.domain.staff import Role, StaffStatus, StaffUser
from tests.stage import ADA, Stage


def confirmed(stage: Stage):
    order = stage.book(customer=ADA)
    stage.drain()
    order_service.confirm(stage.ctx, order.id)
    [message] = stage.events_queue()
    return typed(event_of(message))


def test_nobody_asking_for_alerts_means_no_order_is_read_and_nobody_told():
    stage = Stage()
    event = confirmed(stage)
    stage.data.alert_prefs.put(
        AlertPrefs("u_other", "other@example.com", frozenset({AlertKind.CANCELLED}))
    )
    reads, sent = stage.count_order_reads(), len(stage.emails())
    StaffAlerts().handle(stage.system, event, stage.c)
    assert reads == []
    assert len(stage.emails()) == sent


def add_owner(stage: Stage) -> None:
    owner = StaffUser(
        "u_owner",
        stage.tenant.id,
        "owner@example.com",
        "Owner",
        Role.OWNER,
        StaffStatus.ACTIVE,
        "2026-11-01T00:00:00Z",
    )
    stage.c.platform.add_staff(owner)


def test_someone_asking_is_told_from_the_order_read_once():
    stage = Stage()
    event = confirmed(stage)
    add_owner(stage)
    stage.data.alert_prefs.put(
        AlertPrefs("u_owner", "owner@example.com", frozenset({AlertKind.BOOKED}))
    )
    reads = stage.count_order_reads()
    StaffAlerts().handle(stage.system, event, stage.c)
    assert reads == [event.order_id]
    assert len(stage.emails("owner@example.com")) == 1


def test_an_overbooking_is_told_to_who_asked_for_overbookings():
    from chalicelib.booking.services.booking import order_facts
    from chalicelib.kernel.domain.inbound_events import OrderOverbooked

    stage = Stage()
    order = stage.book(customer=ADA)
    stage.drain()
    event = OrderOverbooked(
        **order_facts(stage.ctx, order), connection_id="chn_bdc", reference="BDC-1"
    )
    for uid, kinds in (("u_desk", {AlertKind.OVERBOOKED}), ("u_sales", {AlertKind.BOOKED})):
        stage.c.platform.add_staff(
            StaffUser(
                uid,
                stage.tenant.id,
                f"{uid}@example.com",
                uid,
                Role.STAFF,
                StaffStatus.ACTIVE,
                "2026-11-01T00:00:00Z",
            )
        )
        stage.data.alert_prefs.put(AlertPrefs(uid, f"{uid}@example.com", frozenset(kinds)))
    StaffAlerts().handle(stage.system, event, stage.c)
    (mail,) = stage.emails("u_desk@example.com")
    assert mail.subject.startswith("Overbooking: a partner's guest has no room")
    assert stage.emails("u_sales@example.com") == []
    assert stage.emails(stage.tenant.owner_email) == []  # someone chose it: not the owner too


def test_an_overbooking_nobody_chose_goes_to_the_owner_address_once():
    """An overbooked guest is coming with no room held: never silently dropped."""
    from chalicelib.booking.services.booking import order_facts
    from chalicelib.kernel.domain.inbound_events import OrderOverbooked

    stage = Stage()
    order = stage.book(customer=ADA)
    stage.drain()
    event = OrderOverbooked(
        **order_facts(stage.ctx, order), connection_id="chn_bdc", reference="BDC-1"
    )
    StaffAlerts().handle(stage.system, event, stage.c)
    StaffAlerts().handle(stage.system, event, stage.c)  # the event delivered again
    (mail,) = stage.emails(stage.tenant.owner_email)
    assert mail.subject.startswith("Overbooking: a partner's guest has no room")
    assert "Nobody chose this alert" in mail.text


def test_an_overbooked_stay_is_said_by_its_nights_and_an_appointment_by_its_time():
    """A nightly stay starts at midnight: the alert said "Wednesday 24 December 2026, 00:00";
    it says the date and the nights, as the customer's messages do (probe3 defect 9)."""
    from chalicelib.booking.services.booking import order_facts
    from chalicelib.kernel.domain.inbound_events import OrderOverbooked
    from tests.builders import Shop, haircut, room_type, stay_offering, stylist

    stage = Stage(Shop().add(room_type(), stay_offering(), stylist("res_a", "Alex"), haircut()))
    for order in (stage.book_stay(), stage.book(customer=ADA)):
        stage.drain()
        event = OrderOverbooked(
            **order_facts(stage.ctx, order), connection_id="chn_bdc", reference=order.id
        )
        StaffAlerts().handle(stage.system, event, stage.c)
    stay, cut = stage.emails(stage.tenant.owner_email)
    assert stay.subject.endswith("2 nights") and "00:00" not in stay.subject, stay.subject
    assert "10:00" in cut.subject and "night" not in cut.subject, cut.subject


def test_an_alert_read_after_a_later_change_says_the_start_its_event_left_not_the_new_nights():
    """Probe4 defect 10: the feed's `booked` alert of a stay booked for 2 nights read "1
    nights" after the stay was shortened; it now says the change's own start, and the
    nights only while the order is as the change left it."""
    from dataclasses import replace

    from chalicelib.booking.services.booking import order_facts
    from chalicelib.kernel.domain.events import OrderConfirmed
    from chalicelib.notifications.services.staff_alerts import alert_of
    from tests.builders import Shop, room_type, stay_offering

    stage = Stage(Shop().add(room_type(), stay_offering()))
    order = stage.book_stay()
    event = OrderConfirmed(**order_facts(stage.ctx, order), previous_status="held")
    as_left = event.data()
    now = alert_of(event.id, AlertKind.BOOKED, event.at, order, stage.tenant, as_left)
    assert now.when.endswith("2 nights"), now.when
    shorter = replace(order.lines[0], nights=1)
    changed = replace(order, lines=(shorter,), version=order.version + 1)
    later = alert_of(event.id, AlertKind.BOOKED, event.at, changed, stage.tenant, as_left)
    assert "night" not in later.when and later.when == now.when.rsplit(", ", 1)[0]
