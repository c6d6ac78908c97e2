"""A property-based fuzz of the whole API from its own OpenAPI document (schemathesis), in
process over chalice.test: every operation, EXAMPLES cases each (positive and negative,
derandomised, so a run is repeatable), each operation against a fresh tenant that has one of
everything. No answer may be a 5xx, and every answer's status, content type and body must be
the ones the document lists: the document is proven true by the server's own answers.

Bounded by its EXAMPLES per operation, not by a clock: it prints what it took (a time
assertion fails on a busy machine and proves nothing about the answers). The longer fuzz
against `chalice local` is bench/fuzz.py.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.api.support import key_id
from tests.builders import day_tour, departure, haircut, room_type, stay_offering, stylist
from tests.fuzz_support import (
    PARTNER_PATHS,
    World,
    as_json,
    load_schema,
    report,
    run_operation,
    summary,
)

pytestmark = pytest.mark.uncounted  # asserts no success answer: not for the coverage gate

EXAMPLES = 20
# The operations in this many tests, so that `make test`'s two workers share them (one test of
# every operation kept one worker busy 97 s, most of the API tier's time).
PARTS = 4
STAY = "2026-12-24"

# ------------------------------------------------------------------------------------------


def build_world(api: Any, n: int, *, partner: bool = False) -> World:
    """A tenant with a room, an offering, held, confirmed and widget orders, a webhook
    endpoint, a calendar feed, a spare key and a spare staff user; connected to Stripe."""
    tenant = api.signup(f"fuzz-{n}")
    sk, pk = tenant["secret_key"], tenant["publishable_key"]
    c = api.container
    data = c.tenant_data.for_tenant(c.platform.get_tenant(tenant["tenant_id"]))
    data.catalog.put_resource(room_type(rooms=50), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    data.catalog.put_resource(stylist("res_anna", "Anna"), expected_rev=None)
    data.catalog.put_offering(haircut(), expected_rev=None)

    def ok(method: str, path: str, status: int, **kwargs: Any) -> Any:
        r = api.call(method, path, **kwargs)
        assert r.status_code == status, (method, path, r.body)
        return r.data

    connect = ok("POST", "/v1/payments/connect", 200, auth=sk)
    c.gateway.enable(connect["account_id"])
    order = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": STAY, "nights": 1}],
    }
    held = ok("POST", "/v1/orders", 201, auth=sk, body=order)
    confirmed = ok("POST", "/v1/orders", 201, auth=sk, body=order)
    ok("POST", f"/v1/orders/{confirmed['id']}/confirm", 200, auth=sk)
    widget = ok("POST", "/v1/public/orders", 201, auth=pk, body=order)
    endpoint = ok(
        "POST",
        "/v1/webhooks/endpoints",
        201,
        auth=sk,
        body={"url": "https://hooks.example.com/in", "event_types": ["OrderConfirmed"]},
    )
    feed = ok("POST", "/v1/resources/res_double/calendar-feed", 201, auth=sk)
    spare_key = ok("POST", "/v1/keys", 201, auth=sk, body={"kind": "secret", "name": "Spare"})
    # The partner routes' own (only for them: every world costs the run's budget).
    key, octo = _octo_world(ok, sk, data) if partner else (None, {"ids": {}, "fields": {}})
    spare_user = ok(
        "POST",
        "/v1/staff",
        201,
        auth=sk,
        body={"email": f"spare@fuzz-{n}.example", "name": "Spare", "role": "staff"},
    )
    return World(
        partner_auth=[key, key, sk] if key else [],
        tenant_auth=[sk, sk, api.owner_token(tenant), pk],
        public_auth=[pk, pk, sk],
        ids={
            "resource_id": ["res_double", "res_anna"],
            "offering_id": ["off_stay", "off_cut"],
            "order_id": [held["id"], confirmed["id"], widget["id"]],
            "key_id": [key_id(spare_key["key"])],
            "user_id": [spare_user["id"]],
            "endpoint_id": [endpoint["id"]],
            "token": [feed["path"].rsplit("/", 1)[1]],
            "date": [STAY],
            "kind": ["confirmed"],
            "channel": ["email"],
            "locale": ["en"],
            **octo["ids"],
        },
        manage_tokens={widget["id"]: widget["manage_token"]},
        fields={
            "offering_id": ["off_stay", "off_cut"],
            "offering": ["off_stay", "off_cut"],
            "resource_id": ["res_double", "res_anna"],
            **octo["fields"],
        },
    )


def _octo_world(ok: Any, sk: str, data: Any) -> tuple[str | None, dict[str, Any]]:
    """A departure and its tour, an OCTO connection, its partner key and one reservation:
    the OCTO routes' ids and fields (channels/api/octo.py)."""
    data.catalog.put_resource(departure(seats=50), expected_rev=None)
    data.catalog.put_offering(day_tour(), expected_rev=None)
    connection = ok("POST", "/v1/channels", 201, auth=sk, body={"name": "Reseller", "kind": "octo"})
    partner = ok("POST", f"/v1/channels/{connection['id']}/key", 201, auth=sk)["key"]
    start = f"{STAY}T08:00:00+01:00"
    booking = {
        "productId": "off_tour",
        "optionId": "DEFAULT",
        "availabilityId": start,
        "unitItems": [{"unitId": "adult"}],
    }
    held = ok("POST", "/octo/bookings", 200, auth=partner, body=booking)
    fields = {
        "productId": ["off_tour"],
        "optionId": ["DEFAULT"],
        "unitId": ["adult"],
        "availabilityId": [start],
        "localDate": [STAY],
    }
    return partner, {"ids": {"uuid": [held["uuid"]], "product_id": ["off_tour"]}, "fields": fields}


@pytest.mark.parametrize("part", range(PARTS))
def test_every_operation_answers_as_its_openapi_document_says(api, capsys, part):
    """Every PARTS-th operation from `part` on: together the parts are every operation."""
    document = api.call("GET", "/v1/openapi.json").data
    schema = load_schema(document)
    every = [result.ok() for result in schema.get_all_operations()]
    assert len(every) == sum(len(item) for item in document["paths"].values())
    operations = list(enumerate(every))[part::PARTS]

    def send(method: str, url: str, headers: dict[str, str], body: bytes) -> Any:
        r = api.client.http.request(method, url, headers=headers, body=body)
        return r.status_code, r.headers, r.body

    started = time.perf_counter()
    outcomes = []
    for n, operation in operations:
        world = build_world(api, n, partner=operation.path.startswith(PARTNER_PATHS))
        outcomes.append(run_operation(operation, world, send, examples=EXAMPLES))
    seconds = time.perf_counter() - started
    figures = summary(outcomes, seconds)
    with capsys.disabled():
        print(f"\nOpenAPI fuzz, part {part + 1} of {PARTS}: {as_json(figures)}")
    assert not report(outcomes), report(outcomes)
