"""API: what the customers capability refused too little. A coupon's or a segment's offering
must be one of this business's (422 `unknown_offering` naming the ids); a segment rule with a
field its kind does not read is refused (422 `invalid_rule`); a coupon's limit below the uses
bookings hold is 409 `coupon_max_below_uses`. Each refusal changes nothing."""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, snapshot
from tests.api.test_campaigns_api import post
from tests.api.test_campaigns_api import shop as campaign_shop  # noqa: F401 - a fixture
from tests.api.test_coupons_api import book, make, open_inn
from tests.builders import day_tour, departure


@pytest.fixture
def inn(api):
    return open_inn(api, "coupon-checks")


def test_a_coupon_for_offerings_the_business_does_not_have_is_refused(api, inn):
    before = snapshot(api.container)
    r = make(api, inn, offering_ids=["off_stay", "off_nope", "off_gone"])
    error = assert_error(r, 422, "unknown_offering")
    assert error["details"]["offering_ids"] == ["off_gone", "off_nope"]
    assert snapshot(api.container) == before
    assert make(api, inn, offering_ids=["off_stay"]).status_code == 201
    changed = api.call(
        "PUT",
        "/v1/coupons/WINTER10",
        auth=inn["secret_key"],
        body={"kind": "percent", "value": 1000, "offering_ids": ["off_other"]},
    )
    assert_error(changed, 422, "unknown_offering")
    got = api.call("GET", "/v1/coupons/WINTER10", auth=inn["secret_key"]).data
    assert got["offering_ids"] == ["off_stay"] and got["version"] == 1


def test_a_coupons_limit_cannot_go_below_the_uses_it_has(api, inn):
    assert make(api, inn, max_uses=5).status_code == 201
    assert book(api, inn, coupon="winter10").status_code == 201
    assert book(api, inn, coupon="winter10", email="bo@example.com").status_code == 201
    path = "/v1/coupons/WINTER10"
    terms = {"kind": "percent", "value": 1000}
    low = api.call("PUT", path, auth=inn["secret_key"], body={**terms, "max_uses": 1})
    error = assert_error(low, 409, "coupon_max_below_uses")
    assert error["details"]["used"] == 2
    assert api.call("GET", path, auth=inn["secret_key"]).data["max_uses"] == 5
    at = api.call("PUT", path, auth=inn["secret_key"], body={**terms, "max_uses": 2})
    assert at.status_code == 200 and at.data["max_uses"] == 2, at.body
    none = api.call("PUT", path, auth=inn["secret_key"], body={**terms, "max_uses": 0})
    assert none.status_code == 200 and none.data["max_uses"] == 0, none.body


def test_a_segment_of_another_business_offering_is_refused(api, campaign_shop):  # noqa: F811
    other = api.signup("elsewhere")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(other["tenant_id"])
    )
    data.catalog.put_resource(departure(seats=4), expected_rev=None)
    data.catalog.put_offering(day_tour(), expected_rev=None)
    tour = day_tour().id
    before = snapshot(api.container)
    body = {"name": "Wall", "rules": [{"kind": "booked_offering", "text": tour}]}
    r = post(api, campaign_shop, "/v1/segments", body, key="wall")
    error = assert_error(r, 422, "unknown_offering")
    assert error["details"]["offering_ids"] == [tour]
    assert snapshot(api.container) == before
    # The rule builder's count refuses it too (PROBE 43: it counted nobody, 200).
    counted = post(api, campaign_shop, "/v1/segment-counts", {"rules": body["rules"]}, key="c")
    error = assert_error(counted, 422, "unknown_offering")
    assert error["details"]["offering_ids"] == [tour]


@pytest.mark.parametrize(
    ("rule", "fields"),
    [
        ({"kind": "tag", "text": "a", "op": ">", "number": 3}, ["number", "op"]),
        ({"kind": "visits", "op": ">", "number": 3, "text": "x"}, ["text"]),
        ({"kind": "birthday_this_month", "flag": True}, ["flag"]),
        ({"kind": "consent", "flag": True, "days": 3}, ["days"]),
        ({"kind": "language", "text": "de", "days": 30}, ["days"]),
    ],
)
def test_a_rule_with_a_field_its_kind_does_not_read_is_refused(
    api,
    campaign_shop,  # noqa: F811
    rule,
    fields,
):
    before = snapshot(api.container)
    r = post(api, campaign_shop, "/v1/segments", {"name": "x", "rules": [rule]}, key="odd")
    error = assert_error(r, 422, "invalid_rule")
    assert error["details"]["fields"] == fields
    assert snapshot(api.container) == before
