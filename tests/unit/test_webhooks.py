"""Unit tests of tenant webhooks: signing, URL rules, fan-out, retries, disabling, replay."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.booking.domain.orders import Channel, Customer
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.kernel.domain.errors import InvalidInput, TransientFailure
from chalicelib.kernel.domain.event_registry import typed
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.queues import WEBHOOK_DELIVERIES
from chalicelib.webhooks.domain.webhooks import (
    DELIVERY_DEADLINE_SECONDS,
    RETRY_WINDOW_SECONDS,
    DeliveryStatus,
    EndpointStatus,
    check_addresses,
    check_url,
    next_attempt_at,
    retry_delay,
    signature_header,
)
from chalicelib.webhooks.services import webhooks
from chalicelib.webhooks.services.webhook_delivery import (
    WebhooksConsumer,
    email_owner,
    fan_out,
    handle_message,
)
from tests.builders import Shop, room_type, stay_offering
from tests.fakes import FakeBus, FakeMailer, FakeResolver, FakeWebhookSender
from tests.webhook_support import verifier

POLICY = webhooks.UrlPolicy(FakeResolver())


class World:
    """A shop with one endpoint, a bus, a receiver and a mailer."""

    def __init__(self, *, event_types=("*",), slug: str = "shop") -> None:
        self.shop = Shop()
        self.shop.add(room_type(), stay_offering())
        self.bus = FakeBus()
        self.sender = FakeWebhookSender()
        self.mailer = FakeMailer()
        self.endpoint, self.secret = webhooks.create_endpoint(
            self.shop.ctx,
            POLICY,
            endpoint_id="we_1",
            url="https://hooks.example.com/in",
            event_types=list(event_types),
        )
        self.orders = 0

    @property
    def store(self):
        return self.shop.data.webhooks

    def hold(self):
        self.orders += 1
        hold = HoldInput(
            customer=Customer("Ada", "ada@example.com"),
            lines=[LineInput("off_stay", check_in=date(2026, 12, 24))],
            channel=Channel.API,
        )
        return hold_order(self.shop.ctx, self.shop.cache, hold, order_id=f"ord_{self.orders}")

    def last_event(self):
        return typed(self.shop.data.orders.events[-1])

    def run(self, *, rounds: int = 1) -> list[str]:
        """Hand every queued message to the worker, `rounds` times (new messages included)."""
        outcomes = []
        for _ in range(rounds):
            for message in self.bus.take(WEBHOOK_DELIVERIES.name):
                outcomes.append(
                    handle_message(
                        self.shop.ctx,
                        message,
                        bus=self.bus,
                        sender=self.sender,
                        notify_owner=email_owner(self.mailer, "noreply@reservoir.example"),
                    )
                )
        return outcomes


# -- signing ---------------------------------------------------------------------------------


def test_the_documented_snippet_verifies_a_real_delivery_and_rejects_tampering():
    world = World()
    world.hold()
    WebhooksConsumer().handle(world.shop.ctx, world.last_event(), world)
    assert world.run() == ["delivered"]
    (post,) = world.sender.posted
    header = post.headers["Reservoir-Signature"]
    now = parse(world.shop.clock()).timestamp()
    verify = verifier(now=now)
    assert verify(post.body, header, world.secret)
    assert not verify(post.body + b" ", header, world.secret)
    assert not verify(post.body, header, "whsec_wrong")
    assert not verifier(now=now + 301)(post.body, header, world.secret)


@pytest.mark.parametrize(
    ("hostile", "verifies"),
    [
        ("t=" + "9" * 5000 + ",{v1}", False),  # int() refuses more than 4,300 digits
        ("t=\u00b2,{v1}", False),  # isdigit() is true, int() refuses it
        ("t={arabic},{v1}", False),  # isdigit() is true, int() reads it: not what was signed
        ("t={t},v1=" + "\u00e9" * 64, False),  # compare_digest refuses non-ASCII text
        ("t={t},v1=\udc80", False),  # a lone surrogate, as JSON escapes can deliver
        ("t={t},v1=\u00e9,{v1}", True),  # a hostile v1 beside the valid one
    ],
)
def test_the_documented_snippet_answers_false_to_hostile_headers_never_raises(hostile, verifies):
    world = World()
    world.hold()
    WebhooksConsumer().handle(world.shop.ctx, world.last_event(), world)
    world.run()
    (post,) = world.sender.posted
    t, v1 = post.headers["Reservoir-Signature"].split(",", 1)
    stamp = t.removeprefix("t=")
    arabic = "".join(chr(0x660 + int(d)) for d in stamp)
    header = hostile.format(t=stamp, v1=v1, arabic=arabic)
    verify = verifier(now=parse(world.shop.clock()).timestamp())
    assert verify(post.body, header, world.secret) is verifies


def test_a_signature_header_carries_one_v1_per_secret_in_order():
    header = signature_header(["new", "old"], 1700000000, b"{}")
    t, first, second = header.split(",")
    assert t == "t=1700000000"
    assert first.startswith("v1=") and second.startswith("v1=") and first != second


def test_while_both_secrets_are_valid_each_verifies_then_only_the_new_one():
    world = World()
    endpoint, new_secret = webhooks.rotate_secret(
        world.shop.ctx, "we_1", expire_old_in_seconds=3600
    )
    assert [s.value for s in endpoint.secrets] == [new_secret, world.secret]
    world.hold()
    fan_out(world.shop.ctx, world.bus, world.last_event())
    world.run()
    post = world.sender.posted[-1]
    verify = verifier(now=parse(world.shop.clock()).timestamp())
    header = post.headers["Reservoir-Signature"]
    assert header.count("v1=") == 2
    assert verify(post.body, header, new_secret) and verify(post.body, header, world.secret)

    world.shop.clock.advance(3601)
    order_service.confirm(world.shop.ctx, "ord_1")
    fan_out(world.shop.ctx, world.bus, world.last_event())
    world.run()
    post = world.sender.posted[-1]
    verify = verifier(now=parse(world.shop.clock()).timestamp())
    header = post.headers["Reservoir-Signature"]
    assert header.count("v1=") == 1
    assert verify(post.body, header, new_secret) and not verify(post.body, header, world.secret)


def test_a_secret_is_whsec_and_the_overlap_is_at_most_a_week():
    world = World()
    assert world.secret.startswith("whsec_") and len(world.secret) > 40
    with pytest.raises(InvalidInput):
        webhooks.rotate_secret(world.shop.ctx, "we_1", expire_old_in_seconds=8 * 24 * 3600)


# -- addresses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/in",
        "ftp://hooks.example.com/in",
        "https://user:pw@hooks.example.com/in",
        "https:///nohost",
        "https://hooks.example.com:99999/in",
        "http://127.0.0.1:8080/in",
    ],
)
def test_urls_must_be_https_without_credentials(url):
    with pytest.raises(InvalidInput):
        check_url(url, allow_loopback=False)


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.0.0.5", "172.16.3.4", "192.168.1.1", "169.254.169.254", "::1", "fd00::1",
     "fe80::1", "::ffff:10.0.0.1", "100.64.0.1", "0.0.0.0", "224.0.0.1"],
)  # fmt: skip
def test_hosts_resolving_to_internal_addresses_are_refused(address):
    with pytest.raises(InvalidInput) as caught:
        check_addresses("evil.example", ["93.184.216.34", address], allow_loopback=False)
    assert caught.value.code == "forbidden_address"


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254 (the metadata service)
        "64:ff9b:1::a9fe:a9fe",  # local-use NAT64 prefix
        "2002:a9fe:a9fe::",  # 6to4 of 169.254.169.254
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "::ffff:0:a9fe:a9fe",  # SIIT (IPv4-translated) 169.254.169.254
        "::127.0.0.1",  # IPv4-compatible loopback
        "::a9fe:a9fe",  # IPv4-compatible metadata
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "::ffff:169.254.169.254",
        "2001:0:4136:e378:8000:63bf:f5fe:fffe",  # Teredo whose client is 10.0.0.1
        "fe80::1%eth0",  # link-local with a zone
        "ff02::1",
        "::",
        "2001:db8::1",  # documentation
    ],
)
def test_ipv6_forms_of_internal_addresses_are_refused(address):
    with pytest.raises(InvalidInput) as caught:
        check_addresses("evil.example", [address], allow_loopback=False)
    assert caught.value.code == "forbidden_address"


@pytest.mark.parametrize(
    "address",
    [
        "93.184.216.34",
        "2606:2800:220:1:248:1893:25c8:1946",
        "64:ff9b::5db8:d822",  # NAT64 of the public 93.184.216.34
        "2002:5db8:d822::1",  # 6to4 of the public 93.184.216.34
        "::ffff:93.184.216.34",
    ],
)
def test_public_addresses_in_any_form_are_accepted(address):
    check_addresses("hooks.example.com", [address], allow_loopback=False)


def test_loopback_http_only_where_the_setting_allows_it():
    assert check_url("http://127.0.0.1:9000/in", allow_loopback=True) == "127.0.0.1"
    check_addresses("127.0.0.1", ["127.0.0.1"], allow_loopback=True)
    check_addresses("localhost", ["::1", "127.0.0.1"], allow_loopback=True)
    with pytest.raises(InvalidInput):
        check_url("http://hooks.example.com/in", allow_loopback=True)
    with pytest.raises(InvalidInput):
        check_addresses("127.0.0.1", ["10.1.1.1"], allow_loopback=True)


def test_registering_an_endpoint_on_a_private_name_writes_nothing():
    shop = Shop()
    resolver = FakeResolver()
    resolver.hosts["intranet.example"] = ["10.0.0.7"]
    with pytest.raises(InvalidInput):
        webhooks.create_endpoint(
            shop.ctx,
            webhooks.UrlPolicy(resolver),
            endpoint_id="we_x",
            url="https://intranet.example/hook",
            event_types=["*"],
        )
    assert shop.data.webhooks.list_endpoints() == []


def test_unknown_event_types_are_refused():
    with pytest.raises(InvalidInput) as caught:
        webhooks.create_endpoint(
            Shop().ctx, POLICY, endpoint_id="we_x", url="https://a.example/h",
            event_types=["OrderConfimred"],
        )  # fmt: skip
    assert caught.value.details["unknown"] == ["OrderConfimred"]


# -- fan-out and duplicates ------------------------------------------------------------------


def test_the_same_event_handled_three_times_is_posted_once():
    world = World()
    world.hold()
    event = world.last_event()
    for _ in range(3):
        WebhooksConsumer().handle(world.shop.ctx, event, world)
    assert len(world.bus.sent) == 3  # three identical first-attempt messages...
    assert sorted(world.run()) == ["delivered", "finished", "finished"]
    assert len(world.sender.posted) == 1  # ...and one POST
    assert world.sender.posted[0].headers["Reservoir-Event-Id"] == event.id


def test_only_subscribed_enabled_endpoints_get_an_event():
    world = World(event_types=("OrderConfirmed",))
    world.hold()
    assert fan_out(world.shop.ctx, world.bus, world.last_event()) == []
    order_service.confirm(world.shop.ctx, "ord_1")
    assert fan_out(world.shop.ctx, world.bus, world.last_event()) == [world.last_event().id]
    webhooks.update_endpoint(world.shop.ctx, POLICY, "we_1", status=EndpointStatus.DISABLED)
    assert fan_out(world.shop.ctx, world.bus, world.last_event()) == []


def test_another_tenants_events_and_messages_never_reach_this_tenants_endpoint():
    from dataclasses import replace

    from chalicelib.kernel.services.context import TenantContext

    world = World()
    other = replace(world.shop.tenant, id="t_other", table_name="reservoir-tenant-t_other")
    world.shop.factory.tables.ensure_table(other.table_name, {})
    theirs = TenantContext(tenant=other, actor=world.shop.actor, data_factory=world.shop.factory,
                           now=world.shop.clock, new_id=world.shop.ids)  # fmt: skip
    theirs.data.catalog.put_resource(room_type(), expected_rev=None)
    theirs.data.catalog.put_offering(stay_offering(), expected_rev=None)
    hold = HoldInput(Customer("Bo", "bo@example.com"),
                     [LineInput("off_stay", check_in=date(2026, 12, 24))], Channel.API)  # fmt: skip
    hold_order(theirs, world.shop.cache, hold, order_id="ord_theirs")
    event = typed(theirs.data.orders.events[-1])
    assert fan_out(theirs, world.bus, event) == []
    # A message naming this tenant's endpoint, but for the other tenant, finds nothing.
    world.hold()
    fan_out(world.shop.ctx, world.bus, world.last_event())
    (message,) = world.bus.take(WEBHOOK_DELIVERIES.name)
    assert handle_message(theirs, message, bus=world.bus, sender=world.sender) == "gone"
    assert world.sender.posted == []


def test_a_duplicate_of_an_attempt_in_flight_is_retried_later_not_dropped():
    world = World()
    world.hold()
    fan_out(world.shop.ctx, world.bus, world.last_event())
    (message,) = world.bus.take(WEBHOOK_DELIVERIES.name)
    assert world.store.claim_attempt(
        "we_1", message["delivery_id"], 1, now=world.shop.clock(), lease_until="9999"
    )
    with pytest.raises(TransientFailure):
        handle_message(world.shop.ctx, message, bus=world.bus, sender=world.sender)
    assert world.sender.posted == []


def test_an_attempt_whose_process_died_is_taken_again_once_its_lease_ran_out():
    world = World()
    world.hold()
    fan_out(world.shop.ctx, world.bus, world.last_event())
    (message,) = world.bus.take(WEBHOOK_DELIVERIES.name)
    now = world.shop.clock()
    assert world.store.claim_attempt("we_1", message["delivery_id"], 1, now=now, lease_until=now)
    world.shop.clock.advance(61)
    assert handle_message(world.shop.ctx, message, bus=world.bus, sender=world.sender) == (
        "delivered"
    )


# -- retries, dead letters, disabling --------------------------------------------------------


def test_backoff_doubles_from_a_minute_and_caps_at_six_hours():
    assert [retry_delay(n) for n in (1, 2, 3, 9, 10, 30)] == [
        60, 120, 240, 15360, 21600, 21600,
    ]  # fmt: skip
    first = "2026-11-24T09:00:00.000000Z"
    assert next_attempt_at(first, "2026-11-27T08:00:00.000000Z", 20) is None


def drive(world: World, *, max_rounds: int = 2000) -> list[str]:
    """Run the queue, moving the clock to each message's not_before, until it is empty."""
    outcomes = []
    for _ in range(max_rounds):
        messages = world.bus.take(WEBHOOK_DELIVERIES.name)
        if not messages:
            return outcomes
        for message in messages:
            due = parse(message["not_before"]) if "not_before" in message else None
            now = parse(world.shop.clock())
            if due and due > now:
                world.shop.clock.advance((due - now).total_seconds())
            outcomes.append(
                handle_message(
                    world.shop.ctx,
                    message,
                    bus=world.bus,
                    sender=world.sender,
                    notify_owner=email_owner(world.mailer, "noreply@reservoir.example"),
                )
            )
    raise AssertionError("the queue never drained")


