"""The hold-expiry sweeper, the backstop for a hold whose delayed message was lost
(booking/services/expiry.py `sweep`, `sweep_due`): it looks at a marked tenant once its mark has
passed and every half hour while it lasts, not every minute, and still expires such a hold at a
quiet business within ten minutes of its end."""

from __future__ import annotations

import pytest

from chalicelib.booking.services.expiry import SWEEP_EVERY_MINUTES, WORK_KIND, sweep, sweep_due
from chalicelib.kernel.domain.timefmt import add_seconds
from tests.api.support import forbid_server_errors
from tests.api.test_orders_api import hotel, order_body  # noqa: F401 - the fixture


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def test_a_marked_tenant_is_due_once_every_half_hour_and_always_once_its_mark_passed():
    start, until = "2026-11-24T09:00:00.000000Z", "2026-11-24T12:00:00.000000Z"
    minutes = [add_seconds(start, 60 * m + 7) for m in range(120)]
    for tenant in ("t1", "t2", "tenant-with-a-longer-id"):
        due = [m for m, now in enumerate(minutes) if sweep_due(tenant, until, now)]
        assert len(due) == 120 // SWEEP_EVERY_MINUTES
        assert {b - a for a, b in zip(due, due[1:], strict=False)} == {SWEEP_EVERY_MINUTES}
        assert sweep_due(tenant, until, until) and sweep_due(tenant, until, add_seconds(until, 1))
    firsts = {
        next(m for m, now in enumerate(minutes) if sweep_due(t, until, now))
        for t in (f"t{n}" for n in range(40))
    }
    assert len(firsts) > 3  # tenants are spread over the minutes, not all swept at once


def test_a_hold_whose_message_was_lost_ends_within_ten_minutes_and_its_tenant_is_looked_at_rarely(
    api,
    hotel,  # noqa: F811
    monkeypatch,
):
    c = api.container
    placed = api.call("POST", "/v1/orders", auth=hotel["secret_key"], body=order_body())
    order = placed.data
    assert placed.status_code == 201 and order["status"] == "held"
    # The hold's delayed expiry message is never delivered here: only the sweeper can end it.
    platform = _Looked(c.platform, c.clock)
    store = c.tenant_data.for_tenant_id(hotel["tenant_id"]).orders
    expired_holds = store.expired_holds

    def looked(now, *, part="", limit=100):
        platform.looks.append(c.clock())
        return expired_holds(now, part=part, limit=limit)

    monkeypatch.setattr(store, "expired_holds", looked)
    ended_at = None
    for _ in range(60):
        c.clock.advance(60)
        sweep(platform=platform, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
        got = api.call("GET", f"/v1/orders/{order['id']}", auth=hotel["secret_key"]).data
        if ended_at is None and got["status"] == "expired":
            ended_at = c.clock()
    looks = platform.looks

    assert ended_at is not None
    assert order["hold_expires_at"] < ended_at <= add_seconds(order["hold_expires_at"], 600)
    # The mark lasts the hold and ten minutes more (25 minutes): looked at once when it has
    # passed, and at most once more before (half-hourly), where a look every minute was 25;
    # then the mark is gone and nothing more is looked at.
    assert 1 <= len(looks) <= 2, looks
    # The tenant's record is read only by the look that found the hold overdue.
    assert platform.tenant_reads == [looks[-1]]
    assert WORK_KIND not in {k for k, _, _ in c.platform.work}


class _Looked:
    """The platform, counting the tenant records the sweeper reads (`looks`: the test counts
    its looks at the tenant's open holds)."""

    def __init__(self, platform, clock):
        self._platform, self._clock = platform, clock
        self.looks: list[str] = []
        self.tenant_reads: list[str] = []

    def get_tenant(self, tenant_id):
        self.tenant_reads.append(self._clock())
        return self._platform.get_tenant(tenant_id)

    def __getattr__(self, name):
        return getattr(self._platform, name)


def test_a_mark_written_before_parts_covers_every_shard_of_the_tenants_holds(api, hotel):  # noqa: F811
    c = api.container
    placed = api.call("POST", "/v1/orders", auth=hotel["secret_key"], body=order_body()).data
    # As a mark from before parts: the tenant's whole work, no part named.
    c.platform.work.clear()
    until = add_seconds(placed["hold_expires_at"], 600)
    c.platform.mark_work(WORK_KIND, hotel["tenant_id"], until)
    c.clock.advance(26 * 60)

    swept = sweep(platform=c.platform, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)

    assert swept == {hotel["tenant_id"]: 1}
    got = api.call("GET", f"/v1/orders/{placed['id']}", auth=hotel["secret_key"]).data
    assert got["status"] == "expired" and not c.platform.work


def test_a_mark_of_a_tenant_whose_table_is_gone_is_cleared_after_reading_its_record(api):
    """The look reads the part by the tenant's id first; a table not there falls back to the
    tenant's record, as the look did before: an unknown tenant's mark is cleared."""
    c = api.container
    until = add_seconds(c.now(), -60)
    c.platform.mark_work(WORK_KIND, "t_gone", until, "3")
    platform = _Looked(c.platform, c.clock)

    swept = sweep(platform=platform, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)

    assert swept == {}
    assert platform.tenant_reads == [c.clock()]
    assert not [m for m in c.platform.marked(WORK_KIND) if m.tenant_id == "t_gone"]
