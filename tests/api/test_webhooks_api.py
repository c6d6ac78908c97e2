"""Tenant webhooks and calendar feeds over the API (chalice.test.Client, fakes behind)."""

from __future__ import annotations

import json
from urllib.parse import quote

import icalendar
import pytest

from chalicelib.kernel.domain.event_registry import typed
from chalicelib.kernel.domain.timefmt import add_seconds, parse
from chalicelib.kernel.services.context import TenantContext
from chalicelib.queues import WEBHOOK_DELIVERIES
from chalicelib.webhooks.services.webhook_delivery import WebhooksConsumer
from tests.api.support import assert_error, forbid_server_errors, snapshot
from tests.builders import room_type, stay_offering
from tests.webhook_support import verifier

URL = "https://hooks.example.com/reservoir"
ENDPOINTS = "/v1/webhooks/endpoints"


@pytest.fixture
def hotel(api):
    forbid_server_errors(api)
    return make_hotel(api, "harbour")


def make_hotel(api, slug):
    tenant = api.signup(slug)
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=2), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    return tenant


def register(api, tenant, **body):
    r = api.call("POST", ENDPOINTS, auth=tenant["secret_key"],
                 body={"url": URL, "event_types": ["*"], **body})  # fmt: skip
    assert r.status_code == 201, r.body
    return r.data


def hold(api, tenant):
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 2}],
    }
    r = api.call("POST", "/v1/orders", auth=tenant["secret_key"], body=body)
    assert r.status_code == 201, r.body
    return r.data


def events_of(api, tenant):
    return api.container.tenant_data.data[tenant["tenant_id"]].orders.events


def consume(api, tenant, event):
    """What part A's dispatcher does for the webhooks consumer."""
    c = api.container
    ctx = TenantContext(
        tenant=c.platform.get_tenant(tenant["tenant_id"]),
        actor=__import__("chalicelib.kernel.domain.audit", fromlist=["SYSTEM"]).SYSTEM,
        data_factory=c.tenant_data,
        now=c.now,
        new_id=c.new_id,
    )
    WebhooksConsumer().handle(ctx, typed(event), c)


def run_worker(api):
    """Hand the queued delivery messages to the very handler Lambda invokes."""
    bodies = [json.dumps(b) for b in api.container.bus.take(WEBHOOK_DELIVERIES.name)]
    if not bodies:
        return None
    event = api.client.events.generate_sqs_event(
        message_bodies=bodies, queue_name=WEBHOOK_DELIVERIES.name
    )
    for i, record in enumerate(event["Records"]):
        record["messageId"] = f"msg-{i}"
    return api.client.lambda_.invoke("deliver_webhooks", event).payload


def test_registering_shows_the_secret_once_and_never_again(api, hotel):
    created = register(api, hotel, description="back office")
    assert created["secret"].startswith("whsec_")
    assert created["status"] == "enabled" and created["event_types"] == ["*"]
    one = api.call("GET", f"{ENDPOINTS}/{created['id']}", auth=hotel["secret_key"])
    listed = api.call("GET", ENDPOINTS, auth=hotel["secret_key"])
    for body in (one.body.decode(), listed.body.decode()):
        assert created["secret"] not in body and "whsec_" not in body
    assert one.data["health"]["consecutive_failures"] == 0
    assert [e["id"] for e in listed.data["data"]] == [created["id"]]


