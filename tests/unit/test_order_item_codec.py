"""The order's document in its item: compressed (`docz`), read back whole, and items written
before compression (`doc`, the JSON as text) still read."""

from __future__ import annotations

import json

from chalicelib.booking.adapters.codec import order_attribute, order_doc, order_of_item
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
    assert len(compressed) < 600  # ...compressed, room for keys and index keys under 1 KB
