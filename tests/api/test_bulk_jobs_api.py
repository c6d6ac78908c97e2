"""Bulk jobs: one action on orders chosen by ids, a search, a resource's day or a session,
worked through by the bulk worker (its Lambda handler, from its queue): each order's refusal
is its own result, a retried job does nothing twice, and a departure called off for weather
cancels every booking on it by the business, each customer told once."""

from __future__ import annotations

import json

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from chalicelib.queues import BULK_JOBS, MESSAGE_EVENTS
from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_notifications_api import invoke
from tests.builders import day_tour, departure, room_type, stay_offering


@pytest.fixture
def shop(api):
    forbid_server_errors(api)
    tenant = api.signup("bulk")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=10), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    data.catalog.put_resource(departure(), expected_rev=None)
    data.catalog.put_offering(day_tour(), expected_rev=None)
    return tenant


def book(api, shop, who, line, confirm=True):
    body = {"customer": {"name": who, "email": f"{who.lower()}@example.com"}, "lines": [line]}
    r = api.call("POST", "/v1/orders", auth=shop["secret_key"], body=body)
    assert r.status_code == 201, r.body
    if confirm:
        r = api.call("POST", f"/v1/orders/{r.data['id']}/confirm", auth=shop["secret_key"])
        assert r.status_code == 200, r.body
    return r.data


def tonight(who, api, shop, confirm=True):
    line = {"offering_id": "off_stay", "check_in": "2026-11-24", "nights": 1}
    return book(api, shop, who, line, confirm)


def start(api, shop, body, auth=None):
    return api.call("POST", "/v1/bulk-jobs", auth=auth or shop["secret_key"], body=body)


def work(api):
    """The bulk worker's Lambda on every message its queue holds (a retry: the same again)."""
    bodies = api.container.bus.take(BULK_JOBS.name)
    if bodies:
        assert invoke(api, "run_bulk_jobs", BULK_JOBS.name, bodies) == {"batchItemFailures": []}
    return bodies


def job(api, shop, job_id):
    r = api.call("GET", f"/v1/bulk-jobs/{job_id}", auth=shop["secret_key"])
    assert r.status_code == 200, r.body
    return r.data


def version(api, shop, order_id):
    return api.call("GET", f"/v1/orders/{order_id}", auth=shop["secret_key"]).data


def test_a_bulk_check_in_does_what_it_may_and_says_what_it_may_not(api, shop):
    ready = [tonight(n, api, shop)["id"] for n in ("Ada", "Bo", "Cy")]
    held = tonight("Di", api, shop, confirm=False)
    gone = tonight("Ed", api, shop)
    api.call("POST", f"/v1/orders/{gone['id']}/cancel", auth=shop["secret_key"], body={})
    before = {o: version(api, shop, o)["version"] for o in (held["id"], gone["id"])}
    r = start(api, shop, {"action": "check_in", "order_ids": [*ready, held["id"], gone["id"]]})
    assert r.status_code == 202 and r.data["status"] == "queued", r.body
    assert r.headers["Location"] == f"/v1/bulk-jobs/{r.data['id']}"
    messages = work(api)
    done = job(api, shop, r.data["id"])
    assert (done["status"], done["total"], done["done"], done["failed"]) == ("done", 5, 3, 2)
    outcomes = {x["order_id"]: (x["outcome"], x["code"]) for x in done["results"]}
    assert {outcomes[o] for o in ready} == {("done", "")}
    assert outcomes[held["id"]] == ("failed", "illegal_transition")
    assert outcomes[gone["id"]] == ("failed", "illegal_transition")
    for order_id, seen in before.items():  # a refused order is left as it was
        assert version(api, shop, order_id)["version"] == seen
    assert {version(api, shop, o)["status"] for o in ready} == {"checked_in"}
    # The same message again (SQS delivers at least once): nothing is done twice.
    api.container.relayed_events()
    api.container.bus.send(BULK_JOBS.name, messages[0])
    work(api)
    assert api.container.relayed_events() == []
    assert job(api, shop, r.data["id"])["results"] == done["results"]