def test_a_failing_delivery_backs_off_for_three_days_then_is_dead_lettered_and_disables():
    world = World()
    world.sender.default = 500
    world.hold()
    started = parse(world.shop.clock())
    fan_out(world.shop.ctx, world.bus, world.last_event())
    outcomes = drive(world)
    assert outcomes[-1] == "dead"
    attempts = len(world.sender.posted)
    assert 15 <= attempts <= 25
    elapsed = (parse(world.shop.clock()) - started).total_seconds()
    assert RETRY_WINDOW_SECONDS - 6 * 3600 <= elapsed <= RETRY_WINDOW_SECONDS
    # Every POST carried the same body; attempt numbers count up.
    assert len({p.body for p in world.sender.posted}) == 1
    assert [int(p.headers["Reservoir-Attempt"]) for p in world.sender.posted] == list(
        range(1, attempts + 1)
    )
    dead = world.bus.take(WEBHOOK_DELIVERIES.dlq_name)
    assert len(dead) == 1 and dead[0]["attempts"] == attempts
    endpoint = world.store.get_endpoint("we_1")
    assert endpoint.status is EndpointStatus.DISABLED and endpoint.disabled_reason == "failing"
    (mail,) = world.mailer.to("o@shop.example")
    assert "disabled" in mail.subject
    actions = [e.action for e in world.shop.data.audit.entries.values()]
    assert "webhook_endpoint.disabled" in actions
    log = world.store.attempts("we_1", limit=100)
    assert len(log) == attempts and log[0][1].attempt == attempts  # newest first
    assert all(a.response_code == 500 and not a.succeeded for _, a in log)


