"""A coupon's new limit on DynamoDB Local: the write of new terms is conditional on the uses
bookings hold meanwhile, so a limit checked against a stale read (one use, then a booking took
a second) is refused rather than written below the count; a limit the uses allow is written.
Offerings named by new terms must be the business's (read from the real catalog)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.booking.domain.redemptions import RedemptionAsk
from chalicelib.customers.domain.coupons import CouponKind
from chalicelib.customers.services.coupons import change_coupon, create_coupon
from chalicelib.kernel.domain.errors import Conflict, InvalidInput
from tests.integration.support import live_hotel
from tests.integration.test_redemptions_live import ADA, book, context


def test_a_limit_read_before_a_booking_took_a_use_is_not_written_below_it(live):
    container, tenant, data = live_hotel(live, "couponlimit", rooms=5)
    ctx = context(container, tenant)
    create_coupon(ctx, "FIVE", kind=CouponKind.AMOUNT, value=500, max_uses=5)
    book(container, tenant, 1, RedemptionAsk(codes=("FIVE",)))
    stale = data.coupons.get("FIVE")
    assert stale is not None and stale.used == 1
    book(
        container,
        tenant,
        2,
        RedemptionAsk(codes=("FIVE",)),
        customer=replace(ADA, email="bo@example.com"),
    )

    lower = replace(stale, max_uses=1, version=stale.version + 1)
    with pytest.raises(Conflict) as refused:
        data.coupons.update(lower, expected_version=stale.version)
    assert refused.value.code == "version_mismatch"
    kept = data.coupons.get("FIVE")
    assert kept is not None and (kept.max_uses, kept.used) == (5, 2)

    with pytest.raises(Conflict) as below:
        change_coupon(ctx, "FIVE", {"max_uses": 1}, None)
    assert below.value.code == "coupon_max_below_uses"
    assert change_coupon(ctx, "FIVE", {"max_uses": 2}, None).max_uses == 2
    with pytest.raises(InvalidInput) as unknown:
        change_coupon(ctx, "FIVE", {"offering_ids": ("off_nope",)}, None)
    assert unknown.value.details["offering_ids"] == ["off_nope"]