def test_the_list_and_a_new_secret_show_a_failing_endpoint_s_health(api, hotel):
    """An outside integrator watched the list, which said `health: null` for an endpoint
    failing for an hour, as did the rotated secret's answer."""
    created = register(api, hotel)
    c = api.container
    store = c.tenant_data.for_tenant(c.platform.get_tenant(hotel["tenant_id"])).webhooks
    store.note_failure(created["id"], "2026-12-05T21:00:00Z")
    store.note_failure(created["id"], "2026-12-05T22:00:00Z")
    one = api.call("GET", f"{ENDPOINTS}/{created['id']}", auth=hotel["secret_key"]).data
    [listed] = api.call("GET", ENDPOINTS, auth=hotel["secret_key"]).data["data"]
    rotated = api.call(
        "POST", f"{ENDPOINTS}/{created['id']}/rotate-secret", auth=hotel["secret_key"], body={}
    )
    assert rotated.status_code == 200, rotated.body
    assert one["health"]["consecutive_failures"] == 2
    assert one["health"]["failing_since"] == "2026-12-05T21:00:00Z"
    assert listed["health"] == one["health"] == rotated.data["health"]
    assert created["health"] == {
        "consecutive_failures": 0,
        "failing_since": None,
        "last_success_at": None,
        "last_failure_at": None,
    }


def test_the_listing_names_every_event_an_endpoint_may_take(api, hotel):
    """The console offers these as choices: each one is accepted, in a booking's order."""
    known = api.call("GET", ENDPOINTS, auth=hotel["secret_key"]).data["known_event_types"]
    assert known[:2] == ["OrderHeld", "OrderConfirmed"] and "OrderCancelled" in known
    assert "*" not in known and not any(name.startswith("Payment") for name in known)
    assert register(api, hotel, event_types=known)["event_types"] == known


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"url": "http://hooks.example.com/x", "event_types": ["*"]}, 422, "https_required"),
        ({"url": "https://127.0.0.1/x", "event_types": ["*"]}, 422, "forbidden_address"),
        ({"url": "https://169.254.169.254/latest", "event_types": ["*"]}, 422, "forbidden_address"),
        ({"url": URL, "event_types": ["OrderShipped"]}, 422, "unknown_event_types"),
        ({"url": URL, "event_types": []}, 422, "validation_failed"),
        ({"url": URL, "event_types": ["*"], "secret": "mine"}, 422, "validation_failed"),
        ({"url": URL}, 422, "validation_failed"),
        # Found by an outside tester: taken (201), then never deliverable, or posted to
        # another path than the one shown (`urlsplit` drops a tab).
        ({"url": URL + "/sp ace", "event_types": ["*"]}, 422, "invalid_url"),
        ({"url": URL + "/crlf\r\nX-Injected: 1", "event_types": ["*"]}, 422, "invalid_url"),
        ({"url": URL + "/tab\there", "event_types": ["*"]}, 422, "invalid_url"),
        ({"url": "https://hööks.example.com/x", "event_types": ["*"]}, 422, "invalid_url"),
    ],
)
def test_bad_endpoints_get_a_4xx_and_write_nothing(api, hotel, body, status, code):
    before = snapshot(api.container)
    r = api.call("POST", ENDPOINTS, auth=hotel["secret_key"], body=body)
    assert_error(r, status, code)
    assert snapshot(api.container) == before
    assert api.call("GET", ENDPOINTS, auth=hotel["secret_key"]).data["data"] == []


def test_a_private_host_name_is_refused(api, hotel):
    api.container.host_resolver.hosts["intranet.example"] = ["192.168.0.10"]
    r = api.call("POST", ENDPOINTS, auth=hotel["secret_key"],
                 body={"url": "https://intranet.example/h", "event_types": ["*"]})  # fmt: skip
    assert_error(r, 422, "forbidden_address")


def test_staff_and_viewers_cannot_manage_webhooks(api, hotel):
    for role in ("staff", "viewer"):
        token = api.staff_token(hotel, role)
        assert_error(api.call("GET", ENDPOINTS, auth=token), 403, "role_forbidden")
    manager = api.staff_token(hotel, "manager")
    assert api.call("GET", ENDPOINTS, auth=manager).status_code == 200