def test_a_departure_called_off_for_weather_cancels_each_booking_by_the_business(api, shop):
    tour = {"offering_id": "off_tour", "start": "2026-11-26T08:00", "party": 2}
    riders = [book(api, shop, n, tour)["id"] for n in ("Li", "Mo", "Ng")]
    other_day = book(api, shop, "Ola", {**tour, "start": "2026-11-27T08:00"})["id"]
    body = {
        "action": "cancel",
        "resource_id": "res_wall",
        "session": "2026-11-26T08:00",
        "reason": "Storm warning: the wall is closed",
    }
    staff = api.staff_token(shop, "staff")
    assert_error(start(api, shop, body, auth=staff), 403, "forbidden_role")
    assert_error(start(api, shop, {**body, "reason": ""}), 422, "reason_required")
    manager = api.staff_token(shop, "manager")
    r = start(api, shop, body, auth=manager)
    assert r.status_code == 202 and r.data["total"] == 3 and r.data["chosen_by"] == "session"
    api.container.relayed_events()
    work(api)
    assert job(api, shop, r.data["id"])["done"] == 3
    cancelled = [version(api, shop, o) for o in riders]
    assert {(o["status"], o["cancellation"]["cancelled_by"]) for o in cancelled} == {
        ("cancelled", "business")
    }
    assert {o["cancellation"]["fee"] for o in cancelled} == {0}
    assert cancelled[0]["cancellation"]["by"].startswith("user:")  # as the manager who asked
    assert version(api, shop, other_day)["status"] == "confirmed"
    names = [e["event"]["name"] for e in api.container.relayed_events()]
    assert names.count("OrderCancelled") == 3
    day = api.call(
        "GET", "/v1/resources/res_wall/day?date=2026-11-26", auth=shop["secret_key"]
    ).data
    assert [s["booked"] for s in day["sessions"]] == [0]


def move(api, shop, order_id, version_read, line):
    """Move the order's one line: a tour to the next day's 08:00, a stay as `line` says."""
    to = {**line, "start": "2026-11-27T08:00"} if "start" in line else line
    r = api.call(
        "POST",
        f"/v1/orders/{order_id}/reschedule",
        auth=shop["secret_key"],
        headers={"If-Match": f'"{version_read}"'},
        body={"lines": [to]},
    )
    assert r.status_code == 200, r.body


def test_a_booking_moved_off_the_departure_before_the_worker_reaches_it_is_left_alone(api, shop):
    """A tester moved one of 25 riders to the next day's departure while the job ran: the job
    cancelled the booking there, a trip nobody called off."""
    tour = {"offering_id": "off_tour", "start": "2026-11-26T08:00", "party": 2}
    riders = [book(api, shop, n, tour)["id"] for n in ("Li", "Mo")]
    stays = [tonight(n, api, shop)["id"] for n in ("Ada", "Bo")]
    off = {"action": "cancel", "resource_id": "res_wall", "session": "2026-11-26T08:00"}
    r = start(api, shop, {**off, "reason": "Storm warning"})
    night = start(
        api, shop, {"action": "check_in", "resource_id": "res_double", "date": "2026-11-24"}
    )
    assert r.status_code == 202 and r.data["total"] == 2, r.body
    assert night.status_code == 202 and night.data["total"] == 2, night.body
    moved = riders[1]
    move(api, shop, moved, version(api, shop, moved)["version"], tour)
    stay = {"offering_id": "off_stay", "check_in": "2026-11-25", "nights": 1}
    move(api, shop, stays[1], version(api, shop, stays[1])["version"], stay)
    work(api)
    for made, (kept, still) in ((r, riders), (night, stays)):
        done = job(api, shop, made.data["id"])
        outcomes = {x["order_id"]: (x["outcome"], x["code"]) for x in done["results"]}
        assert outcomes[kept][0] == "done"
        assert outcomes[still] == ("failed", "order_moved")
    assert version(api, shop, riders[0])["status"] == "cancelled"
    assert version(api, shop, moved)["status"] == "confirmed"
    assert version(api, shop, stays[0])["status"] == "checked_in"
    assert version(api, shop, stays[1])["status"] == "confirmed"


