"""A stay's cancellation tiers count from its check-in time on the arrival day, not from the
local midnight its line starts at: an outside tester's guest cancelling 31 hours before a
15:00 check-in, under "everything back up to 24 hours before", was charged the whole stay
(16 hours before the midnight). The reminders and the no-show rule counted from check-in
already; now the money does too, in the business's zone, across a clock change as well."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from chalicelib.booking.domain.orders import Channel, Customer
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.booking import HoldInput, LineInput, hold_order
from chalicelib.catalog.domain.catalog import CancellationPolicy, RefundTier
from chalicelib.kernel.domain.stay_times import first_instant_from
from chalicelib.kernel.domain.timefmt import parse
from tests.builders import Shop, day_tour, departure, room_type, stay_offering
from tests.node_ts import NEEDS_NODE, run_ts

FREE_UNTIL_A_DAY_BEFORE = CancellationPolicy((RefundTier(0, 0), RefundTier(24, 10000)))


def confirmed_stay(tz: str, now: str, check_in: date) -> Shop:
    shop = Shop(tz=tz, now=now)
    shop.add(room_type(rooms=1), stay_offering(cancellation=FREE_UNTIL_A_DAY_BEFORE))
    hold = HoldInput(
        Customer("Ada", "ada@example.com"), [LineInput("off_stay", check_in=check_in)], Channel.API
    )
    hold_order(shop.ctx, shop.cache, hold, order_id="ord_1")
    order_service.confirm(shop.ctx, "ord_1")
    return shop


def fee_at(shop: Shop, at: str) -> int:
    shop.clock.moment = parse(at if at.endswith("Z") else f"{at}:00.000000Z")
    quoted = order_service.cancel(shop.ctx, shop.cache, "ord_1", quote=True)
    assert quoted.cancellation is not None
    return int(quoted.cancellation["policy_fee"])


@pytest.mark.parametrize(
    ("tz", "check_in", "free", "charged"),
    [
        # New York, check-in 15:00 (20:00Z) on Dec 24: free until 20:00Z on Dec 23. At 12:00Z
        # the midnight (05:00Z) is 17 hours away, the check-in 32.
        (
            "America/New_York",
            date(2026, 12, 24),
            "2026-12-23T12:00:00.000000Z",
            "2026-12-23T20:01:00.000000Z",
        ),
        # Berlin's spring change on Mar 28, 2027: check-in 15:00 CEST is 13:00Z; a day before
        # is 13:00Z on Mar 27 (a 23-hour day between: counted in real hours).
        (
            "Europe/Berlin",
            date(2027, 3, 28),
            "2027-03-27T12:59:00.000000Z",
            "2027-03-27T13:01:00.000000Z",
        ),
    ],
)
def test_the_tiers_count_from_the_check_in_time(tz, check_in, free, charged):
    shop = confirmed_stay(tz, "2026-11-24T09:00:00.000000Z", check_in)
    total = shop.data.orders.get("ord_1").total
    assert fee_at(shop, free) == 0
    assert fee_at(shop, charged) == total


def test_a_timed_line_still_counts_from_its_start():
    """Only nights move to the check-in time: a departure at 08:00 (13:00Z) counts from 08:00
    (the tour's tiers: everything back from 72 hours, half from 24, nothing after)."""
    shop = Shop(tz="America/New_York").add(departure(), day_tour())
    start = datetime(2026, 12, 12, 8, 0)
    hold = HoldInput(
        Customer("Ada", "ada@example.com"), [LineInput("off_tour", start=start)], Channel.API
    )
    hold_order(shop.ctx, shop.cache, hold, order_id="ord_1")
    order_service.confirm(shop.ctx, "ord_1")
    total = shop.data.orders.get("ord_1").total
    assert fee_at(shop, "2026-12-11T12:59:00.000000Z") == total // 2
    assert fee_at(shop, "2026-12-11T13:01:00.000000Z") == total


@NEEDS_NODE
def test_the_widget_counts_a_stay_from_the_same_check_in_instant(tmp_path):
    """The manage page offers a move only while cancelling is free (web/widget/moving.ts): it
    counts from the instant the API does, in the business's zone, both sides of a change."""
    cases = {
        "ny": ("2026-12-24", "15:00", "America/New_York"),
        "berlin": ("2027-03-28", "15:00", "Europe/Berlin"),  # the spring change's day
        "before": ("2027-03-27", "15:00", "Europe/Berlin"),
        "howe": ("2027-10-03", "14:00", "Australia/Lord_Howe"),  # a half-hour change
    }
    at = run_ts(tmp_path, "web/shared/format.ts", "f", {k: _wall(*v) for k, v in cases.items()})
    assert at == {
        "ny": "2026-12-24T20:00:00.000Z",
        "berlin": "2027-03-28T13:00:00.000Z",
        "before": "2027-03-27T14:00:00.000Z",
        "howe": "2027-10-03T03:00:00.000Z",
    }
    for key, (day, hhmm, zone) in cases.items():  # as the API counts
        h, m = map(int, hhmm.split(":"))
        api = first_instant_from(date.fromisoformat(day), h * 60 + m, zone)
        assert at[key] == api.isoformat().replace("+00:00", ".000Z")


def _wall(day: str, hhmm: str, zone: str) -> str:
    return f'new Date(f.wallInstant("{day}", "{hhmm}", "{zone}")).toISOString()'


@NEEDS_NODE
def test_the_widget_offers_a_stay_its_move_until_a_day_before_check_in(tmp_path):
    """The manage page's rule (cancellingCostsNow): a New York stay from Dec 24, check-in
    15:00 (20:00Z), free up to 24 hours before. At 12:00Z on Dec 23 the midnight is 17 hours
    away but the check-in 32: still free, so the move is offered; from 20:01Z it costs."""
    order = {
        "status": "confirmed",
        "totals": {"total": 12000},
        "lines": [
            {"offering_id": "off_stay", "nights": 1, "date": "2026-12-24",
             "start_utc": "2026-12-24T05:00:00Z"},
        ],
    }  # fmt: skip
    offering = {"id": "off_stay", "cancellation": [{"hours_before": 24, "refund_bp": 10000}]}
    tenant = {"timezone": "America/New_York", "stay_times": {"check_in_time": "15:00"}}
    args = f"{json.dumps(order)}, {json.dumps(offering)}, {json.dumps(tenant)}"
    costs = run_ts(
        tmp_path,
        "web/widget/moving.ts",
        "m",
        {
            at: f'm.cancellingCostsNow({args}, Date.parse("{at}"))'
            for at in ("2026-12-23T12:00:00Z", "2026-12-23T20:01:00Z")
        },
    )
    assert costs == {"2026-12-23T12:00:00Z": False, "2026-12-23T20:01:00Z": True}


@NEEDS_NODE
def test_the_widget_judges_a_move_by_the_terms_the_booking_kept(tmp_path):
    """A clinic made its policy stricter after Clara booked with free cancellation up to 48
    hours: the manage page read the offering's new tiers, said a move needed the business and
    hid it, while its cancel dialog (the API's quote, by her kept terms) said it was free (an
    outside tester's). A line that kept no terms reads the offering's."""
    line = {"offering_id": "off_physio", "nights": 0, "start_utc": "2026-12-10T10:00:00Z"}
    kept = [{"hours_before": 48, "refund_bp": 10000}, {"hours_before": 0, "refund_bp": 5000}]
    stricter = [{"hours_before": 168, "refund_bp": 10000}, {"hours_before": 0, "refund_bp": 0}]
    offering = {"id": "off_physio", "cancellation": stricter}
    tenant = {"timezone": "Europe/Berlin"}

    def order(cancellation):
        return {
            "status": "confirmed",
            "totals": {"total": 8000, "paid": 2000},
            "lines": [{**line, "cancellation": cancellation}],
        }

    at = 'Date.parse("2026-12-06T10:00:00Z")'  # four days before: free by hers, not by the new
    costs = run_ts(
        tmp_path,
        "web/widget/moving.ts",
        "m",
        {
            name: f"m.cancellingCostsNow({json.dumps(order(c))}, {json.dumps(offering)}, "
            f"{json.dumps(tenant)}, {at})"
            for name, c in (("kept", kept), ("none kept", None))
        },
    )
    assert costs == {"kept": False, "none kept": True}
