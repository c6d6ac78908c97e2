"""The order's document in its item: compressed (`docz`, from a preset dictionary), read back
whole, and items written before (`docz` without the dictionary, `doc` as text) still read."""

from __future__ import annotations

import hashlib
import json
import zlib

from chalicelib.booking.adapters.codec import (
    ORDER_DICTIONARY,
    order_attribute,
    order_doc,
    order_of_item,
)
from chalicelib.booking.adapters.folio_codec import redemptions_doc, redemptions_from
from chalicelib.booking.adapters.payments_codec import refunds_doc, refunds_from
from chalicelib.booking.domain.payment_records import Refund
from chalicelib.booking.domain.redemptions import Redemption, RedemptionKind
from tests.stage import Stage


def test_a_compressed_order_reads_back_as_the_same_order():
    order = Stage().book()
    item = {"pk": {"S": f"ORD#{order.id}"}, **order_attribute(order)}
    assert order_of_item(item) == order


def test_an_order_written_before_compression_still_reads():
    order = Stage().book()
    legacy = {"doc": {"S": json.dumps(order_doc(order))}}
    assert order_of_item(legacy) == order


def test_a_typical_order_item_fits_in_one_write_unit():
    order = Stage().book()
    text = json.dumps(order_doc(order), separators=(",", ":"))
    compressed = order_attribute(order)["docz"]["B"]
    assert len(text) > 900  # the JSON alone, with the keys, makes a 2 KB item...
    # ...compressed from the dictionary, ample room for the keys and index keys under 1 KB
    # (about 450 bytes of them: a booking's hold and confirmation write 1 KB, not 2, each)
    assert len(compressed) < 400


def test_an_order_compressed_before_the_dictionary_still_reads():
    order = Stage().book()
    text = json.dumps(order_doc(order), separators=(",", ":"))
    before = {"docz": {"B": zlib.compress(text.encode(), 9)}}
    assert order_of_item(before) == order


def test_the_dictionary_never_changes_since_orders_are_stored_with_it():
    # Orders written with it are read with it: a new dictionary needs a new attribute.
    digest = hashlib.sha256(ORDER_DICTIONARY).hexdigest()
    assert digest == "71a0bba4f29a09c7ebb1f9a7f5cf47761942e232d5a38586df3fe69d34724c7a"


def test_a_staff_refund_through_stripe_keeps_who_asked_for_it():
    """An outside tester's manager refunded to the card and the record read back with no
    `taken_by` (only desk money kept it), so the console's "Recorded by" was blank."""
    asked = Refund(
        "re_1",
        "pi_1",
        1000,
        "Goodwill",
        "succeeded",
        "2026-12-05T10:00:00Z",
        taken_by="frontdesk@harbour-view.example",
        request="k1:pi_1",
    )
    by_stripe = Refund(
        "re_2", "pi_1", 500, "Refunded in Stripe", "succeeded", "2026-12-05T11:00:00Z"
    )
    assert refunds_from(refunds_doc((asked, by_stripe))) == (asked, by_stripe)
    assert "by" not in refunds_doc((by_stripe,))[0]  # nothing stored for nobody


def test_a_coupons_terms_as_booked_are_kept_and_an_older_redemption_reads_without_them():
    code = Redemption(RedemptionKind.COUPON, "WINTER", "cus_1", 500, terms="percent|500|0|")
    points = Redemption(RedemptionKind.POINTS, "", "cus_1", 120, points=12)
    assert redemptions_from(redemptions_doc((code, points))) == (code, points)
    older = [["coupon", "WINTER", "cus_1", 500, 0]]
    assert redemptions_from(older) == (Redemption(RedemptionKind.COUPON, "WINTER", "cus_1", 500),)