def test_a_receiver_that_recovers_resets_the_streak_and_stays_enabled():
    world = World()
    world.sender.script = [500, None, 503]
    world.hold()
    fan_out(world.shop.ctx, world.bus, world.last_event())
    assert drive(world) == ["retrying", "retrying", "retrying", "delivered"]
    delivery = next(iter(world.store.deliveries.values()))
    assert delivery.status is DeliveryStatus.SUCCEEDED and delivery.attempts == 4
    assert world.store.health("we_1").consecutive_failures == 0
    assert world.store.get_endpoint("we_1").enabled
    log = [a for _, a in world.store.attempts("we_1")]
    assert [a.response_code for a in log] == [200, 503, None, 500]
    assert log[2].error and log[1].next_attempt_at


def test_a_dead_delivery_does_not_disable_an_endpoint_that_succeeded_meanwhile():
    world = World()
    world.sender.default = 500
    world.hold()
    fan_out(world.shop.ctx, world.bus, world.last_event())
    world.run()  # attempt 1 fails
    world.shop.clock.advance(2 * 24 * 3600)
    world.store.note_success("we_1", world.shop.clock())  # another delivery got through
    world.store.note_failure("we_1", world.shop.clock())
    drive(world)
    assert world.store.get_endpoint("we_1").enabled
    assert world.mailer.sent == []


