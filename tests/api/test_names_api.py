"""Names are one line of text: a control character in a business, customer, staff, resource or
offering name (or a webhook's description) is a 422 naming the field, and nothing is written.
A line break in the business name once stopped all of that tenant's e-mail."""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, fields_named, forbid_server_errors, snapshot

BAD = [
    "Harbour\nBcc: someone@example.com",
    "Harbour\r\nView",
    "Tab\there",
    "Nul\x00",
    "Bell\x07",
    "Next\x85line",
    "Line\u2028separator",
    "Flip\u202eweiv",
    "Ann\U000e0041\U000e0042",  # invisible tags: shown as "Ann", another name (a tester's)
    "\ufeffAnn",  # a byte-order mark inside text
    "Ann\U0001f3f4" + "".join(chr(0xE0000 + ord(c)) for c in "admin"),  # no flag: no cancel tag
]


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def tenant(api):
    return api.signup("harbour-view")


@pytest.mark.parametrize("name", BAD)
def test_a_control_character_in_the_business_name_is_refused_at_sign_up(api, name):
    before = snapshot(api.container)
    body = {
        "business_name": name,
        "slug": "harbour",
        "owner_email": "owner@harbour.example",
        "timezone": "Europe/Berlin",
        "currency": "EUR",
        "locale": "en",
        "business_type": "hotel",
    }
    r = api.call("POST", "/v1/signup", body=body)
    assert fields_named(assert_error(r, 422, "validation_failed")) == {"business_name"}
    assert snapshot(api.container) == before


@pytest.mark.parametrize("name", BAD)
def test_a_control_character_in_the_business_name_is_refused_by_patch(api, tenant, name):
    before = snapshot(api.container)
    r = api.call("PATCH", "/v1/tenant", auth=tenant["secret_key"], body={"name": name})
    assert fields_named(assert_error(r, 422, "validation_failed")) == {"name"}
    assert snapshot(api.container) == before


def test_names_in_other_scripts_with_quotes_and_commas_are_fine(api, tenant):
    scotland = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
    name = '李记 "Harbour", Müller & Søn — ‏שלום‎ 👨\u200d👩\u200d👧 ' + scotland
    r = api.call("PATCH", "/v1/tenant", auth=tenant["secret_key"], body={"name": name})
    assert r.status_code == 200 and r.data["name"] == name


def selling_stays(api, tenant):
    """The tenant's data, with a room type and the stay that sells it."""
    from tests.builders import room_type, stay_offering

    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=2), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    return data


def stay_body(name: str) -> dict:
    return {
        "customer": {"name": name, "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 2}],
    }


def test_a_control_character_in_a_customers_name_is_refused(api, tenant):
    data = selling_stays(api, tenant)
    body = stay_body("Ada\nLovelace")
    r = api.call("POST", "/v1/orders", auth=tenant["secret_key"], body=body)
    assert fields_named(assert_error(r, 422, "validation_failed")) == {"customer.name"}
    assert data.orders.orders == {}


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/v1/staff", {"email": "s@x.example", "name": "S\nX", "role": "staff"}, "name"),
        ("POST", "/v1/keys", {"kind": "publishable", "name": "Widget\r\n"}, "name"),
        (
            "POST",
            "/v1/webhooks/endpoints",
            {
                "url": "https://example.com/hook",
                "event_types": ["*"],
                "description": "ours\nX-Injected: 1",
            },
            "description",
        ),
    ],
)
def test_other_name_like_fields_refuse_control_characters(api, tenant, method, path, body, field):
    r = api.call(method, path, auth=tenant["secret_key"], body=body)
    assert field in fields_named(assert_error(r, 422, "validation_failed"))


@pytest.fixture
def stay(api, tenant):
    selling_stays(api, tenant)
    r = api.call("POST", "/v1/orders", auth=tenant["secret_key"], body=stay_body("Ada"))
    assert r.status_code == 201, r.body
    return r.data


@pytest.mark.parametrize(
    "reason", ["ok\x00\r\nX-Injected: 1", "Flood\u202e", "a\nBcc: x@evil.example"]
)
def test_a_reason_the_customer_is_told_is_one_line(api, tenant, stay, reason):
    """An outside tester's refund and cancellation reasons took NUL, CR/LF and a right-to-left
    override, stored them, sent them to Stripe and into the customer's message, where the
    discount and credit-note routes refused the same text."""
    key, order = tenant["secret_key"], stay["id"]
    outage = {"room": "101", "from": "2026-12-26", "to": "2026-12-27", "reason": reason}
    closure = {"from": "2026-12-26", "to": "2026-12-27", "reason": reason}
    bulk = {"action": "cancel", "resource_id": "res_double", "date": "2026-12-24"}
    calls = [
        (
            "POST",
            f"/v1/orders/{order}/refunds",
            {"amount": 100, "reason": reason, "method": "cash"},
        ),
        ("POST", f"/v1/orders/{order}/cancel", {"by": "business", "reason": reason}),
        ("POST", "/v1/resources/res_double/outages", outage),
        ("POST", "/v1/resources", {"name": "Chair", "kind": "timed", "closures": [closure]}),
        ("POST", "/v1/bulk-jobs", {**bulk, "reason": reason}),
    ]
    before = snapshot(api.container)
    for method, path, body in calls:
        r = api.call(method, path, auth=key, body=body, headers={"If-Match": '"1"'})
        named = fields_named(assert_error(r, 422, "validation_failed"))
        assert any(f.endswith("reason") for f in named), (path, r.body)
    assert snapshot(api.container) == before


def test_a_refund_says_why_and_a_note_keeps_its_lines(api, tenant, stay):
    key, order = tenant["secret_key"], stay["id"]
    body = {"amount": 100, "reason": " \u200b ", "method": "cash"}
    r = api.call("POST", f"/v1/orders/{order}/refunds", auth=key, body=body)
    assert fields_named(assert_error(r, 422, "validation_failed")) == {"reason"}
    # A booking's note, an offering's description and a bulk message are bodies of text: their
    # line breaks stay, a NUL does not.
    booked = {
        "customer": {"name": "Bo", "email": "bo@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-26", "nights": 1}],
    }
    r = api.call("POST", "/v1/orders", auth=key, body={**booked, "note": "Late arrival\nby train"})
    assert r.status_code == 201 and r.data["note"] == "Late arrival\nby train", r.body
    r = api.call("POST", "/v1/orders", auth=key, body={**booked, "note": "Late\x00"})
    assert fields_named(assert_error(r, 422, "validation_failed")) == {"note"}
