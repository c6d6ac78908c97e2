"""A channel manager's reservation bills the partner's price on DynamoDB Local: the order as
stored (its folio's Channel rate line, its partner's price) reads back with the partner's
total, a creation delivered again adds no second line, a modification replaces it, and the
reference's entry (PREF#) that the month's statement reads carries the new total, its
commission and the partner's new price."""

from __future__ import annotations

import json
from datetime import date, timedelta

from chalicelib.booking.domain.partner_refs import booked_month
from chalicelib.channels.services import inbound
from chalicelib.channels.services.inbound_apply import Answer
from chalicelib.channels.services.inbound_price import is_channel_rate
from chalicelib.channels.services.statements import monthly_statement
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.services.context import system_context
from chalicelib.webhooks.domain.webhooks import signature_header
from tests.channel_inbound_support import channel_manager
from tests.integration.support import live_hotel

SECRET = "whsec_price_live"
CONN = "chn_price_live"


def _message(event_id: str, kind: str, sent_at: str, arrival: date, nights: int, amount: int):
    return {
        "event_id": event_id,
        "type": kind,
        "sent_at": sent_at,
        "reservation": {
            "id": "BDC-LIVE-1",
            "room_type": "DBL",
            "arrival": arrival.isoformat(),
            "departure": (arrival + timedelta(days=nights)).isoformat(),
            "guests": {"adults": 2},
            "guest": {"name": "Ana Lima", "email": "ana@example.com"},
            "price": {"amount": amount, "currency": "EUR"},
        },
    }


def test_the_stored_order_bills_the_partners_price_through_a_repeat_and_a_change(live):
    c, t, data = live_hotel(live, "inbprice", rooms=2)
    data.connections.put(
        channel_manager(CONN, c.now(), commission_bp=1200), expected_version=None, secret=SECRET
    )

    def ctx():
        return system_context(t, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)

    def send(doc: dict) -> Answer:
        raw = json.dumps(doc).encode()
        stamp = int(parse(c.now()).timestamp())
        header = signature_header([SECRET], stamp, raw)
        return inbound.receive(ctx(), c.catalog_cache, CONN, raw, header)

    arrival = date.today() + timedelta(days=40)
    created = _message("l1", "reservation.created", "2026-11-24T08:00:00Z", arrival, 2, 20000)
    made = send(created)
    assert made.status.value == "applied"
    again = send({**created, "event_id": "l2"})  # the channel manager re-sent it
    assert (again.status.value, again.order_id) == ("duplicate", made.order_id)

    order = data.orders.get(made.order_id)
    assert order.lines_total == 24000 and order.total == 20000
    assert [(x.kind.value, x.total, x.live) for x in order.charges] == [("discount", 4000, True)]
    assert (order.partner.price, order.partner.price_currency) == (20000, "EUR")

    changed = _message("l3", "reservation.modified", "2026-11-24T08:05:00Z", arrival, 3, 39000)
    assert send(changed).status.value == "applied"
    order = data.orders.get(made.order_id)
    assert order.lines_total == 36000 and order.total == 39000
    live_lines = [(x.kind.value, x.total) for x in order.charges if x.live]
    assert live_lines == [("charge", 3000)] and all(is_channel_rate(x) for x in order.charges)
    assert (order.partner.price, order.partner.price_currency) == (39000, "EUR")

    month = booked_month(order.created_at, t.timezone)
    [line] = monthly_statement(ctx(), CONN, month).lines
    assert (line.order_id, line.total, line.commission) == (order.id, 39000, 39000 * 1200 // 10000)
    assert (line.price, line.price_currency) == (39000, "EUR")
