"""A table (or a chair) turned early is free again: checking out an appointment before its
booked end gives back the slots not yet over, so the desk can seat a walk-in there (an
outside tester's restaurant table, cleared an hour early, stayed taken to its booked end);
the booking keeps its time and price, and the units held still add up."""

from __future__ import annotations

from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_desk_reschedule_api import buckets, salon

__all__ = ["salon"]  # the fixture, imported for these tests


def book(api, tenant, local_start: str, name: str = "Ada") -> dict:
    body = {
        "customer": {"name": name, "email": f"{name.lower()}@example.com"},
        "lines": [
            {"offering_id": "off_cut", "start": local_start, "resource_ids": {"0": "res_alex"}}
        ],
    }
    r = api.call("POST", "/v1/orders", auth=tenant["secret_key"], body=body)
    if r.status_code != 201:
        return dict(r.data | {"status_code": r.status_code})
    confirmed = api.call("POST", f"/v1/orders/{r.data['id']}/confirm", auth=tenant["secret_key"])
    assert confirmed.status_code == 200, confirmed.body
    return dict(confirmed.data)


def check_out(api, tenant, order_id: str) -> dict:
    sk = tenant["secret_key"]
    assert api.call("POST", f"/v1/orders/{order_id}/check-in", auth=sk).status_code == 200
    done = api.call(
        "POST", f"/v1/orders/{order_id}/complete", auth=sk, body={"leave_balance_open": True}
    )
    assert done.status_code == 200, done.body
    return dict(done.data)


def invariant(api, tenant) -> dict:
    r = api.call(
        "GET",
        "/v1/admin/invariant?from=2026-11-24&to=2026-11-25",
        auth=tenant["secret_key"],
    )
    assert r.status_code == 200, r.body
    return dict(r.data)


def test_a_chair_checked_out_early_is_free_for_the_next_walk_in(api, salon):
    forbid_server_errors(api)
    # The test clock is 10:00 in Berlin: a cut at 10:30 (45 minutes, 15 to tidy up).
    first = book(api, salon, "2026-11-24T10:30")
    assert book(api, salon, "2026-11-24T10:45", "Bo")["status_code"] == 409
    api.container.clock.advance(45 * 60)  # 10:45: done a quarter of an hour early

    done = check_out(api, salon, first["id"])

    assert done["status"] == "completed"
    assert done["lines"][0]["start"] == first["lines"][0]["start"]  # what was sold stays
    assert done["totals"] == first["totals"]
    held = buckets(api, salon)
    assert held[("res_alex", "S#2026-11-24T09:30Z")] == 1  # the quarter hour it was used
    assert not held.get(("res_alex", "S#2026-11-24T09:45Z"))
    walk_in = book(api, salon, "2026-11-24T10:45", "Bo")
    assert walk_in["status"] == "confirmed", walk_in
    report = invariant(api, salon)
    assert report["ok"] is True, report["differences"]


def test_a_chair_checked_out_on_time_gives_back_nothing_and_again_changes_nothing(api, salon):
    forbid_server_errors(api)
    first = book(api, salon, "2026-11-24T10:30")
    api.container.clock.advance(2 * 60 * 60)  # 12:00: over, its tidying too
    before = buckets(api, salon)
    done = check_out(api, salon, first["id"])
    assert buckets(api, salon) == before
    again = api.call(
        "POST",
        f"/v1/orders/{first['id']}/complete",
        auth=salon["secret_key"],
        body={"leave_balance_open": True},
    )
    assert again.status_code == 200 and again.data["version"] == done["version"]
    assert invariant(api, salon)["ok"] is True
    # Checked out, it is not moved back into the slots it gave up.
    assert_error(
        api.call(
            "POST",
            f"/v1/orders/{first['id']}/reschedule",
            auth=salon["secret_key"],
            body={"lines": [{"offering_id": "off_cut", "start": "2026-11-24T13:00"}]},
            headers={"If-Match": f'"{done["version"]}"'},
        ),
        409,
    )


def test_a_line_not_begun_keeps_its_slots_when_the_order_is_checked_out(api, salon):
    """A reviewer's: two cuts in one order, 10:30 and 15:00; checking out at 10:45 freed the
    15:00 one too, which could then be sold again while the guest still held it."""
    forbid_server_errors(api)
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [
            {"offering_id": "off_cut", "start": start, "resource_ids": {"0": "res_alex"}}
            for start in ("2026-11-24T10:30", "2026-11-24T15:00")
        ],
    }
    sk = salon["secret_key"]
    made = api.call("POST", "/v1/orders", auth=sk, body=body)
    assert made.status_code == 201, made.body
    assert api.call("POST", f"/v1/orders/{made.data['id']}/confirm", auth=sk).status_code == 200
    api.container.clock.advance(45 * 60)
    check_out(api, salon, made.data["id"])
    held = buckets(api, salon)
    assert not held.get(("res_alex", "S#2026-11-24T09:45Z"))  # the first, turned early
    assert held[("res_alex", "S#2026-11-24T14:00Z")] == 1  # the second, still the guest's
    assert book(api, salon, "2026-11-24T15:00", "Bo")["status_code"] == 409
    assert invariant(api, salon)["ok"] is True


def test_a_partner_selling_the_chair_hears_of_the_slots_given_back(api, salon):
    """A reviewer's: the channel consumer heard of no completion, so a partner selling the
    stylist kept the freed slots as sold until some other change."""
    partner_hears_of(api, salon, lambda order_id: check_out(api, salon, order_id), 45 * 60)


def partner_hears_of(api, salon, step, after: int) -> None:
    """A partner selling Alex's chair hears of what `step` did to a cut at 10:30, `after`
    seconds past 10:00."""
    from chalicelib.channels.domain.connections import ChannelMapping
    from chalicelib.queues import CHANNEL_UPDATES
    from tests.api.support import deliver_events_times
    from tests.api.test_channel_outbound_api import connect, run_updates, window_marks

    forbid_server_errors(api)
    cut = ChannelMapping(partner_id="CUT", offering_id="off_cut", resource_id="res_alex")
    connect(api, salon, "chn_cm", mappings=(cut,))
    first = book(api, salon, "2026-11-24T10:30")
    deliver_events_times(api, 1)
    run_updates(api)  # the hold's update sent
    assert api.container.bus.take(CHANNEL_UPDATES.name) == []
    api.container.clock.advance(after)
    step(first["id"])
    api.container.clock.advance(30)
    deliver_events_times(api, 1)
    resources, days = window_marks(api, salon)
    assert "res_alex" in resources and "2026-11-24" in days
    assert api.container.bus.take(CHANNEL_UPDATES.name)  # the window's update is queued
