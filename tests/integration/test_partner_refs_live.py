"""A partner's reference on DynamoDB Local: two holds sent at once under the same reference
(a partner retrying a booking whose answer it never got) make one order; the other is refused
with PartnerReferenceTaken naming that order, and took nothing. Ten rounds. Then the
connection store's conditions, and a month's statement read from the index."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from chalicelib.booking.domain.orders import Channel, Customer, Order
from chalicelib.booking.domain.partner_refs import PartnerRef, PartnerReferenceTaken
from chalicelib.booking.services import invariant, orders
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.channels.domain.connections import (
    ChannelMapping,
    Connection,
    ConnectionKind,
    ConnectionStatus,
    Settlement,
)
from chalicelib.channels.services.partner_orders import order_by_reference
from chalicelib.channels.services.statements import monthly_statement
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.timefmt import month_of
from chalicelib.kernel.services.context import system_context
from tests.integration.support import live_hotel
from tests.integration.test_room_race_live import race

ROUNDS = 10


def _ctx(c, t):
    return system_context(t, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)


def _hold(c, t, reference: str, who: str, check_in: date) -> Order:
    ref = PartnerRef("chn_exp", "Expedia", reference, commission_bp=1500)
    line = LineInput("off_stay", check_in=check_in, nights=2)
    request = HoldInput(Customer(who, f"{who}@example.com"), [line], Channel.PARTNER, partner=ref)
    return hold_order(_ctx(c, t), c.catalog_cache, request, order_id=f"ord_{c.new_id()}")


@pytest.mark.slow
def test_two_holds_under_one_partner_reference_make_one_order(live):
    c, t, data = live_hotel(live, "prefrace", rooms=10)
    first = date.today() + timedelta(days=30)
    for n in range(ROUNDS):
        reference = f"EXP-{n}"
        night = first + timedelta(days=3 * n)
        results = race({w: lambda w=w, r=reference, d=night: _hold(c, t, r, w, d) for w in "ab"})

        made = [r for r in results.values() if isinstance(r, Order)]
        refused = [r for r in results.values() if not isinstance(r, Order)]
        assert len(made) == 1 and len(refused) == 1, results
        (order,) = made
        (refusal,) = refused
        assert isinstance(refusal, PartnerReferenceTaken), results
        assert refusal.existing_order_id == order.id
        assert data.partner_refs.order_id_for("chn_exp", reference) == order.id
        # Only the order's two nights are taken: the refused hold wrote nothing.
        used = data.orders.used(
            "res_double", f"N#{night}", f"N#{night + timedelta(days=1)}", consistent=True
        )
        assert sorted(used.values()) == [1, 1], used

    report = invariant.check_invariant(_ctx(c, t), first, first + timedelta(days=3 * ROUNDS + 2))
    assert report.ok, report


def test_a_retry_after_the_first_answer_names_the_order_and_finds_it(live):
    c, t, data = live_hotel(live, "prefretry", rooms=2)
    night = date.today() + timedelta(days=20)
    order = _hold(c, t, "EXP-R", "ada", night)
    with pytest.raises(PartnerReferenceTaken) as again:
        _hold(c, t, "EXP-R", "ada", night)
    assert again.value.existing_order_id == order.id
    found = order_by_reference(_ctx(c, t), "chn_exp", "EXP-R")
    assert found is not None and found.id == order.id and found.partner == order.partner
    assert order_by_reference(_ctx(c, t), "chn_exp", "EXP-NONE") is None


def test_the_month_statement_is_read_from_the_index_with_the_orders_status(live):
    c, t, data = live_hotel(live, "prefstmt", rooms=5)
    ctx = _ctx(c, t)
    night = date.today() + timedelta(days=25)
    data.connections.put(_connection(c.now()), expected_version=None)
    sold = _hold(c, t, "S-1", "ada", night)
    orders.confirm(ctx, sold.id)
    cancelled = _hold(c, t, "S-2", "bea", night)
    orders.cancel(ctx, c.catalog_cache, cancelled.id)

    s = monthly_statement(ctx, "chn_exp", month_of(sold.created_at))
    assert [(e.reference, e.status, e.commission) for e in s.lines] == [
        ("S-1", "confirmed", sold.total * 1500 // 10000),
        ("S-2", "cancelled", 0),
    ]
    assert [(e.price, e.price_currency) for e in s.lines] == [(None, "")] * 2  # none said
    ((currency, totals),) = s.totals
    assert currency == "EUR" and totals.orders == 1 and totals.total == sold.total


def _connection(at: str) -> Connection:
    return Connection(
        id="chn_exp",
        name="Expedia",
        kind=ConnectionKind.CHANNEL_MANAGER,
        status=ConnectionStatus.ACTIVE,
        settlement=Settlement.PARTNER,
        outbound_url=None,
        events=frozenset({"availability"}),
        created_at=at,
        updated_at=at,
        commission_bp=1500,
        offering_commissions=(("off_stay", 1200),),
        mappings=(ChannelMapping("DBL", "off_stay", "res_double", "NRF"),),
    )


def test_the_connection_store_keeps_versions_and_the_secret_apart(live):
    c, t, data = live_hotel(live, "chnstore", rooms=1)
    store = data.connections
    made = _connection(c.now())
    store.put(made, expected_version=None)
    assert store.get("chn_exp") == made and store.list() == [made]
    assert store.secret("chn_exp") is None
    with pytest.raises(Conflict):
        store.put(made, expected_version=None)  # exists

    keyed = replace(made, secret_set=True, version=2)
    store.put(keyed, expected_version=1, secret="whsec_abc")
    assert store.secret("chn_exp") == "whsec_abc"
    renamed = replace(keyed, name="Expedia EU", version=3)
    store.put(renamed, expected_version=2)  # no secret: the stored one stays
    assert store.secret("chn_exp") == "whsec_abc" and store.get("chn_exp") == renamed
    with pytest.raises(Conflict) as stale:
        store.put(replace(made, version=2), expected_version=1)
    assert stale.value.code == "version_mismatch"
    assert store.get("nope") is None


def test_a_partner_key_keeps_its_connection_in_the_platform_table(live):
    from chalicelib import bootstrap
    from chalicelib.tenancy.domain.keys import KeyKind, KeyScope, generate_key
    from chalicelib.tenancy.domain.staff import Role
    from chalicelib.tenancy.services.auth import authenticate_key

    c, t, _ = live_hotel(live, "pkey", rooms=1)
    platform = bootstrap.container().platform
    key, plaintext = generate_key(
        tenant_id=t.id,
        kind=KeyKind.SECRET,
        name="Partner: Expedia",
        now=c.now(),
        created_by="test",
        role=Role.STAFF,
        scope=KeyScope.PARTNER,
        connection_id="chn_exp",
    )
    platform.put_key(key)
    assert platform.get_key(key.id) == key
    caller = authenticate_key(plaintext, platform=platform, now=c.now())
    assert caller.connection_id == "chn_exp" and caller.scope is KeyScope.PARTNER
    assert caller.tenant.id == t.id and caller.actor.label == f"secret_key:{key.id}"