def test_another_tenants_endpoint_is_not_found(api, hotel):
    created = register(api, hotel)
    other = make_hotel(api, "lagoon")
    for method, suffix, body in (
        ("GET", "", None),
        ("PATCH", "", {"description": "mine now"}),
        ("DELETE", "", None),
        ("POST", "/rotate-secret", {}),
        ("POST", "/replay", {"event_id": "x"}),
        ("GET", "/deliveries", None),
    ):
        r = api.call(method, f"{ENDPOINTS}/{created['id']}{suffix}", auth=other["secret_key"],
                     body=body)  # fmt: skip
        assert_error(r, 404, "endpoint_not_found")
    # Their orders never reach this tenant's endpoint.
    hold(api, other)
    consume(api, other, events_of(api, other)[-1])
    run_worker(api)
    assert api.container.webhook_sender.posted == []


def test_the_same_event_delivered_three_times_makes_one_webhook(api, hotel):
    created = register(api, hotel)
    hold(api, hotel)
    event = events_of(api, hotel)[-1]
    for _ in range(3):
        consume(api, hotel, event)
    result = run_worker(api)
    assert result == {"batchItemFailures": []}
    (post,) = api.container.webhook_sender.posted
    assert json.loads(post.body)["id"] == event.id
    now = parse(api.container.clock()).timestamp()
    assert verifier(now=now)(post.body, post.headers["Reservoir-Signature"], created["secret"])
    log = api.call("GET", f"{ENDPOINTS}/{created['id']}/deliveries", auth=hotel["secret_key"])
    (line,) = log.data["data"]
    assert line["status"] == "succeeded" and line["response_code"] == 200
    assert line["attempt"] == 1 and line["event_type"] == "OrderHeld"
    assert line["latency_ms"] >= 0 and log.data["next_after"] is None


def test_a_failed_attempt_is_logged_and_retried_with_a_delay(api, hotel):
    created = register(api, hotel)
    api.container.webhook_sender.default = 502
    hold(api, hotel)
    consume(api, hotel, events_of(api, hotel)[-1])
    run_worker(api)
    (retry,) = api.container.bus.take(WEBHOOK_DELIVERIES.name)
    assert retry["attempt"] == 2 and retry["not_before"] > api.container.clock()
    log = api.call("GET", f"{ENDPOINTS}/{created['id']}/deliveries", auth=hotel["secret_key"])
    (line,) = log.data["data"]
    assert line["status"] == "failed" and line["response_code"] == 502
    assert line["next_attempt_at"] == retry["not_before"]
    bad = api.call("GET", f"{ENDPOINTS}/{created['id']}/deliveries?after=zzz",
                   auth=hotel["secret_key"])  # fmt: skip
    assert_error(bad, 422, "invalid_cursor")
    path = f"{ENDPOINTS}/{created['id']}/deliveries?limit=1&after="
    for never_given in ("ATT%232026-12-06T03:09:44.852922Z%23..%2F..%23-001",
                        "ATT%232026-12-06T03:09:44.852922Z%23evt1%231"):  # fmt: skip
        assert_error(api.call("GET", path + never_given, auth=hotel["secret_key"]), 422,
                     "invalid_cursor")  # fmt: skip


def test_a_retry_the_disabled_endpoint_will_not_get_is_said_in_its_log(api, hotel):
    """A tester's log ended on a failed attempt promising the next at a time long passed: the
    endpoint had been disabled, and the retry was dropped unsaid."""
    created = register(api, hotel)
    api.container.webhook_sender.default = 500
    hold(api, hotel)
    consume(api, hotel, events_of(api, hotel)[-1])
    run_worker(api)
    path = f"{ENDPOINTS}/{created['id']}"
    off = api.call("PATCH", path, auth=hotel["secret_key"], body={"status": "disabled"})
    assert off.status_code == 200, off.body
    api.container.clock.advance(3600)
    assert run_worker(api) == {"batchItemFailures": []}  # the retry, come due
    log = api.call("GET", f"{path}/deliveries", auth=hotel["secret_key"]).data["data"]
    last, failed = log
    assert (failed["attempt"], failed["status"]) == (1, "failed") and failed["next_attempt_at"]
    assert (last["attempt"], last["next_attempt_at"]) == (2, None), last
    assert last["status"] == "failed" and "disabled" in last["error"]
    assert len(api.container.webhook_sender.posted) == 1  # nothing sent to it
    # The log pages by the positions it gives (their shape is checked: a tester's was not).
    page = api.call("GET", f"{path}/deliveries?limit=1", auth=hotel["secret_key"]).data
    after = quote(page["next_after"], safe="")
    rest = api.call("GET", f"{path}/deliveries?limit=1&after={after}", auth=hotel["secret_key"])
    assert rest.status_code == 200, rest.body
    assert [a["attempt"] for a in page["data"] + rest.data["data"]] == [2, 1]


