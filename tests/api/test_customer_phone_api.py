"""A customer's phone as people write it: with its country code, or as a national number of
the business's country (a desk in Berlin types 030 1234567), stored and answered in E.164;
what cannot be a number there is 422 `invalid_phone`, nothing held."""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, forbid_server_errors, snapshot
from tests.builders import room_type, stay_offering


@pytest.fixture
def hotel(api):
    forbid_server_errors(api)
    tenant = api.signup("phones")  # Europe/Berlin: its numbers are German
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=10), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    return tenant


def hold(api, hotel, phone):
    body = {
        "customer": {"name": "Phone Test", "email": "phone@example.com", "phone": phone},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-10", "nights": 1}],
    }
    return api.call("POST", "/v1/orders", auth=hotel["secret_key"], body=body)


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("030 1234567", "+49301234567"),
        ("(030) 123-4567", "+49301234567"),
        ("+44 7700 900123", "+447700900123"),
        ("+8613800138000", "+8613800138000"),
    ],
)
def test_a_phone_is_stored_in_e164(api, hotel, written, stored):
    r = hold(api, hotel, written)
    assert r.status_code == 201, r.body
    assert r.data["customer"]["phone"] == stored


@pytest.mark.parametrize("written", ["+49 1", "+123", "0000000000000000000", "+999 123 456"])
def test_what_cannot_be_a_number_is_refused(api, hotel, written):
    before = snapshot(api.container)
    assert_error(hold(api, hotel, written), 422, "invalid_phone")
    assert snapshot(api.container) == before
