"""The manage page's `next_due_at` after a declined try (FIX-LEFT, item 2;
payments/services/pay_balance.py): the retry the schedule made, counted by the same rules,
across a daylight-saving change and for a due already past when the booking was confirmed
(its first try a minute after the confirmation, its retries from that day)."""

from __future__ import annotations

from datetime import date, datetime

from chalicelib.booking.services.own_orders import issue_token
from chalicelib.kernel.domain.calendar import iso_utc
from chalicelib.payments.domain.collection import collect_instant, tries_of
from chalicelib.payments.services.collect import collect_due
from chalicelib.payments.services.pay_balance import what_is_owed
from chalicelib.queues import REMINDERS
from tests.fakes import FakeContainer
from tests.unit.test_collection_service import CollectingShop

BERLIN = "Europe/Berlin"


def test_the_tries_of_a_due_across_the_spring_change_stay_at_nine_local() -> None:
    first = collect_instant(date(2027, 3, 27), BERLIN)  # CET: 08:00 UTC
    start = datetime.fromisoformat("2027-04-05T22:00+00:00")
    assert [iso_utc(t) for t in tries_of(first, BERLIN, before=start)] == [
        "2027-03-27T08:00Z",
        "2027-03-28T07:00Z",  # CEST from that day
        "2027-03-30T07:00Z",
    ]
    close = datetime.fromisoformat("2027-03-29T22:00+00:00")  # no room for the third
    assert len(tries_of(first, BERLIN, before=close)) == 2


def test_a_due_already_past_at_confirmation_names_the_retry_after_its_first_try() -> None:
    shop = CollectingShop()
    shop.at("2026-12-19T20:00:00.000000Z")  # the balance was due on the 17th: booked late
    shop.book_and_pay()
    [soon] = shop.bus.take(REMINDERS.name)  # tried a minute after the confirmation
    shop.card_starts_declining()
    shop.at("2026-12-19T20:01:05.000000Z")
    assert collect_due(shop.ctx, soon, shop.deps) == "retry"
    told = shop.last("PaymentDue")["next_try_at"]
    assert told == "2026-12-20T08:00:00.000000Z"  # 09:00 in Berlin the day after
    secret = FakeContainer().manage_token_secret
    token = issue_token(shop.ctx, secret, shop.order())
    owed = what_is_owed(shop.ctx, secret, "ord_1", token, cache=shop.cache)
    assert owed.owed == 16800 and owed.next_due_at == told
