"""OCTO's refusals: each in OCTO's shape and status, as OCTO's validator checks them, and each
body valid against OCTO's error schema; who may call the OCTO API at all."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.channels.domain.connections import ConnectionStatus
from chalicelib.channels.services.connections import ConnectionFields, edit_connection
from chalicelib.webhooks.services.webhooks import UrlPolicy
from tests import octo_schema
from tests.api.octo_support import Reseller, octo, tenant_context, tour_operator
from tests.api.support import forbid_server_errors

UUID = "5a1c2e3f-4b5d-4e6f-8a9b-0c1d2e3f4a5b"
TOUR = {"productId": "off_tour", "optionId": "DEFAULT"}


@pytest.fixture
def shop(api) -> Reseller:
    forbid_server_errors(api)
    return tour_operator(api, "wall-tours", seats=2)


def _day(api, days: int = 30) -> str:
    return (api.container.clock.moment + timedelta(days=days)).date().isoformat()


def _start(api, days: int = 30) -> str:
    return f"{_day(api, days)}T08:00:00+08:00"


def refused(response, method: str, path: str, status: int, error: str) -> dict:
    assert response.status_code == status, response.body
    body = response.data
    assert body["error"] == error and body["errorMessage"], body
    assert not octo_schema.problems(method, path, status, body), body
    assert "X-Request-Id" in response.headers
    return body


@pytest.mark.parametrize(
    ("body", "error", "field", "value"),
    [
        ({**TOUR, "productId": "nope"}, "INVALID_PRODUCT_ID", "productId", "nope"),
        ({**TOUR, "optionId": "VIP"}, "INVALID_OPTION_ID", "optionId", "VIP"),
        (
            {**TOUR, "localDate": "x", "units": [{"id": "child", "quantity": 1}]},
            "INVALID_UNIT_ID",
            "unitId",
            "child",
        ),
        (
            {**TOUR, "availabilityIds": ["2026-12-24T08:00:00"]},
            "INVALID_AVAILABILITY_ID",
            "availabilityId",
            "2026-12-24T08:00:00",
        ),
    ],
)
def test_availability_names_what_it_does_not_know(api, shop, body, error, field, value):
    r = octo(api, shop, "POST", "/octo/availability", body=body)
    assert refused(r, "POST", "/octo/availability", 400, error)[field] == value


def test_a_start_the_schedule_does_not_have_is_an_invalid_availability_id(api, shop):
    body = {**TOUR, "availabilityIds": [f"{_day(api)}T09:00:00+08:00"]}
    r = octo(api, shop, "POST", "/octo/availability", body=body)
    refused(r, "POST", "/octo/availability", 400, "INVALID_AVAILABILITY_ID")


@pytest.mark.parametrize(
    "extra",
    [
        {},  # no dates at all
        {"localDateStart": "2026-12-24", "localDateEnd": "2026-12-31", "availabilityIds": ["a"]},
        {"localDate": "24/12/2026"},
        {"localDateStart": "2026-12-31", "localDateEnd": "2026-12-24"},
    ],
)
def test_availability_needs_exactly_one_way_of_naming_dates(api, shop, extra):
    r = octo(api, shop, "POST", "/octo/availability", body={**TOUR, **extra})
    refused(r, "POST", "/octo/availability", 400, "BAD_REQUEST")


def test_the_calendar_needs_its_start(api, shop):
    body = {**TOUR, "localDateEnd": _day(api)}
    r = octo(api, shop, "POST", "/octo/availability/calendar", body=body)
    refused(r, "POST", "/octo/availability/calendar", 400, "BAD_REQUEST")


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"unitItems": None}, "UNPROCESSABLE_ENTITY"),  # missing: OCTO's validator's choice
        ({"unitItems": []}, "UNPROCESSABLE_ENTITY"),
        ({"unitItems": [{"unitId": "senior"}]}, "INVALID_UNIT_ID"),
        ({"availabilityId": None}, "INVALID_AVAILABILITY_ID"),
        ({"availabilityId": "soon"}, "INVALID_AVAILABILITY_ID"),
        ({"productId": "nope"}, "INVALID_PRODUCT_ID"),
        ({"optionId": "nope"}, "INVALID_OPTION_ID"),
        ({"uuid": "not-a-uuid"}, "INVALID_BOOKING_UUID"),
    ],
)
def test_a_reservation_refused_says_why_in_octos_words(api, shop, change, error):
    body = {**TOUR, "availabilityId": _start(api), "unitItems": [{"unitId": "adult"}], **change}
    body = {k: v for k, v in body.items() if v is not None}
    r = octo(api, shop, "POST", "/octo/bookings", body=body)
    refused(r, "POST", "/octo/bookings", 400, error)


def test_a_start_that_has_passed_says_so_not_the_notice(api, shop):
    """p7b finding 4: a past start was refused as "Bookings need 0 minutes' notice."."""
    body = {**TOUR, "availabilityId": _start(api, -21), "unitItems": [{"unitId": "adult"}]}
    r = octo(api, shop, "POST", "/octo/bookings", body=body)
    assert refused(r, "POST", "/octo/bookings", 400, "UNPROCESSABLE_ENTITY")["errorMessage"] == (
        "That time has passed."
    )


def test_a_sold_out_start_is_unprocessable_and_listed_sold_out(api, shop):
    body = {**TOUR, "availabilityId": _start(api), "unitItems": [{"unitId": "adult"}] * 2}
    assert octo(api, shop, "POST", "/octo/bookings", body=body).status_code == 200
    r = octo(api, shop, "POST", "/octo/bookings", body={**body, "unitItems": [{"unitId": "adult"}]})
    refused(r, "POST", "/octo/bookings", 400, "UNPROCESSABLE_ENTITY")
    listed = octo(
        api, shop, "POST", "/octo/availability", body={**TOUR, "availabilityIds": [_start(api)]}
    )
    assert listed.data[0]["status"] == "SOLD_OUT" and listed.data[0]["available"] is False


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/octo/bookings/{uuid}", None),
        ("PATCH", "/octo/bookings/{uuid}", {"notes": "x"}),
        ("POST", "/octo/bookings/{uuid}/extend", {"expirationMinutes": 30}),
        ("POST", "/octo/bookings/{uuid}/confirm", {"contact": {}}),
        ("POST", "/octo/bookings/{uuid}/cancel", {"reason": "x"}),
    ],
)
def test_an_unknown_booking_is_an_invalid_booking_uuid(api, shop, method, path, body):
    for uuid in (UUID, "nope", "x" * 300):
        r = octo(api, shop, method, path.replace("{uuid}", uuid), body=body)
        assert refused(r, method, path, 400, "INVALID_BOOKING_UUID")["uuid"] in (uuid, "")


def test_an_unknown_product_is_an_invalid_product_id(api, shop):
    r = octo(api, shop, "GET", "/octo/products/off_stay")
    assert (
        refused(r, "GET", "/octo/products/{id}", 400, "INVALID_PRODUCT_ID")["productId"]
        == "off_stay"
    )


def test_listing_bookings_needs_a_filter(api, shop):
    refused(octo(api, shop, "GET", "/octo/bookings"), "GET", "/octo/bookings", 400, "BAD_REQUEST")
    r = octo(api, shop, "GET", "/octo/bookings?localDateStart=2026-12-01&localDateEnd=2027-03-01")
    refused(r, "GET", "/octo/bookings", 400, "BAD_REQUEST")


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        ('{"productId": ', "application/json"),
        ('{"productId": 5, "optionId": "DEFAULT", "localDate": "2026-12-24"}', "application/json"),
        ('{"optionId": "DEFAULT", "localDate": "2026-12-24"}', "application/json"),
        ("productId=off_tour", "text/plain"),
    ],
)
def test_a_malformed_request_is_a_bad_request(api, shop, raw, content_type):
    r = api.call(
        "POST", "/octo/availability", auth=shop.key, raw=raw, headers={"Content-Type": content_type}
    )
    refused(r, "POST", "/octo/availability", 400, "BAD_REQUEST")


def test_without_a_key_it_is_unauthorized_and_any_other_credential_forbidden(api, shop):
    r = api.call("GET", "/octo/products")
    refused(r, "GET", "/octo/products", 401, "UNAUTHORIZED")
    r = api.call("GET", "/octo/products", auth="sk_unknown_key_abcdefghijklmnopqrstuvwxyz")
    refused(r, "GET", "/octo/products", 401, "UNAUTHORIZED")
    for credential in (
        shop.secret_key,
        api.owner_token(shop.tenant),
        shop.tenant["publishable_key"],
    ):
        r = api.call("GET", "/octo/products", auth=credential)
        refused(r, "GET", "/octo/products", 403, "FORBIDDEN")


def test_a_disabled_connection_is_forbidden(api, shop):
    ctx = tenant_context(api, shop.tenant)
    policy = UrlPolicy(api.container.host_resolver, True)
    edit_connection(
        ctx, policy, shop.connection_id, ConnectionFields(status=ConnectionStatus.DISABLED)
    )
    refused(octo(api, shop, "GET", "/octo/supplier"), "GET", "/octo/supplier", 403, "FORBIDDEN")


def test_a_partner_key_of_another_tenant_reaches_only_its_own_tenant(api, shop):
    other = tour_operator(api, "other-tours")
    body = {**TOUR, "uuid": UUID, "availabilityId": _start(api), "unitItems": [{"unitId": "adult"}]}
    mine = octo(api, shop, "POST", "/octo/bookings", body=body).data
    # The other tenant's key names its own tenant: it sees its own supplier, never this one's
    # booking, even by uuid or by our order id.
    assert octo(api, other, "GET", "/octo/supplier").data["id"] == other.tenant["tenant_id"]
    r = octo(api, other, "GET", f"/octo/bookings/{UUID}")
    refused(r, "GET", "/octo/bookings/{uuid}", 400, "INVALID_BOOKING_UUID")
    assert octo(api, other, "GET", f"/octo/bookings?supplierReference={mine['id']}").data == []
    r = octo(api, other, "POST", f"/octo/bookings/{UUID}/cancel", body={})
    refused(r, "POST", "/octo/bookings/{uuid}/cancel", 400, "INVALID_BOOKING_UUID")
    assert octo(api, shop, "GET", f"/octo/bookings/{UUID}").data["status"] == "ON_HOLD"
    # The other tenant's own orders API does not know it either.
    r = api.call("GET", f"/v1/orders/{mine['id']}", auth=other.secret_key)
    assert r.status_code == 404


def test_a_cancelled_booking_cannot_be_confirmed_or_changed(api, shop):
    body = {**TOUR, "uuid": UUID, "availabilityId": _start(api), "unitItems": [{"unitId": "adult"}]}
    octo(api, shop, "POST", "/octo/bookings", body=body)
    octo(api, shop, "POST", f"/octo/bookings/{UUID}/cancel", body={})
    again = octo(api, shop, "POST", f"/octo/bookings/{UUID}/cancel", body={})
    assert again.data["status"] == "CANCELLED"
    for method, path, payload in (
        ("POST", "/octo/bookings/{uuid}/confirm", {"contact": {}}),
        ("POST", "/octo/bookings/{uuid}/extend", {}),
        ("PATCH", "/octo/bookings/{uuid}", {"availabilityId": _start(api, 31)}),
    ):
        r = octo(api, shop, method, path.replace("{uuid}", UUID), body=payload)
        refused(r, method, path, 400, "UNPROCESSABLE_ENTITY")
