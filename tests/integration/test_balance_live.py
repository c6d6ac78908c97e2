"""The balance after a deposit end to end over the real adapters: DynamoDB Local, moto's SQS,
SES and EventBridge Scheduler (fired by the local worker loop's one-time schedules, as on AWS),
and Stripe's SDK against localstripe behind the tests' Connect stand-in. The card kept at
booking declines when the balance is charged; the customer is e-mailed, a retry is scheduled,
the customer pays on the manage page with another card, and the retry then takes nothing."""

from __future__ import annotations

import calendar
import json
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chalicelib import bootstrap
from chalicelib.queues import EVENTS, MESSAGE_EVENTS, REMINDERS
from local.schedules import OneTimeSchedules, at_instant
from tests.integration.support import ahead
from tests.integration.test_events_live import emails_to, loop_for, queue_depth, run_loop
from tests.integration.test_payments_live import (  # noqa: F401 - its fixtures too
    call,
    customer_pays,
    intent_event,
    order_of,
    paying,
    plans,
    settle,
    shop,
    webhook,
)
from tests.stripe_events import event

pytestmark = pytest.mark.xdist_group("localstripe")

DECLINES = "4000000000000341"  # localstripe: a SetupIntent keeps it, every charge declines
BALANCE = {"kind": "none", "balance_due_days_before": 7, "if_unpaid": "leave"}
ZONE = ZoneInfo("Europe/Berlin")  # the sign-up's (tests/integration/conftest.py)


def at_nine(day: date) -> str:
    """The one-time schedule of a collection on `day`: 09:00 in Berlin, written in UTC (08:00
    in winter, 07:00 in summer), worked out here apart from the code under test."""
    return f"at({datetime.combine(day, time(9), ZONE).astimezone(UTC):%Y-%m-%dT%H:%M:%S})"


def next_31_january(today: date) -> date:
    """The next 31 January after `today`: a month's end followed by a shorter month (28 or 29
    February) and then by the change to summer time (the last Sunday of March)."""
    this_year = date(today.year, 1, 31)
    return this_year if today < this_year else date(today.year + 1, 1, 31)


def balance_offering(live, tenant: dict[str, Any]) -> str:
    rooms = call(live, "GET", "/v1/resources", auth=tenant["secret_key"]).data["data"]
    r = call(
        live,
        "POST",
        "/v1/offerings",
        auth=tenant["secret_key"],
        body={
            "name": "Stay, balance a week ahead",
            "kind": "nightly",
            "requirements": [{"resource_id": rooms[0]["id"]}],
            "pricing": {"amount": 12000, "basis": "night", "tax_bp": 700},
            "deposit": BALANCE,
        },
    )
    assert r.status_code == 201, r.body
    return str(r.data["id"])


def money_schedules(live, tenant_id: str) -> list[dict[str, Any]]:
    scheduler = live.stack.client("scheduler")
    group = live.stack.env["RESERVOIR_SCHEDULE_GROUP"]
    found = [
        scheduler.get_schedule(Name=s["Name"], GroupName=group)
        for s in scheduler.list_schedules(GroupName=group)["Schedules"]
    ]
    out = []
    for s in found:
        body = json.loads(s["Target"]["Input"])
        if body["tenant_id"] == tenant_id and body.get("kind") == "money_due":
            out.append({**s, "body": body})
    return sorted(out, key=lambda s: s["body"]["try"])


def fire_at(live, instant: datetime) -> int:
    scheduler, sqs = live.stack.client("scheduler"), live.stack.client("sqs")
    group = live.stack.env["RESERVOIR_SCHEDULE_GROUP"]
    moment = instant.timestamp() + 30
    return OneTimeSchedules(scheduler, sqs, group=group, clock=lambda: moment).fire_due()


def drain(live, loop) -> None:
    for name in (EVENTS.name, MESSAGE_EVENTS.name, REMINDERS.name):
        run_loop(loop, lambda name=name: queue_depth(live, name) == 0)