def test_a_booking_moved_while_the_worker_looks_at_it_is_left_alone(api, shop, monkeypatch):
    """The move lands after the worker checked the order was on the departure and before
    it cancelled: the cancellation read the order again without the check, and the rider's
    trip on the next day's departure was cancelled."""
    from chalicelib.booking.services import bulk_jobs

    tour = {"offering_id": "off_tour", "start": "2026-11-26T08:00", "party": 2}
    [rider] = [book(api, shop, "Li", tour)["id"]]
    off = {"action": "cancel", "resource_id": "res_wall", "session": "2026-11-26T08:00"}
    r = start(api, shop, {**off, "reason": "Storm warning"})
    assert r.status_code == 202, r.body
    real, looked = bulk_jobs.still_on, []

    def still_on(job, order):
        on = real(job, order)
        if not looked:  # the customer moves in that moment, from the manage page
            looked.append(order.id)
            move(api, shop, rider, order.version, tour)
        return on

    monkeypatch.setattr(bulk_jobs, "still_on", still_on)
    work(api)
    [result] = job(api, shop, r.data["id"])["results"]
    assert (result["outcome"], result["code"]) == ("failed", "order_moved")
    after = version(api, shop, rider)
    assert after["status"] == "confirmed" and after["lines"][0]["start"].startswith("2026-11-27")


def test_a_message_to_a_search_reaches_each_customer_once(api, shop):
    for who in ("Ada", "Bo"):
        tonight(who, api, shop)
    tonight("Cy", api, shop, confirm=False)  # held: not in the search
    body = {
        "action": "message",
        "search": {"date": "2026-11-24", "status": "confirmed"},
        "subject": "Pool closed tomorrow",
        "body": "Sorry: the pool is closed for repairs tomorrow.",
    }
    r = start(api, shop, body)
    assert r.status_code == 202 and r.data["total"] == 2, r.body
    api.container.relayed_events(MESSAGE_EVENTS.name)
    messages = work(api)
    api.container.bus.send(BULK_JOBS.name, messages[0])  # delivered twice
    work(api)
    events = api.container.relayed_events(MESSAGE_EVENTS.name)
    assert [e["event"]["name"] for e in events] == ["OrderMessaged", "OrderMessaged"]
    handler = "dispatch_message_events"
    assert invoke(api, handler, MESSAGE_EVENTS.name, events * 2) == {"batchItemFailures": []}
    mails = [m for m in api.container.mailer.sent if m.subject == "Pool closed tomorrow"]
    assert sorted(m.to for m in mails) == ["ada@example.com", "bo@example.com"]
    assert "closed for repairs" in mails[0].text
    assert job(api, shop, r.data["id"])["done"] == 2
    assert_error(start(api, shop, {**body, "body": ""}), 422, "message_required")


def test_a_job_is_chosen_by_something_and_stays_within_bounds(api, shop):
    assert_error(start(api, shop, {"action": "complete"}), 422, "no_choice")
    none = {"action": "complete", "search": {"date": "2026-12-31"}}
    assert_error(start(api, shop, none), 422, "no_orders")
    many = {"action": "complete", "order_ids": [f"ord_{n}" for n in range(1001)]}
    assert_error(start(api, shop, many), 422)
    viewer = api.staff_token(shop, "viewer")
    assert_error(start(api, shop, {"action": "complete", "order_ids": ["x"]}, auth=viewer), 403)
    assert_error(api.call("GET", "/v1/bulk-jobs/job_nope", auth=shop["secret_key"]), 404)
    other = api.signup("bulk-other")
    mine = start(api, shop, {"action": "complete", "order_ids": ["ord_missing"]}).data["id"]
    assert_error(api.call("GET", f"/v1/bulk-jobs/{mine}", auth=other["secret_key"]), 404)
    work(api)
    [result] = job(api, shop, mine)["results"]
    assert (result["outcome"], result["code"]) == ("failed", "order_not_found")


