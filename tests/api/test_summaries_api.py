"""The morning summary through the API: a manager or the owner chooses it (others may not),
each broken rule is refused with its own code, and the scheduled run and the summaries worker
(the very handlers Lambda invokes) e-mail the owner and the recipients yesterday's figures."""

from __future__ import annotations

import pytest

from chalicelib.queues import SUMMARIES
from tests.api.support import assert_error, forbid_server_errors, invite
from tests.api.test_notifications_api import invoke
from tests.fakes import day_figures

PATH = "/v1/reports/summary"


@pytest.fixture
def hotel(api):
    forbid_server_errors(api)
    return api.signup("summary")  # Europe/Berlin; the fake clock: 2026-11-24T09:00Z


def test_until_chosen_the_summary_is_off_at_the_default_hour(api, hotel):
    r = api.call("GET", PATH, auth=api.owner_token(hotel))
    assert r.status_code == 200, r.body
    assert r.data == {
        "enabled": False,
        "recipients": [],
        "hour": 7,
        "owner_email": hotel["owner_email"],
        "zone": "Europe/Berlin",
        "next_at": None,
    }


def test_a_manager_chooses_it_and_it_is_due_at_that_hour_of_the_business_clock(api, hotel):
    _, manager = invite(api, hotel, "manager")
    body = {"enabled": True, "recipients": ["Accounts@Example.com"], "hour": 6}
    r = api.call("PUT", PATH, auth=manager, body=body)
    assert r.status_code == 200, r.body
    # 06:00 in Berlin (CET, UTC+1) is 05:00 UTC; today's has passed at 09:00 UTC.
    assert r.data["next_at"] == "2026-11-25T05:00:00.000000Z"
    assert r.data["recipients"] == ["accounts@example.com"]
    again = api.call("GET", PATH, auth=hotel["secret_key"])
    assert again.status_code == 200 and again.data == r.data
    off = api.call("PUT", PATH, auth=hotel["secret_key"], body={"enabled": False})
    assert off.status_code == 200, off.body
    assert off.data["enabled"] is False and off.data["next_at"] is None
    assert off.data["recipients"] == [] and off.data["hour"] == 7


def test_after_a_move_of_zone_the_next_summary_is_due_at_the_new_zones_hour(api, hotel):
    """A time-zone tester's: after a move from New York to Auckland the next summary was
    still due at 07:00 New York, 01:00 in Auckland."""
    r = api.call("PUT", PATH, auth=hotel["secret_key"], body={"enabled": True, "hour": 7})
    assert r.data["next_at"] == "2026-11-25T06:00:00.000000Z"  # 07:00 in Berlin (UTC+1)
    moved = api.call(
        "PATCH", "/v1/tenant", auth=hotel["secret_key"], body={"timezone": "Pacific/Auckland"}
    )
    assert moved.status_code == 200, moved.body
    now = api.call("GET", PATH, auth=hotel["secret_key"]).data
    # 09:00Z on 24 Nov is 22:00 in Auckland (NZDT, UTC+13): the next 07:00 is the 25th's.
    assert (now["zone"], now["next_at"]) == ("Pacific/Auckland", "2026-11-24T18:00:00.000000Z")
    [due] = api.container.summary_schedules.due("2026-11-24T18:00:00.000000Z", limit=10)
    assert due.due == "2026-11-24T18:00:00.000000Z"  # the run finds it then, not at 06:00Z


@pytest.mark.parametrize("role", ["staff", "viewer"])
def test_staff_and_viewers_may_neither_read_nor_choose_it(api, hotel, role):
    _, token = invite(api, hotel, role)
    assert_error(api.call("GET", PATH, auth=token), 403)
    r = api.call("PUT", PATH, auth=token, body={"enabled": True})
    assert_error(r, 403)
    assert api.container.summary_schedules.items == {}


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"enabled": True, "hour": 24}, "invalid_summary_hour", "hour"),
        ({"enabled": True, "hour": -1}, "invalid_summary_hour", "hour"),
        ({"enabled": True, "recipients": ["a@example.com", "nope"]}, "invalid_recipient", None),
        (
            {"enabled": True, "recipients": [f"p{n}@example.com" for n in range(6)]},
            "too_many_recipients",
            "recipients",
        ),
        ({"enabled": True, "recipients": ["x" * 300 + "@example.com"]}, "invalid_recipient", None),
        ({"enabled": "yes please"}, "validation_failed", None),
        ({"enabled": True, "hour": 7, "minute": 30}, "validation_failed", None),
        ({"hour": 7}, "validation_failed", None),
        ({"enabled": True, "recipients": ["a@example.com"] * 51}, "validation_failed", None),
    ],
)
def test_each_broken_rule_is_refused_with_its_code(api, hotel, body, code, field):
    error = assert_error(api.call("PUT", PATH, auth=hotel["secret_key"], body=body), 422, code)
    if field:
        assert error["details"]["field"] == field
    if code == "invalid_recipient" and "nope" in str(body):
        assert error["details"]["field"] == "recipients.1"
    assert api.container.summary_schedules.items == {}


def test_the_run_and_the_worker_send_yesterdays_figures_once(api, hotel):
    body = {"enabled": True, "recipients": ["accounts@example.com"], "hour": 7}
    chosen = api.call("PUT", PATH, auth=hotel["secret_key"], body=body)
    assert chosen.data["next_at"] == "2026-11-25T06:00:00.000000Z"
    c = api.container
    c.summary_figures.figures[(hotel["tenant_id"], "service", "2026-11-24")] = day_figures(
        bookings=3, money={"EUR": {"gross": 45000, "net": 45000, "adr": 15000, "revpar": 9000}}
    )
    c.clock.advance(21 * 3600)  # 2026-11-25T06:00Z: 07:00 in Berlin
    run = api.client.lambda_.invoke(
        "queue_due_summaries", api.client.events.generate_cw_event("Scheduled Event", "", [], {})
    )
    assert run.payload == {"queued": 1}
    records = c.bus.take(SUMMARIES.name)
    assert records == [{"tenant_id": hotel["tenant_id"], "due": chosen.data["next_at"]}]
    # Delivered twice (SQS delivers at least once): one e-mail each.
    assert invoke(api, "send_summaries", SUMMARIES.name, records * 2) == {"batchItemFailures": []}
    sent = sorted(c.mailer.sent, key=lambda e: e.to)
    assert [e.to for e in sent] == ["accounts@example.com", hotel["owner_email"]]
    assert "Tuesday 24 November 2026" in sent[0].subject
    assert "Bookings: 3" in sent[0].text and "Net EUR 450.00" in sent[0].text
    after = api.call("GET", PATH, auth=hotel["secret_key"])
    assert after.data["next_at"] == "2026-11-26T06:00:00.000000Z"


def test_a_recipient_mail_refuses_is_passed_and_the_others_still_get_theirs(api, hotel):
    """SES refuses an address for good (suppressed): done, not retried; the owner's comes.
    Any other fault of the mailer is retried, as every consumer's is."""
    body = {"enabled": True, "recipients": ["gone@example.com"], "hour": 7}
    api.call("PUT", PATH, auth=hotel["secret_key"], body=body)
    c = api.container
    c.mailer.refuse.add("gone@example.com")
    c.clock.advance(21 * 3600)
    api.client.lambda_.invoke(
        "queue_due_summaries", api.client.events.generate_cw_event("Scheduled Event", "", [], {})
    )
    records = c.bus.take(SUMMARIES.name)
    assert invoke(api, "send_summaries", SUMMARIES.name, records) == {"batchItemFailures": []}
    assert [e.to for e in c.mailer.sent] == [hotel["owner_email"]]