def test_enabling_an_endpoint_again_forgets_its_failures_and_makes_up_no_success(api, hotel):
    """An outside tester re-enabled an endpoint no receiver had ever answered: its health said
    `last_success_at` the moment of the PATCH, which a monitor reads as healthy."""
    created = register(api, hotel)
    c = api.container
    store = c.tenant_data.for_tenant(c.platform.get_tenant(hotel["tenant_id"])).webhooks
    store.note_failure(created["id"], "2026-12-05T21:00:00Z")
    path = f"{ENDPOINTS}/{created['id']}"
    off = api.call("PATCH", path, auth=hotel["secret_key"], body={"status": "disabled"})
    assert off.status_code == 200, off.body
    on = api.call("PATCH", path, auth=hotel["secret_key"], body={"status": "enabled"})
    assert on.status_code == 200, on.body
    assert on.data["health"] == {
        "consecutive_failures": 0,
        "failing_since": None,
        "last_success_at": None,
        "last_failure_at": "2026-12-05T21:00:00Z",
    }


def test_an_endpoint_is_sent_events_after_it_was_registered_not_older_ones(api, hotel):
    """An outside tester registered an endpoint while the pipeline was behind and was sent
    every event still queued, a demo's November history included; older events are what a
    replay is for."""
    early = register(api, hotel, url="https://early.example.com/hooks")
    hold(api, hotel)
    api.container.clock.advance(5)
    late = register(api, hotel, url="https://late.example.com/hooks")
    consume(api, hotel, events_of(api, hotel)[-1])
    run_worker(api)
    assert [p.url for p in api.container.webhook_sender.posted] == [early["url"]]
    logged = api.call("GET", f"{ENDPOINTS}/{late['id']}/deliveries", auth=hotel["secret_key"])
    assert logged.data["data"] == []
    hold(api, hotel)
    consume(api, hotel, events_of(api, hotel)[-1])
    run_worker(api)
    logged = api.call("GET", f"{ENDPOINTS}/{late['id']}/deliveries", auth=hotel["secret_key"])
    assert len(logged.data["data"]) == 1


def test_rotating_returns_a_new_secret_once_and_signs_with_both(api, hotel):
    created = register(api, hotel)
    r = api.call("POST", f"{ENDPOINTS}/{created['id']}/rotate-secret",
                 auth=hotel["secret_key"], body={"expire_old_in_seconds": 600})  # fmt: skip
    assert r.status_code == 200 and r.data["secret"] != created["secret"]
    assert r.headers["Cache-Control"] == "no-store"
    assert len(r.data["secrets"]) == 2 and r.data["secrets"][1]["expires_at"]
    hold(api, hotel)
    consume(api, hotel, events_of(api, hotel)[-1])
    run_worker(api)
    (post,) = api.container.webhook_sender.posted
    verify = verifier(now=parse(api.container.clock()).timestamp())
    for secret in (created["secret"], r.data["secret"]):
        assert verify(post.body, post.headers["Reservoir-Signature"], secret)
    too_long = api.call(
        "POST",
        f"{ENDPOINTS}/{created['id']}/rotate-secret",
        auth=hotel["secret_key"],
        body={"expire_old_in_seconds": 10**7},
    )
    assert_error(too_long, 422, "validation_failed")