def test_a_long_job_sends_itself_the_rest(api, shop):
    from chalicelib.booking.services.bulk_jobs import run_job

    ids = [tonight(n, api, shop)["id"] for n in ("Ada", "Bo", "Cy")]
    job_id = start(api, shop, {"action": "check_in", "order_ids": ids}).data["id"]
    api.container.bus.take(BULK_JOBS.name)
    tenant = api.container.platform.get_tenant(shop["tenant_id"])
    from chalicelib.kernel.services.context import system_context

    ctx = system_context(
        tenant,
        data_factory=api.container.tenant_data,
        now=api.container.clock,
        new_id=api.container.new_id,
    )
    ticks = iter([0.0, 0.0, 0.0, 10.0, 10.0, 10.0, 10.0, 10.0])
    outcome = run_job(
        ctx,
        api.container.catalog_cache,
        job_id,
        bus=api.container.bus,
        budget_seconds=5,
        clock=lambda: next(ticks),
    )
    assert outcome == "continued" and job(api, shop, job_id)["status"] == "running"
    assert [json.loads(json.dumps(m))["job_id"] for m in work(api)] == [job_id]
    assert job(api, shop, job_id)["done"] == 3 and job(api, shop, job_id)["status"] == "done"


def test_a_job_nobody_works_on_is_sent_again_once_by_its_readers(api, shop):
    ids = [tonight("Ada", api, shop)["id"]]
    job_id = start(api, shop, {"action": "check_in", "order_ids": ids}).data["id"]
    api.container.bus.take(BULK_JOBS.name)  # the message is lost
    for _ in range(3):
        job(api, shop, job_id)
    assert api.container.bus.take(BULK_JOBS.name) == []  # not two minutes yet
    api.container.clock.advance(121)
    for _ in range(5):  # a console polling every second
        job(api, shop, job_id)
    assert len(work(api)) == 1
    assert job(api, shop, job_id)["status"] == "done"


def test_one_worker_at_a_time_and_an_order_that_breaks_stops_nothing(api, shop, monkeypatch):
    from chalicelib.booking.services import orders as order_service
    from chalicelib.kernel.domain.errors import TransientFailure

    ids = [tonight(n, api, shop)["id"] for n in ("Ada", "Bo", "Cy")]
    job_id = start(api, shop, {"action": "check_in", "order_ids": ids}).data["id"]
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(shop["tenant_id"])
    )
    now = api.container.clock()
    assert data.bulk_jobs.claim(job_id, now=now, until="9999")  # another worker has it
    work(api)
    assert job(api, shop, job_id)["status"] == "queued"  # this delivery left it alone
    data.bulk_jobs.let_go(job_id, now=now)
    real = order_service.check_in
    tries = {"Bo": 0}

    def flaky(ctx, order_id, **kw):
        if order_id == ids[1]:
            tries["Bo"] += 1
            raise TransientFailure("Throttled.")
        if order_id == ids[2]:
            raise RuntimeError("a bug")
        return real(ctx, order_id, **kw)

    monkeypatch.setattr(order_service, "check_in", flaky)
    monkeypatch.setattr("time.sleep", lambda s: None)
    api.container.bus.send(BULK_JOBS.name, {"tenant_id": shop["tenant_id"], "job_id": job_id})
    work(api)
    done = job(api, shop, job_id)
    outcomes = {r["order_id"]: (r["outcome"], r["code"]) for r in done["results"]}
    assert outcomes == {
        ids[0]: ("done", ""),
        ids[1]: ("failed", "temporarily_unavailable"),
        ids[2]: ("failed", "internal_error"),
    }
    assert tries["Bo"] == 3 and done["status"] == "done"


