"""Gift cards over the real adapters: DynamoDB Local (the card's conditional debit inside the
payment's transaction, its ledger, the code's item), localstripe for a card bought through the
widget's flow with Stripe's webhook signed as Stripe signs it and delivered twice, and two
desks spending the last of a card at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.booking.domain.payment_records import Tender
from chalicelib.customers.adapters.gift_card_store import DynamoGiftCards
from chalicelib.kernel.domain.audit import Actor
from chalicelib.kernel.services.context import TenantContext
from chalicelib.payments.services import desk
from tests.builders import room_type, stay_offering
from tests.integration.support import ahead
from tests.integration.test_payments_live import (  # noqa: F401 - fixtures
    call,
    customer_pays,
    intent_event,
    paying,
    plans,
    settle,
    shop,
    webhook,
)

pytestmark = pytest.mark.xdist_group("localstripe")

SALE = {
    "amount": 30000,
    "buyer": {"name": "Bea", "email": "bea@example.com"},
    "recipient": {"name": "Rex", "email": "rex@example.com"},
    "message": "For the spa",
}


def confirmed(live, tenant, offering: str, check_in: str) -> dict[str, Any]:
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": offering, "check_in": check_in, "nights": 2}],
    }
    order = call(live, "POST", "/v1/orders", auth=tenant["secret_key"], body=body)
    assert order.status_code == 201, order.body
    done = call(live, "POST", f"/v1/orders/{order.data['id']}/confirm", auth=tenant["secret_key"])
    assert done.status_code == 200, done.body
    return done.data


def spend(live, tenant, order_id: str, amount: int, code: str, key: str):
    return call(
        live,
        "POST",
        f"/v1/orders/{order_id}/payments",
        auth=tenant["secret_key"],
        body={"amount": amount, "method": "gift_card", "gift_card_code": code},
        headers={"Idempotency-Key": key},
    )


def test_a_card_bought_by_card_is_issued_once_spent_over_two_stays_and_refunded_onto(
    paying,  # noqa: F811
):
    tenant = shop(paying, "giftlive")
    bought = call(
        paying,
        "POST",
        "/v1/public/gift-cards",
        auth=tenant["publishable_key"],
        body=SALE,
        headers={"Idempotency-Key": "buy-1"},
    )
    assert bought.status_code == 200, bought.body
    pid = bought.data["payment_id"]
    assert customer_pays(paying.localstripe, pid, "4242424242424242") == "succeeded"
    evt = intent_event(tenant, "succeeded", pid, 1)
    for _ in range(2):  # the same signed event delivered twice: queued once
        assert webhook(paying, evt).status_code == 200
    assert webhook(paying, intent_event(tenant, "created", pid, 2)).status_code == 200
    assert len(settle(paying)) == 2  # two events reach the worker: one card all the same
    cards = call(paying, "GET", "/v1/gift-cards", auth=tenant["secret_key"]).data["cards"]
    [card] = cards
    assert (card["balance"], card["paid_with"], card["payment_ref"]) == (30000, "online", pid)
    c = bootstrap.container()
    code = _code_of(c, tenant, card["id"])

    # Two stays of two nights, apart: the shop has one room.
    first = confirmed(paying, tenant, tenant["offering"], ahead().isoformat())
    second = confirmed(paying, tenant, tenant["offering"], ahead(27).isoformat())
    one = spend(paying, tenant, first["id"], 20000, code, "a")
    assert one.status_code == 201, one.body
    over = spend(paying, tenant, second["id"], 10001, code, "b")
    assert over.status_code == 409 and over.data["error"]["code"] == "gift_card_balance_low"
    two = spend(paying, tenant, second["id"], 10000, code, "c")
    assert two.status_code == 201, two.body
    back = call(
        paying,
        "POST",
        f"/v1/orders/{first['id']}/refunds",
        auth=tenant["secret_key"],
        body={"amount": 5000, "reason": "spa closed", "method": "gift_card"},
        headers={"Idempotency-Key": "r"},
    )
    assert back.status_code == 201, back.body
    got = call(paying, "GET", f"/v1/gift-cards/{card['id']}", auth=tenant["secret_key"]).data
    assert got["balance"] == 5000
    assert [(e["movement"], e["amount"]) for e in got["ledger"]] == [
        ("issued", 30000),
        ("redeemed", -20000),
        ("redeemed", -10000),
        ("refunded", 5000),
    ]


def _code_of(c, tenant: dict[str, Any], card_id: str) -> str:
    from chalicelib.customers.domain.gift_cards import card_code

    secret = c.manage_token_secret.get().encode()
    return card_code(secret, tenant["tenant_id"], card_id)


def two_desks_at_once(
    monkeypatch: pytest.MonkeyPatch, tenant: Any, work: Callable[[TenantContext, int], object]
) -> dict[int, object]:
    """`work` by two desks at once, each reading the card (DynamoDB Local) before either
    writes: what each answered, an exception included."""
    c = bootstrap.container()
    barrier = threading.Barrier(2, timeout=10)
    seen = threading.local()
    real_get = DynamoGiftCards.get

    def get(self, wanted):
        found = real_get(self, wanted)
        if not getattr(seen, "done", False):
            seen.done = True
            barrier.wait()
        return found

    monkeypatch.setattr(DynamoGiftCards, "get", get)
    answers: dict[int, object] = {}

    def run(n: int) -> None:
        ctx = TenantContext(
            tenant=tenant,
            actor=Actor(kind="user", id=f"desk{n}", email=f"desk{n}@example.com"),
            data_factory=c.tenant_data,
            now=c.now,
            new_id=c.new_id,
        )
        try:
            answers[n] = work(ctx, n)
        except Exception as exc:  # noqa: BLE001 - recorded for the caller's assertions
            answers[n] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    monkeypatch.undo()
    return answers


def test_two_desks_spending_the_last_50_at_once_one_is_refused(live, monkeypatch):
    tenant = live.signup("giftrace")
    live.provision(tenant["tenant_id"])
    c = bootstrap.container()
    t = c.platform.get_tenant(tenant["tenant_id"])
    data = c.tenant_data.for_tenant(t)
    data.catalog.put_resource(room_type(rooms=2), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    sale = {**SALE, "amount": 5000, "method": "cash"}
    sold = live.call("POST", "/v1/gift-cards", auth=tenant["secret_key"], body=sale)
    assert sold.status_code == 201, sold.body
    code, card_id = sold.data["code"], sold.data["card"]["id"]
    orders = [confirmed(live, tenant, "off_stay", ahead().isoformat()) for _ in range(2)]

    def pay(ctx: TenantContext, n: int) -> object:
        return desk.record_payment(
            ctx,
            orders[n]["id"],
            record_id=f"dpay_race_{n}",
            amount=5000,
            method=Tender.GIFT_CARD,
            gift_card_code=code,
            gift_cards=c.gift_cards,
        )

    # Both desks read the card holding 50 before either commits.
    answers = two_desks_at_once(monkeypatch, t, pay)
    refused = [a for a in answers.values() if isinstance(a, Exception)]
    assert len(refused) == 1, answers
    assert getattr(refused[0], "code", "") == "gift_card_balance_low"
    assert getattr(refused[0], "details", {}).get("balance") == 0  # the card as the winner left it
    card = data.gift_cards.get(card_id)
    assert card is not None and card.balance == 0
    ledger = data.gift_cards.ledger(card_id, limit=10)
    assert sorted(e.amount for e in ledger) == [-5000, 5000]
    paid = [data.orders.get(o["id"]) for o in orders]
    assert sorted(len(o.payments) for o in paid if o) == [0, 1]


def test_an_erased_recipient_leaves_the_card_on_dynamodb_local(live):
    tenant = live.signup("gifterase")
    live.provision(tenant["tenant_id"])
    sold = live.call(
        "POST", "/v1/gift-cards", auth=tenant["secret_key"], body={**SALE, "method": "cash"}
    )
    assert sold.status_code == 201, sold.body
    card_id = sold.data["card"]["id"]
    c = bootstrap.container()
    data = c.tenant_data.for_tenant(c.platform.get_tenant(tenant["tenant_id"]))
    from chalicelib.customers.domain.identity import customer_id_for

    assert data.gift_cards.cards_of(customer_id_for("rex@example.com")) == [(card_id, "recipient")]
    erased = live.call(
        "POST",
        "/v1/customers/rex%40example.com/erase",
        auth=tenant["secret_key"],
        body={"confirm": "rex@example.com"},
    )
    assert erased.status_code == 200, erased.body
    card = data.gift_cards.get(card_id)
    assert card is not None and card.balance == 30000 and card.message == ""
    assert (card.recipient.name, card.recipient.email) == ("Erased customer", "")
    assert card.buyer.email == "bea@example.com"
    assert data.gift_cards.cards_of(customer_id_for("rex@example.com")) == []


def test_the_online_sale_s_bounds_are_kept_on_dynamodb_local(live):
    tenant = live.signup("giftbounds")
    live.provision(tenant["tenant_id"])
    key = tenant["secret_key"]
    before = live.call("PUT", "/v1/gift-cards/settings", auth=key, body={"valid_months": 3})
    assert before.data["online_min_amount"] is None, before.body  # none set: no bound of its own
    bounds = {"valid_months": 3, "online_min_amount": 1500, "online_max_amount": 40000}
    assert live.call("PUT", "/v1/gift-cards/settings", auth=key, body=bounds).status_code == 200
    read = live.call("GET", "/v1/gift-cards/settings", auth=key)
    assert read.data == bounds
    public = live.call("GET", "/v1/public/gift-cards/settings", auth=tenant["publishable_key"])
    assert (public.data["min_amount"], public.data["max_amount"]) == (1500, 40000)


def paid_by_card_at_the_desk(live, stem: str) -> tuple[dict[str, Any], Any, str, dict[str, Any]]:
    """A hotel that sold a 50.00 card in cash and took 40.00 of it at the desk for a stay:
    (the sign-up's answer, its data, the card's id, the order)."""
    tenant = live.signup(stem)
    live.provision(tenant["tenant_id"])
    c = bootstrap.container()
    data = c.tenant_data.for_tenant(c.platform.get_tenant(tenant["tenant_id"]))
    data.catalog.put_resource(room_type(rooms=2), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    sale = {**SALE, "amount": 5000, "method": "cash"}
    sold = live.call("POST", "/v1/gift-cards", auth=tenant["secret_key"], body=sale)
    assert sold.status_code == 201, sold.body
    order = confirmed(live, tenant, "off_stay", ahead().isoformat())
    paid = spend(live, tenant, order["id"], 4000, sold.data["code"], f"{stem}-pay")
    assert paid.status_code == 201, paid.body
    return tenant, data, sold.data["card"]["id"], order


def test_a_card_disabled_between_the_read_and_the_refund_takes_nothing(live, monkeypatch):
    """The refund's credit is conditional on the card being active in DynamoDB Local: a card
    read active, then disabled before the refund commits, refuses it and keeps its balance."""
    from dataclasses import replace

    from chalicelib.customers.domain.gift_cards import CardStatus

    tenant, data, card_id, order = paid_by_card_at_the_desk(live, "giftoff")
    off = live.call("POST", f"/v1/gift-cards/{card_id}/disable", auth=tenant["secret_key"])
    assert off.status_code == 200, off.body
    real_get = DynamoGiftCards.get

    def stale(self, wanted):  # the read the refund makes, from before the card was disabled
        found = real_get(self, wanted)
        return None if found is None else replace(found, status=CardStatus.ACTIVE)

    monkeypatch.setattr(DynamoGiftCards, "get", stale)
    refused = call(
        live,
        "POST",
        f"/v1/orders/{order['id']}/refunds",
        auth=tenant["secret_key"],
        body={"amount": 1000, "reason": "late", "method": "gift_card"},
        headers={"Idempotency-Key": "off-ref"},
    )
    monkeypatch.undo()
    assert refused.status_code == 409, refused.body
    assert refused.data["error"]["code"] == "gift_card_is_disabled", refused.body
    card = data.gift_cards.get(card_id)
    assert card is not None and card.balance == 1000
    after = data.orders.get(order["id"])
    assert after is not None and not after.refunds


def test_a_cancellation_puts_the_desk_s_gift_card_money_back_and_on_the_takings_once(live):
    """The cancellation's refund, the card's credit and its `given_back` takings entry (with
    the day's count) commit in one DynamoDB Local transaction; the consumer run again finds
    nothing left to give back (probe of 2026-12-03: the takings kept the 40.00 as taken)."""
    from chalicelib.kernel.services.context import system_context
    from chalicelib.payments.services.refunds import settle_cancellation
    from chalicelib.payments.services.takings import today

    tenant, data, card_id, order = paid_by_card_at_the_desk(live, "giftcancel")
    body = {"by": "business", "reason": "storm"}
    cancelled = live.call(
        "POST", f"/v1/orders/{order['id']}/cancel", auth=tenant["secret_key"], body=body
    )
    assert cancelled.status_code == 200, cancelled.body
    c = bootstrap.container()
    record = c.platform.get_tenant(tenant["tenant_id"])
    ctx = system_context(record, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    outcomes = [
        settle_cancellation(
            ctx,
            order["id"],
            fee=0,
            key="cancel:evt-1",
            gateway=c.gateway,
            accounts=c.payment_accounts,
            gift_cards=c.gift_cards,
        )
        for _ in range(2)
    ]
    assert outcomes == ["refunded", "nothing"]
    card = data.gift_cards.get(card_id)
    assert card is not None and card.balance == 5000
    day = today(ctx).isoformat()
    figures = live.call("GET", f"/v1/takings/{day}", auth=tenant["secret_key"]).data
    [gift] = [m for m in figures["methods"] if m["method"] == "gift_card"]
    assert (gift["taken"], gift["given_back"], gift["net"]) == (4000, 4000, 0)
    assert figures["entry_count"] == 3  # the card's sale in cash, its spend, its return


def test_one_sale_sent_twice_at_once_sells_one_card_and_answers_it_to_both(live, monkeypatch):
    """A double click (or a client retrying) sends the desk's sale twice with one
    Idempotency-Key: both read no card, one commits, the other's conditional put is refused
    and it answers the card sold (probe of 2026-12-03: 409 `gift_card_exists`)."""
    from chalicelib.customers.domain.gift_cards import Person
    from chalicelib.customers.services.gift_cards import Sale, sell_at_desk

    tenant = live.signup("giftdouble")
    live.provision(tenant["tenant_id"])
    c = bootstrap.container()
    t = c.platform.get_tenant(tenant["tenant_id"])
    data = c.tenant_data.for_tenant(t)
    sale = Sale(5000, Person("Bea", "bea@example.com"), Person("Rex", "rex@example.com"))

    def sell(ctx: TenantContext, n: int) -> object:
        return sell_at_desk(ctx, "gc_double", sale, tender="cash", secrets=c.manage_token_secret)

    answers = two_desks_at_once(monkeypatch, t, sell)  # both read "no card yet" first
    assert not [a for a in answers.values() if isinstance(a, Exception)], answers
    assert len({(a.card.id, a.code) for a in answers.values()}) == 1, answers  # type: ignore[union-attr]
    assert [e.amount for e in data.gift_cards.ledger("gc_double", limit=10)] == [5000]