@pytest.mark.parametrize(
    "first, last",
    [
        ("0001-01-01T00:00:00+05:00", "0001-01-02T00:00:00+05:00"),
        ("9999-12-31T00:00:00-05:00", "9999-12-31T10:00:00-05:00"),
    ],
)
def test_a_replay_range_at_the_edge_of_the_calendar_is_422(api, hotel, first, last):
    created = register(api, hotel)
    path = f"{ENDPOINTS}/{created['id']}/replay"
    r = api.call("POST", path, auth=hotel["secret_key"], body={"from": first, "to": last})
    assert_error(r, 422, "validation_failed")
    assert api.container.bus.take("reservoir-webhooks") == []


def test_replay_of_one_event_and_of_a_range(api, hotel):
    created = register(api, hotel)
    start = api.container.clock()
    hold(api, hotel)
    event = events_of(api, hotel)[-1]
    path = f"{ENDPOINTS}/{created['id']}/replay"
    one = api.call("POST", path, auth=hotel["secret_key"], body={"event_id": event.id})
    assert one.status_code == 202 and one.data["delivery_id"].endswith(event.id)
    api.container.clock.advance(5)
    body = {"from": start.replace(".000000Z", "Z"), "to": api.container.clock()}
    ranged = api.call("POST", path, auth=hotel["secret_key"], body=body)
    assert ranged.status_code == 202, ranged.body
    for _ in range(2):
        run_worker(api)
    assert len(api.container.webhook_sender.posted) == 2
    missing = api.call("POST", path, auth=hotel["secret_key"], body={"event_id": "nope"})
    assert_error(missing, 404, "event_not_found")
    both = api.call("POST", path, auth=hotel["secret_key"],
                    body={"event_id": event.id, "from": start, "to": start})  # fmt: skip
    assert_error(both, 422, "validation_failed")
    backwards = api.call("POST", path, auth=hotel["secret_key"],
                         body={"from": api.container.clock(), "to": start})  # fmt: skip
    assert_error(backwards, 422, "invalid_range")
    now = api.container.clock()
    ahead = {"from": now, "to": add_seconds(now, 86400)}  # from now on: still nothing
    future = api.call("POST", path, auth=hotel["secret_key"], body=ahead)
    assert_error(future, 422, "range_in_future")  # a tester's was queued, to send nothing
    assert api.container.bus.take(WEBHOOK_DELIVERIES.name) == []


def test_disabling_editing_and_deleting_an_endpoint(api, hotel):
    created = register(api, hotel)
    path = f"{ENDPOINTS}/{created['id']}"
    spaced = api.call("PATCH", path, auth=hotel["secret_key"], body={"url": URL + "/g x"})
    assert_error(spaced, 422, "invalid_url")  # an outside tester's was taken (200)
    r = api.call("PATCH", path, auth=hotel["secret_key"],
                 body={"status": "disabled", "event_types": ["OrderConfirmed"]})  # fmt: skip
    assert r.data["status"] == "disabled" and r.data["version"] == 2
    assert r.data["url"] == URL
    hold(api, hotel)
    consume(api, hotel, events_of(api, hotel)[-1])
    assert api.container.bus.take(WEBHOOK_DELIVERIES.name) == []
    replay = api.call("POST", f"{path}/replay", auth=hotel["secret_key"],
                      body={"event_id": events_of(api, hotel)[-1].id})  # fmt: skip
    assert_error(replay, 409, "endpoint_disabled")
    assert api.call("DELETE", path, auth=hotel["secret_key"]).status_code == 204
    assert_error(api.call("GET", path, auth=hotel["secret_key"]), 404, "endpoint_not_found")


# -- calendar feeds --------------------------------------------------------------------------