def test_a_job_is_chosen_one_way_and_a_retried_request_is_the_same_job(api, shop):
    ids = [tonight("Ada", api, shop)["id"]]
    both = {"action": "complete", "order_ids": ids, "search": {"date": "2026-11-24"}}
    assert_error(start(api, shop, both), 422, "invalid_choice")
    day_and_session = {
        "action": "complete",
        "resource_id": "res_wall",
        "date": "2026-11-26",
        "session": "2026-11-26T08:00",
    }
    assert_error(start(api, shop, day_and_session), 422, "invalid_choice")
    paged = {"action": "complete", "search": {"date": "2026-11-24", "limit": 1}}
    assert_error(start(api, shop, paged), 422, "invalid_filter")
    body = {"action": "check_in", "order_ids": ids}
    key = {"Idempotency-Key": "desk-7f3a"}
    first = api.call("POST", "/v1/bulk-jobs", auth=shop["secret_key"], body=body, headers=key)
    again = api.call("POST", "/v1/bulk-jobs", auth=shop["secret_key"], body=body, headers=key)
    assert first.data["id"] == again.data["id"]


def die_before_the_first_result(api, shop, monkeypatch):
    """The worker's process dies once, after an order's work and before its result."""
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(shop["tenant_id"])
    )
    real = type(data.bulk_jobs).put_result
    crashes = {"n": 0}

    def crash_once(self, job_id, result):
        if crashes["n"] == 0:
            crashes["n"] += 1
            raise RuntimeError("the process died")
        return real(self, job_id, result)

    monkeypatch.setattr(type(data.bulk_jobs), "put_result", crash_once)


def test_a_message_sent_before_a_crash_is_counted_as_this_jobs(api, shop, monkeypatch):
    tonight("Ada", api, shop)
    body = {"action": "message", "search": {"date": "2026-11-24"}, "subject": "S", "body": "B"}
    job_id = start(api, shop, body).data["id"]
    messages = api.container.bus.take(BULK_JOBS.name)
    die_before_the_first_result(api, shop, monkeypatch)
    with pytest.raises(BatchProcessingError):  # dies after the message, before its result
        invoke(api, "run_bulk_jobs", BULK_JOBS.name, messages)
    api.container.bus.send(BULK_JOBS.name, messages[0])  # SQS delivers it again
    work(api)
    [result] = job(api, shop, job_id)["results"]
    assert result["outcome"] == "done"
    events = api.container.relayed_events(MESSAGE_EVENTS.name)
    assert [e["event"]["name"] for e in events].count("OrderMessaged") == 1


def test_a_check_in_done_before_a_crash_is_counted_as_this_jobs(api, shop, monkeypatch):
    ids = [tonight("Ada", api, shop)["id"]]
    job_id = start(api, shop, {"action": "check_in", "order_ids": ids}).data["id"]
    messages = api.container.bus.take(BULK_JOBS.name)
    die_before_the_first_result(api, shop, monkeypatch)
    with pytest.raises(BatchProcessingError):  # checked in, then died before its result
        invoke(api, "run_bulk_jobs", BULK_JOBS.name, messages)
    api.container.bus.send(BULK_JOBS.name, messages[0])
    work(api)
    [result] = job(api, shop, job_id)["results"]
    assert result["outcome"] == "done"  # this job did it: not "unchanged"


def test_a_bulk_check_out_refuses_who_still_owes_unless_told_to_leave_it_open(api, shop):
    """The end of the day at a pay-at-the-venue business: a plain bulk check-out does the
    paid orders and names the owing ones; with `leave_balance_open` it checks them out too."""
    paid, owing = tonight("Pia", api, shop), tonight("Oz", api, shop)
    for order in (paid, owing):
        checked = api.call("POST", f"/v1/orders/{order['id']}/check-in", auth=shop["secret_key"])
        assert checked.status_code == 200, checked.body
    cash = {"amount": paid["totals"]["total"], "method": "cash"}
    api.call("POST", f"/v1/orders/{paid['id']}/payments", auth=shop["secret_key"], body=cash)

    first = start(api, shop, {"action": "complete", "order_ids": [paid["id"], owing["id"]]})
    work(api)
    outcomes = {
        x["order_id"]: (x["outcome"], x["code"])
        for x in job(api, shop, first.data["id"])["results"]
    }
    assert outcomes == {paid["id"]: ("done", ""), owing["id"]: ("failed", "balance_outstanding")}
    assert version(api, shop, owing["id"])["status"] == "checked_in"

    body = {"action": "complete", "order_ids": [owing["id"]], "leave_balance_open": True}
    second = start(api, shop, body)
    work(api)
    assert job(api, shop, second.data["id"])["done"] == 1
    assert version(api, shop, owing["id"])["status"] == "completed"


