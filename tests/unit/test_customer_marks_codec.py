"""A customer record's event marks through its codec: what a merge hands a record from before
the marks."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.customers.adapters.customer_codec import customer_from, customer_json
from chalicelib.customers.services.records import joined_marks
from tests.unit.test_customer_codec import FULL


def test_a_record_from_before_the_marks_keeps_the_marks_a_merge_handed_it():
    """A merge's winner written before records kept their marks (`counted_since` None) takes
    the loser's marks (`joined_marks`: since stays None); its document must keep them, or an
    event the loser counted is counted again once its order is the winner's."""
    old = replace(FULL, counted=(), counted_since=None)
    loser = replace(FULL, id="cus_b", counted=(("evt_1", 2_000_000_000),), counted_since="")
    merged = replace(old, **joined_marks(old, loser))  # type: ignore[arg-type]
    assert merged.counted_since is None and merged.counted == (("evt_1", 2_000_000_000),)
    again = customer_from(customer_json(merged), merged.version)
    assert again.counted == merged.counted
    assert again.counted_since is None
    assert customer_from(customer_json(old), old.version) == old  # nothing added to an old one
