"""Request and response models of the inventory invariant's check (booking/api/orders.py)."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from chalicelib.web.models import Day, Out, Query


class InvariantQueryIn(Query):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    from_: Day = Field(alias="from")
    to: Day


class BucketDiffOut(Out):
    resource_id: str
    bucket: str
    stored: int
    expected: int


class InvariantOut(Out):
    ok: bool
    buckets_checked: int
    orders_counted: int
    differences: list[BucketDiffOut]