# -- replay ----------------------------------------------------------------------------------


def test_replaying_one_event_delivers_it_again_as_a_new_delivery():
    world = World()
    world.hold()
    event = world.last_event()
    fan_out(world.shop.ctx, world.bus, event)
    world.run()
    delivery_id = webhooks.replay_event(world.shop.ctx, world.bus, "we_1", event.id,
                                        replay_id="rpl_1")  # fmt: skip
    assert delivery_id == f"rpl_1.{event.id}"
    assert world.run() == ["delivered"]
    first, second = world.sender.posted
    assert first.body == second.body
    assert second.headers["Reservoir-Delivery-Id"] == delivery_id


def test_replaying_a_range_delivers_the_subscribed_events_in_it_page_by_page(monkeypatch):
    from chalicelib.webhooks.services import webhook_delivery

    monkeypatch.setattr(webhook_delivery, "REPLAY_PAGE", 2)
    world = World(event_types=("OrderHeld",))
    start = world.shop.clock()
    for _ in range(3):
        world.hold()
        world.shop.clock.advance(60)
    order_service.confirm(world.shop.ctx, "ord_1")  # not subscribed
    world.shop.clock.advance(60)
    webhooks.replay_range(world.shop.ctx, world.bus, "we_1", start, world.shop.clock(),
                          replay_id="rpl_9")  # fmt: skip
    outcomes = world.run(rounds=4)
    assert outcomes.count("delivered") == 3
    assert {p.headers["Reservoir-Event-Type"] for p in world.sender.posted} == {"OrderHeld"}


def test_a_replay_range_must_be_ordered_and_short():
    world = World()
    now = world.shop.clock()
    with pytest.raises(InvalidInput):
        webhooks.replay_range(world.shop.ctx, world.bus, "we_1", now, now, replay_id="r")
    with pytest.raises(InvalidInput):
        webhooks.replay_range(
            world.shop.ctx, world.bus, "we_1", "2026-09-01T00:00:00.000000Z", now, replay_id="r"
        )
    assert world.bus.sent == []


def test_a_webhook_record_at_its_deadline_fits_its_share_of_the_function_timeout():
    # A record is one POST under the whole-request deadline plus the calls around it; a batch
    # of them at their slowest must end before Lambda ends the function (and fails the batch).
    # (The template test checks the deployed timeouts against these figures.)
    assert WEBHOOK_DELIVERIES.record_seconds > DELIVERY_DEADLINE_SECONDS
    assert WEBHOOK_DELIVERIES.visibility_timeout >= 6 * WEBHOOK_DELIVERIES.function_timeout
