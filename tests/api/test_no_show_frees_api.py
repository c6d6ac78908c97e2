"""A no-show's table (or chair) is free again: marking the party that never came gives back
the slots not yet over, so the desk can seat a walk-in there (an outside restaurant tester's
table stayed "taken" for the whole booked time); the undo takes them again while they are
free, and says so when another booking has one since. The units held still add up."""

from __future__ import annotations

from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_desk_reschedule_api import buckets, salon
from tests.api.test_turned_early_api import book, invariant, partner_hears_of

__all__ = ["salon"]  # the fixture, imported for these tests


def no_show(api, tenant, order_id: str) -> dict:
    r = api.call("POST", f"/v1/orders/{order_id}/no-show", auth=tenant["secret_key"])
    assert r.status_code == 200, r.body
    return dict(r.data)


def test_a_no_show_frees_the_chair_for_a_walk_in_and_the_undo_takes_it_again(api, salon):
    forbid_server_errors(api)
    # The test clock is 10:00 in Berlin: a cut at 10:30 (45 minutes, 15 to tidy up).
    first = book(api, salon, "2026-11-24T10:30")
    api.container.clock.advance(40 * 60)  # 10:40: ten minutes late, marked a no-show
    marked = no_show(api, salon, first["id"])

    assert marked["status"] == "no_show"
    assert marked["lines"][0]["start"] == first["lines"][0]["start"]  # what was sold stays
    held = buckets(api, salon)
    assert not held.get(("res_alex", "S#2026-11-24T09:30Z"))  # under way: free now
    assert not held.get(("res_alex", "S#2026-11-24T09:45Z"))  # and the rest of its time
    assert invariant(api, salon)["ok"] is True
    again = api.call("POST", f"/v1/orders/{first['id']}/no-show", auth=salon["secret_key"])
    assert again.status_code == 200 and again.data["version"] == marked["version"]  # a retry

    undone = api.call(
        "POST", f"/v1/orders/{first['id']}/no-show/undo", auth=salon["secret_key"]
    )  # the guest came after all, before anyone had the chair

    assert undone.status_code == 200, undone.body
    assert undone.data["status"] == "confirmed"
    held = buckets(api, salon)
    assert held[("res_alex", "S#2026-11-24T09:30Z")] == 1
    assert held[("res_alex", "S#2026-11-24T10:15Z")] == 1  # the tidying-up after it too
    assert book(api, salon, "2026-11-24T10:45", "Bo")["status_code"] == 409
    assert invariant(api, salon)["ok"] is True


def test_an_undo_after_the_chair_went_to_a_walk_in_is_refused_and_changes_nothing(api, salon):
    forbid_server_errors(api)
    first = book(api, salon, "2026-11-24T10:30")
    api.container.clock.advance(40 * 60)
    marked = no_show(api, salon, first["id"])
    walk_in = book(api, salon, "2026-11-24T10:45", "Bo")
    assert walk_in["status"] == "confirmed", walk_in
    before = buckets(api, salon)

    refused = api.call("POST", f"/v1/orders/{first['id']}/no-show/undo", auth=salon["secret_key"])

    assert_error(refused, 409, "no_show_place_taken")
    assert "book the guest again" in refused.data["error"]["message"]
    kept = api.call("GET", f"/v1/orders/{first['id']}", auth=salon["secret_key"]).data
    assert kept["status"] == "no_show" and kept["version"] == marked["version"]
    assert buckets(api, salon) == before
    assert invariant(api, salon)["ok"] is True


def test_a_partner_selling_the_chair_hears_of_the_no_show_giving_it_back(api, salon):
    forbid_server_errors(api)
    partner_hears_of(api, salon, lambda order_id: no_show(api, salon, order_id), 40 * 60)


def test_an_undo_is_within_what_the_chair_offers_now_not_when_it_was_booked(api, salon):
    """A reviewer's: the undo took the slots again against the capacity stored when booking;
    a day the stylist no longer works (capacity 0 since the no-show) was overbooked."""
    forbid_server_errors(api)
    first = book(api, salon, "2026-11-24T10:30")
    api.container.clock.advance(40 * 60)
    marked = no_show(api, salon, first["id"])
    sk = salon["secret_key"]
    rev = api.call("GET", "/v1/resources/res_alex", auth=sk).data["rev"]
    override = api.call(
        "PUT",
        "/v1/resources/res_alex/overrides/2026-11-24",
        auth=sk,
        body={"capacity": 0},
        headers={"If-Match": f'"{rev}"'},
    )
    assert override.status_code == 200, override.body
    before = buckets(api, salon)

    refused = api.call("POST", f"/v1/orders/{first['id']}/no-show/undo", auth=sk)

    assert_error(refused, 409, "no_show_place_taken")
    kept = api.call("GET", f"/v1/orders/{first['id']}", auth=sk).data
    assert kept["status"] == "no_show" and kept["version"] == marked["version"]
    assert buckets(api, salon) == before
