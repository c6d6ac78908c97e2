"""Staff alerts: the owner asks for every new booking and cancellation, a stylist for those of
their own chair; a booking, a change and a cancellation reach each of them as they chose, by
e-mail once (the messages group's consumer) and in the console's feed; nobody is told of their
own change, and only managers choose for someone else."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from chalicelib.queues import MESSAGE_EVENTS
from tests.api.support import assert_error, forbid_server_errors, invite, owner_id
from tests.api.test_notifications_api import invoke
from tests.builders import haircut, stylist


@pytest.fixture
def salon(api):
    forbid_server_errors(api)
    tenant = api.signup("alerts")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(stylist("res_alex", "Alex"), expected_rev=None)
    data.catalog.put_resource(stylist("res_sam", "Sam"), expected_rev=None)
    data.catalog.put_offering(haircut(), expected_rev=None)
    return tenant


def choose(api, salon, user_id, body, auth=None):
    return api.call(
        "PUT", f"/v1/staff/{user_id}/alerts", auth=auth or salon["secret_key"], body=body
    )


def book(api, salon, who, stylist_id, auth=None):
    body = {
        "customer": {"name": who, "email": f"{who.lower()}@example.com"},
        "lines": [
            {
                "offering_id": "off_cut",
                "start": "2026-12-01T10:00",
                "resource_ids": {"0": stylist_id},
            }
        ],
    }
    held = api.call("POST", "/v1/orders", auth=auth or salon["secret_key"], body=body)
    assert held.status_code == 201, held.body
    confirmed = api.call(
        "POST", f"/v1/orders/{held.data['id']}/confirm", auth=auth or salon["secret_key"]
    )
    assert confirmed.status_code == 200, confirmed.body
    return confirmed.data


def deliver(api):
    bodies = api.container.relayed_events(MESSAGE_EVENTS.name)
    assert invoke(api, "dispatch_message_events", MESSAGE_EVENTS.name, bodies) == {
        "batchItemFailures": []
    }


def alerts_to(api, address):
    return [m.subject for m in api.container.mailer.sent if m.to == address]


def test_each_staff_member_is_told_what_they_chose_once(api, salon):
    owner = owner_id(api, salon)
    owner_email = salon["owner_email"]
    everything = {"kinds": ["booked", "cancelled"], "scope": "all"}
    assert choose(api, salon, owner, everything, auth=api.owner_token(salon)).status_code == 200
    alex, alex_token = invite(api, salon, "staff", email="alex@alerts.example")
    mine = {
        "kinds": ["booked", "changed", "cancelled"],
        "scope": "mine",
        "resource_ids": ["res_alex"],
    }
    r = choose(api, salon, alex["id"], mine, auth=alex_token)
    assert r.status_code == 200 and r.data["chosen"] is True, r.body
    api.container.relayed_events(MESSAGE_EVENTS.name)

    on_alex = book(api, salon, "Ada", "res_alex")
    book(api, salon, "Bo", "res_sam")
    deliver(api)
    assert [s.split(":")[0] for s in alerts_to(api, owner_email)] == ["New booking"] * 2
    assert alerts_to(api, "alex@alerts.example") == [alerts_to(api, owner_email)[0]]
    assert "Ada" in alerts_to(api, "alex@alerts.example")[0]

    # The owner cancels Ada's booking: Alex is told, the owner (who did it) is not.
    r = api.call("POST", f"/v1/orders/{on_alex['id']}/cancel", auth=api.owner_token(salon), body={})
    assert r.status_code == 200, r.body
    events = api.container.relayed_events(MESSAGE_EVENTS.name)
    handler = "dispatch_message_events"
    assert invoke(api, handler, MESSAGE_EVENTS.name, events * 2) == {"batchItemFailures": []}
    assert len(alerts_to(api, owner_email)) == 2
    assert [s.split(":")[0] for s in alerts_to(api, "alex@alerts.example")] == [
        "New booking",
        "Booking cancelled",
    ]

    feed = api.call("GET", "/v1/alerts", auth=alex_token)
    assert feed.status_code == 200, feed.body
    assert [(a["kind"], a["customer"]) for a in feed.data["data"]] == [
        ("cancelled", "Ada"),
        ("booked", "Ada"),
    ]
    everyone = api.call("GET", "/v1/alerts", auth=salon["secret_key"]).data["data"]
    assert {a["customer"] for a in everyone} == {"Ada", "Bo"}


def test_a_staff_member_chooses_their_own_alerts_and_managers_anyones(api, salon):
    viewer, viewer_token = invite(api, salon, "viewer")
    staff, staff_token = invite(api, salon, "staff")
    body = {"kinds": ["booked"]}
    assert choose(api, salon, viewer["id"], body, auth=viewer_token).status_code == 200
    assert_error(choose(api, salon, staff["id"], body, auth=viewer_token), 403)
    manager_token = api.staff_token(salon, "manager")
    assert choose(api, salon, staff["id"], body, auth=manager_token).status_code == 200
    r = api.call("GET", f"/v1/staff/{staff['id']}/alerts", auth=staff_token)
    assert r.data["kinds"] == ["booked"] and r.data["chosen"] is True
    untouched = api.call("GET", f"/v1/staff/{owner_id(api, salon)}/alerts", auth=manager_token)
    assert untouched.data["chosen"] is False and untouched.data["kinds"] == []
    assert_error(choose(api, salon, "nobody", body), 404)
    assert_error(choose(api, salon, staff["id"], {"kinds": ["everything"]}), 422)


def test_a_change_of_someones_alerts_is_in_the_audit_trail(api, salon):
    """An outside tester's owner silenced a colleague's cancellation alerts: the trail, which
    records every change, said nothing of it."""
    staff, _ = invite(api, salon, "staff")
    manager_token = api.staff_token(salon, "manager")
    body = {"kinds": ["booked"], "scope": "all"}
    assert choose(api, salon, staff["id"], body, auth=manager_token).status_code == 200
    audit = api.call("GET", "/v1/audit", auth=salon["secret_key"]).data["data"]
    [entry] = [e for e in audit if e["action"] == "staff.alerts_changed"]
    assert entry["target"] == f"user:{staff['id']}"
    assert entry["actor"]["role"] == "manager"
    assert entry["details"]["kinds"] == ["booked"]


def test_the_feed_moves_past_a_busy_days_other_events_with_its_cursor(api, salon):
    from chalicelib.kernel.domain.events import Record

    key = salon["secret_key"]
    assert_error(api.call("GET", "/v1/alerts?after=9", auth=key), 422, "invalid_after")
    first = api.call("GET", "/v1/alerts", auth=key).data
    assert first["data"] == [] and first["more"] is False
    store = api.container.tenant_data.data[salon["tenant_id"]].orders
    at = api.container.clock()
    store.events += [Record(f"noise{n:04d}", "OrderHeld", "ord_x", at, {}) for n in range(450)]
    book(api, salon, "Zed", "res_alex")
    cursor, seen = first["next"], []
    for _ in range(5):  # a console looking again at once while there are more
        page = api.call("GET", f"/v1/alerts?after={quote(cursor)}", auth=key).data
        seen += [a["customer"] for a in page["data"]]
        cursor = page["next"]
        if not page["more"]:
            break
    assert seen == ["Zed"]
    quiet = api.call("GET", f"/v1/alerts?after={quote(cursor)}", auth=key).data
    assert quiet["data"] == [] and quiet["next"] == cursor


def test_a_business_in_a_regional_chinese_locale_gets_its_alerts(api, salon):
    key = salon["secret_key"]
    r = api.call("PATCH", "/v1/tenant", auth=key, body={"locale": "zh-Hans-CN"})
    assert r.status_code == 200, r.body
    owner = owner_id(api, salon)
    choose(api, salon, owner, {"kinds": ["booked"]}, auth=api.owner_token(salon))
    api.container.relayed_events(MESSAGE_EVENTS.name)
    book(api, salon, "Li", "res_alex")
    deliver(api)  # the consumer makes the alert: no failure
    [alert] = api.call("GET", "/v1/alerts", auth=key).data["data"]
    assert "2026年12月1日" in alert["when"]
    for bad in ("2026-11-24T25:00:00.000000Z#x", "2026-13-24T09:00:00.000000Z#x"):
        assert_error(api.call("GET", f"/v1/alerts?after={quote(bad)}", auth=key), 422)