def test_the_balance_declined_on_the_saved_card_then_paid_by_the_link(paying):  # noqa: F811
    tenant = shop(paying, "balance")
    offering = balance_offering(paying, tenant)
    key = tenant["secret_key"]
    site = f"https://{tenant['slug']}.example"
    page = {"widget_origins": [site], "booking_page": site + "/book"}
    assert call(paying, "PATCH", "/v1/tenant", auth=key, body=page).status_code == 200
    email = f"ada@{tenant['slug']}.example"
    check_in = ahead()  # the real clock: the balance is scheduled, not already due
    body = {
        "customer": {"name": "Ada", "email": email},
        "lines": [{"offering_id": offering, "check_in": check_in.isoformat(), "nights": 2}],
    }
    held = call(paying, "POST", "/v1/orders", auth=key, body=body)
    assert held.status_code == 201, held.body
    order = held.data
    # Nothing is due now, but the card is kept for the balance: a SetupIntent.
    setup = call(paying, "POST", f"/v1/orders/{order['id']}/payment", auth=key).data
    assert setup["kind"] == "card_on_file" and setup["payment_id"].startswith("seti_")
    assert customer_pays(paying.localstripe, setup["payment_id"], DECLINES) == "succeeded"
    evt = event(
        "setup_intent.succeeded",
        setup["payment_id"],
        event_id="evt_si_" + setup["payment_id"],
        account=tenant["account"],
    )
    webhook(paying, evt)
    settle(paying)
    assert order_of(paying, tenant, order["id"])["status"] == "confirmed"

    loop = loop_for(paying, tenant)
    drain(paying, loop)
    [first] = money_schedules(paying, tenant["tenant_id"])
    # 09:00 in Berlin a week before the stay (written in UTC: 08:00 in CET, 07:00 in CEST).
    assert first["ScheduleExpression"] == at_nine(check_in - timedelta(days=7))
    assert first["Target"]["Arn"].endswith(REMINDERS.name)

    due = at_instant(first["ScheduleExpression"])
    assert due is not None and fire_at(paying, due) >= 1
    drain(paying, loop)
    money = call(paying, "GET", f"/v1/orders/{order['id']}/payments", auth=key).data
    tried = money["payments"][-1]
    assert tried["kind"] == "balance" and tried["error"] == "card_declined"
    assert tried["received"] == 0 and money["balance"] == 24000
    told = [e for e in emails_to(paying, email) if "Balance of" in e.subject]
    assert len(told) == 1 and "declined" in told[0].text
    link = re.search(r"#reservoir_order=[^&\s]+&reservoir_token=([^&\s]+)", told[0].text)
    assert link is not None
    [retry] = money_schedules(paying, tenant["tenant_id"])
    assert retry["body"]["try"] == 2  # the next day, 09:00 in Berlin again
    assert retry["ScheduleExpression"] == at_nine(check_in - timedelta(days=6))

    # The customer opens the link and pays the balance with another card.
    manage = {"X-Manage-Token": link.group(1)}
    path = f"/v1/public/orders/{order['id']}/balance"
    owed = call(paying, "GET", path, auth=tenant["publishable_key"], headers=manage)
    assert owed.status_code == 200, owed.body
    assert owed.data["owed"] == 24000
    pay = call(paying, "POST", path, auth=tenant["publishable_key"], headers=manage)
    assert pay.status_code == 200, pay.body
    assert customer_pays(paying.localstripe, pay.data["payment_id"], "4242424242424242") == (
        "succeeded"
    )
    webhook(paying, intent_event(tenant, "succeeded", pay.data["payment_id"]))
    settle(paying)
    assert order_of(paying, tenant, order["id"])["payment_status"] == "paid"

    # The retry comes and finds nothing owed: no second charge.
    retry_at = at_instant(retry["ScheduleExpression"])
    assert retry_at is not None and fire_at(paying, retry_at) >= 1
    drain(paying, loop)
    money = call(paying, "GET", f"/v1/orders/{order['id']}/payments", auth=key).data
    assert money["balance"] == 0
    assert [p["kind"] for p in money["payments"]].count("balance") == 2
    assert money_schedules(paying, tenant["tenant_id"]) == []


def test_instalments_booked_on_31_january_are_scheduled_across_the_months_end_and_dst(
    paying,  # noqa: F811
):
    """Three instalments a month apart, booked on the next 31 January in Berlin (the booking's
    clock is set; the worker loop runs on the real one, so the dues are ahead of it): the end
    of February (28 or 29) at 09:00 CET (08:00 UTC), 31 March at 09:00 CEST (07:00 UTC: the
    clocks went forward on March's last Sunday); confirmed by staff (no card kept), the first
    due sends the customer its link."""
    from chalicelib.booking.domain.orders import Channel, Customer
    from chalicelib.booking.services import orders as order_service
    from chalicelib.booking.services.booking import HoldInput, hold_order
    from chalicelib.booking.services.line_planning import LineInput
    from chalicelib.kernel.services.context import system_context

    tenant = shop(paying, "plans")
    key = tenant["secret_key"]
    rooms = call(paying, "GET", "/v1/resources", auth=key).data["data"]
    offering = call(
        paying,
        "POST",
        "/v1/offerings",
        auth=key,
        body={
            "name": "Long stay in three payments",
            "kind": "nightly",
            "requirements": [{"resource_id": rooms[0]["id"]}],
            "pricing": {"amount": 10000, "basis": "night"},
            "deposit": {"kind": "none", "instalments": 3, "instalment_months": 1},
        },
    )
    assert offering.status_code == 201, offering.body
    c = bootstrap.container()
    record = c.platform.get_tenant(tenant["tenant_id"])
    booked_on = next_31_january(date.today())
    year = booked_on.year
    february_end = date(year, 2, calendar.monthrange(year, 2)[1])
    booked = system_context(
        record,
        data_factory=c.tenant_data,
        now=lambda: f"{booked_on}T11:00:00.000000Z",
        new_id=c.new_id,
    )
    email = f"bo@{tenant['slug']}.example"
    line = LineInput(offering.data["id"], check_in=date(year, 6, 10), nights=1)
    hold = HoldInput(Customer("Bo", email), [line], Channel.API)
    order = hold_order(booked, c.catalog_cache, hold, order_id=f"ord_{tenant['slug']}")
    order_service.confirm(booked, order.id)
    loop = loop_for(paying, tenant)
    drain(paying, loop)

    got = c.tenant_data.for_tenant(record).orders.get(order.id)
    assert got is not None
    assert [(i.due, i.amount) for i in got.plan] == [
        (f"{year}-01-31", 3334),
        (february_end.isoformat(), 3333),
        (f"{year}-03-31", 3333),
    ]
    schedules = money_schedules(paying, tenant["tenant_id"])
    assert sorted(s["ScheduleExpression"] for s in schedules) == [
        f"at({february_end}T08:00:00)",
        f"at({year}-03-31T07:00:00)",
    ]
    first = min(schedules, key=lambda s: s["ScheduleExpression"])
    due = at_instant(first["ScheduleExpression"])
    assert due is not None and fire_at(paying, due) >= 1
    drain(paying, loop)
    told = [e for e in emails_to(paying, email) if "Instalment of" in e.subject]
    assert len(told) == 1 and "EUR 66.67" in told[0].subject  # the first two, unpaid
    retries = [s for s in money_schedules(paying, tenant["tenant_id"]) if s["body"]["try"] == 2]
    assert [s["ScheduleExpression"] for s in retries] == [f"at({year}-03-01T08:00:00)"]