def test_a_second_job_for_the_same_departure_finds_it_done_already(api, shop):
    """A tester asked twice, a moment apart: the second job, run once the first was done,
    said it had cancelled both bookings too (`done`, where the README's `unchanged` is "so
    already"), because the same manager's cancellations came after it was asked for."""
    tour = {"offering_id": "off_tour", "start": "2026-11-26T08:00", "party": 2}
    riders = [book(api, shop, n, tour)["id"] for n in ("Li", "Mo")]
    off = {"action": "cancel", "resource_id": "res_wall", "session": "2026-11-26T08:00"}
    first = start(api, shop, {**off, "reason": "Snow"})
    second = start(api, shop, {**off, "reason": "Snow, again"}, auth=shop["secret_key"])
    assert first.status_code == 202 and second.status_code == 202, second.body
    one, two = api.container.bus.take(BULK_JOBS.name)
    assert invoke(api, "run_bulk_jobs", BULK_JOBS.name, [one]) == {"batchItemFailures": []}
    api.container.clock.advance(1)
    assert invoke(api, "run_bulk_jobs", BULK_JOBS.name, [two]) == {"batchItemFailures": []}
    assert (
        job(api, shop, first.data["id"])["done"],
        job(api, shop, first.data["id"])["unchanged"],
    ) == (2, 0)
    again = job(api, shop, second.data["id"])
    assert (again["done"], again["unchanged"]) == (0, 2)
    assert {version(api, shop, o)["status"] for o in riders} == {"cancelled"}


def test_a_message_says_which_customers_it_could_not_reach(api, shop):
    """A tester's message to a departure said `done` for every order, OCTO reservations
    whose only address is a placeholder (`<uuid>@octo.invalid`) and a phone booking with a
    landline included, which were sent nothing: those are `failed` with `no_contact`."""
    tour = {"offering_id": "off_tour", "start": "2026-11-26T08:00"}
    li = book(api, shop, "Li", tour)["id"]
    octo_guest = {"name": "Viator guest", "email": "0b7e4c1a-2f3d@octo.invalid"}
    mobile = {"name": "Mo", "phone": "+4915112345678"}
    landline = {"name": "Ng", "phone": "+493012345678"}
    others = []
    for customer in (octo_guest, mobile, landline):
        body = {"customer": customer, "lines": [tour]}
        made = api.call("POST", "/v1/orders", auth=shop["secret_key"], body=body)
        assert made.status_code == 201, made.body
        others.append(made.data["id"])
    body = {
        "action": "message",
        "resource_id": "res_wall",
        "session": "2026-11-26T08:00",
        "subject": "Meet at gate 2",
        "body": "The bus leaves from gate 2.",
    }
    r = start(api, shop, body)
    assert r.status_code == 202 and r.data["total"] == 4, r.body
    api.container.relayed_events(MESSAGE_EVENTS.name)
    work(api)
    done = job(api, shop, r.data["id"])
    assert (done["done"], done["unchanged"], done["failed"]) == (2, 0, 2)
    outcomes = {x["order_id"]: (x["outcome"], x["code"]) for x in done["results"]}
    assert outcomes[li] == outcomes[others[1]] == ("done", "")
    assert outcomes[others[0]] == outcomes[others[2]] == ("failed", "no_contact")
    unreached = [x for x in done["results"] if x["code"] == "no_contact"]
    assert all("Not reached" in x["message"] for x in unreached)
    events = api.container.relayed_events(MESSAGE_EVENTS.name)
    assert sorted(e["event"]["order_id"] for e in events) == sorted([li, others[1]])
