"""A discount's tax leaves its rate the tax of what the rate still bills (folio.discount_taxed),
found by an outside tester: a 50 % code then a 100 % staff discount left an order of 0 with
0.01 of tax, as each discount's tax was rounded on its own."""

from __future__ import annotations

from chalicelib.catalog.domain.catalog import DepositKind, DepositPolicy
from tests.api.support import forbid_server_errors
from tests.api.test_coupons_api import book, make
from tests.builders import room_type, stay_offering


def inn_at(api, slug: str, amount: int) -> dict:
    tenant = api.signup(slug)
    c = api.container
    data = c.tenant_data.for_tenant(c.platform.get_tenant(tenant["tenant_id"]))
    data.catalog.put_resource(room_type(rooms=20), expected_rev=None)
    offering = stay_offering(amount=amount, deposit=DepositPolicy(DepositKind.NONE))
    data.catalog.put_offering(offering, expected_rev=None)
    return tenant


def test_a_code_then_a_whole_staff_discount_leave_no_tax_on_nothing(api):
    forbid_server_errors(api)
    inn = inn_at(api, "half-inn", 10050)  # 2 nights: 201.00 with 13.15 of 7 % in it
    assert make(api, inn, code="HALF", value=5000).status_code == 201
    order = book(api, inn, coupon="half")
    assert order.status_code == 201, order.body
    # 100.50 left, and the tax in 100.50 at 7 % is 6.57 (not 13.15 less the code's 6.57)
    assert (order.data["totals"]["total"], order.data["totals"]["tax"]) == (10050, 657)
    oid, key = order.data["id"], inn["secret_key"]
    assert api.call("POST", f"/v1/orders/{oid}/confirm", auth=key, body={}).status_code == 200
    off = {"percent_bp": 10000, "reason": "On the house"}
    r = api.call("POST", f"/v1/orders/{oid}/discounts", auth=key, body=off)
    assert r.status_code in (200, 201), r.body
    got = api.call("GET", f"/v1/orders/{oid}", auth=key).data["totals"]
    assert (got["total"], got["tax"]) == (0, 0)