def test_a_calendar_feed_url_serves_valid_icalendar_until_revoked(api, hotel):
    hold(api, hotel)
    feed = "/v1/resources/res_double/calendar-feed"
    issued = api.call("POST", feed, auth=hotel["secret_key"])
    assert issued.status_code == 201, issued.body
    assert issued.data["url"].endswith(".ics") and issued.data["path"] in issued.data["url"]
    r = api.client.http.get(issued.data["path"])
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(r.body)
    assert str(cal.walk("VTIMEZONE")[0]["TZID"]) == "Europe/Berlin"
    (event,) = cal.walk("VEVENT")
    assert str(event["STATUS"]) == "TENTATIVE"
    info = api.call("GET", feed, auth=hotel["secret_key"])
    assert info.status_code == 200 and "url" not in info.data
    assert api.call("DELETE", feed, auth=hotel["secret_key"]).status_code == 204
    gone = api.client.http.get(issued.data["path"])
    assert gone.status_code == 404
    assert json.loads(gone.body)["error"]["code"] == "feed_not_found"


def test_calendar_feeds_of_another_tenant_or_a_bad_token_are_404(api, hotel):
    issued = api.call("POST", "/v1/resources/res_double/calendar-feed", auth=hotel["secret_key"])
    other = make_hotel(api, "lagoon")
    r = api.call("DELETE", "/v1/resources/res_double/calendar-feed", auth=other["secret_key"])
    assert_error(r, 404, "feed_not_found")
    forged = issued.data["path"].replace(hotel["tenant_id"], other["tenant_id"])
    for path in (forged, "/v1/calendar/x.ics", "/v1/calendar/a.b.c", "/v1/calendar/..ics"):
        assert api.client.http.get(path).status_code == 404
    assert_error(
        api.call("POST", "/v1/resources/res_nope/calendar-feed", auth=hotel["secret_key"]),
        404,
        "resource_not_found",
    )


def test_a_calendar_feed_url_uses_the_configured_public_address_not_the_host_header(api, hotel):
    """A forged Host header must not end up in a URL the tenant copies into calendars."""
    feed = "/v1/resources/res_double/calendar-feed"
    issued = api.call(
        "POST",
        feed,
        auth=hotel["secret_key"],
        headers={"Host": "evil.example", "X-Forwarded-Proto": "gopher"},
    )
    assert issued.status_code == 201, issued.body
    base = api.container.settings.public_base_url.rstrip("/")
    assert issued.data["url"] == base + issued.data["path"]


def test_an_event_only_star_takes_is_not_replayed_to_an_endpoint_that_names_its_events(api, hotel):
    """A payment record (like a customer's imported record) goes only to `"*"` endpoints; a
    replay by id asked of an endpoint that names its events is refused (an outside tester's
    CustomerImported reached an OrderConfirmed-only endpoint) and queues nothing. A booking
    event it does not subscribe to is still replayed: it was asked for by name."""
    named = register(api, hotel, event_types=["OrderConfirmed"])
    every = register(api, hotel, url="https://hooks.example.com/every")
    order = hold(api, hotel)
    confirmed = api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=hotel["secret_key"])
    assert confirmed.status_code == 200, confirmed.body
    paid = api.call("POST", f"/v1/orders/{order['id']}/payments", auth=hotel["secret_key"],
                    body={"amount": 100, "method": "cash"})  # fmt: skip
    assert paid.status_code == 201, paid.body
    [payment] = [e for e in events_of(api, hotel) if e.name == "PaymentReceived"]
    [held] = [e for e in events_of(api, hotel) if e.name == "OrderHeld"]
    api.container.bus.take(WEBHOOK_DELIVERIES.name)
    path = f"{ENDPOINTS}/{named['id']}/replay"
    refused = api.call("POST", path, auth=hotel["secret_key"], body={"event_id": payment.id})
    assert_error(refused, 422, "event_not_subscribed")
    assert api.container.bus.take(WEBHOOK_DELIVERIES.name) == []
    by_name = api.call("POST", path, auth=hotel["secret_key"], body={"event_id": held.id})
    assert by_name.status_code == 202, by_name.body
    taken = api.call("POST", f"{ENDPOINTS}/{every['id']}/replay", auth=hotel["secret_key"],
                     body={"event_id": payment.id})  # fmt: skip
    assert taken.status_code == 202, taken.body
