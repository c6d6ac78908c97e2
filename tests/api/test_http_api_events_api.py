"""The app's Lambda handler answers the events an API Gateway HTTP API sends it.

The API is an HTTP API whose routes are the app's paths (`ANY /v1/orders/{order_id}/confirm`
...) and a `$default` route, all integrated with the API handler at payload format version 1.0
(infra/stacks/http_api.py). chalice.test.Client builds REST API events through chalice's own
local gateway, which answers an unknown path itself; these tests instead hand the handler
(`app.app`, what Lambda calls) events shaped as the HTTP API sends them: `resource` and
`requestContext.resourcePath` the route's path template (or "$default"), `resourceId` its route
key, `path` as the client sent it (the `$default` stage puts no stage in front), headers as
the client spelt them and multi-valued twins, `pathParameters`, the body as text or base64.
This is what proves the switch from REST.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from tests.api.support import assert_error, forbid_server_errors
from tests.builders import room_type, stay_offering

STAGE = "$default"  # infra/stacks/http_api.py: the address has no stage in its path
HOST = "abcdef1234.execute-api.eu-west-1.amazonaws.com"


@dataclass
class Answer:
    """A Lambda proxy answer, read as a client of the HTTP API would."""

    status_code: int
    headers: dict[str, str]
    body: bytes
    data: Any = field(default=None)


def http_api_event(
    method: str,
    path: str,
    *,
    route: str | None,
    path_parameters: dict[str, str] | None = None,
    query: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
    body: str | None = None,
    base64_body: bool = False,
) -> dict[str, Any]:
    """An HTTP API payload-1.0 event; `route`: the matched route's path template, or None for
    the `$default` route."""
    resource = route if route is not None else "$default"
    route_key = f"ANY {route}" if route is not None else "$default"
    all_headers = {"Host": HOST, "User-Agent": "test-client/1.0", **(headers or {})}
    staged = path  # the $default stage: nothing in front
    payload = body
    if body is not None and base64_body:
        payload = base64.b64encode(body.encode()).decode()
    query_single = {k: v[-1] for k, v in query.items()} if query else None
    return {
        "version": "1.0",
        "resource": resource,
        "path": staged,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {k: [v] for k, v in all_headers.items()},
        "queryStringParameters": query_single,
        "multiValueQueryStringParameters": query,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": HOST.split(".")[0],
            "domainName": HOST,
            "domainPrefix": HOST.split(".")[0],
            "extendedRequestId": "H6SdPgXtiYcEP1w=",
            "httpMethod": method,
            "identity": {"sourceIp": "198.51.100.7", "userAgent": "test-client/1.0"},
            "path": staged,
            "protocol": "HTTP/1.1",
            "requestId": "H6SdPgXtiYcEP1w=",
            "requestTime": "01/Dec/2026:07:00:00 +0000",
            "requestTimeEpoch": 1796108400000,
            "resourceId": route_key,
            "resourcePath": resource,
            "stage": STAGE,
        },
        "pathParameters": path_parameters,
        "stageVariables": None,
        "body": payload,
        "isBase64Encoded": base64_body,
    }


class LambdaContext:
    function_name = "reservoir-prod-APIHandler"
    aws_request_id = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:APIHandler"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def invoke(event: dict[str, Any]) -> Answer:
    from app import app

    raw = app(event, LambdaContext())
    headers = dict(raw.get("headers") or {})
    for name, values in (raw.get("multiValueHeaders") or {}).items():
        headers.setdefault(name, ", ".join(values))
    body = raw.get("body") or ""
    content = base64.b64decode(body) if raw.get("isBase64Encoded") else body.encode()
    answer = Answer(raw["statusCode"], headers, content)
    if headers.get("Content-Type", "").startswith("application/json") and content:
        answer.data = json.loads(content)
    # No input may ever get a 5xx (the rule forbid_server_errors keeps for api.call).
    assert answer.status_code < 500, (event["path"], answer.status_code, content)
    return answer


@pytest.fixture
def hotel(api):
    forbid_server_errors(api)
    tenant = api.signup("httpapi")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(
        replace(room_type(rooms=3), rooms=("101", "102", "103")), expected_rev=None
    )
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    return tenant


def order_body(name: str, check_in: str, nights: int) -> dict[str, Any]:
    return {
        "customer": {"name": name, "email": f"{name.lower()}@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": check_in, "nights": nights}],
    }


def hold(key: str, body: dict[str, Any], *, idempotency_key: str, base64_body: bool = False):
    """POST /v1/orders as the HTTP API hands it over (route `ANY /v1/orders`)."""
    headers = {
        "Authorization": f"Bearer {key}",
        "Content-Type": "application/json",
        "Idempotency-Key": idempotency_key,
    }
    event = http_api_event(
        "POST",
        "/v1/orders",
        route="/v1/orders",
        headers=headers,
        body=json.dumps(body),
        base64_body=base64_body,
    )
    return invoke(event)


def test_a_hold_and_its_confirmation_arrive_as_http_api_events(api, hotel):
    key = hotel["secret_key"]
    auth = {"Authorization": f"Bearer {key}"}
    avail = invoke(
        http_api_event(
            "GET",
            "/v1/availability",
            route="/v1/availability",
            query={"offering": ["off_stay"], "from": ["2026-12-24"], "to": ["2026-12-26"]},
            headers=auth,
        )
    )
    assert avail.status_code == 200, avail.body
    assert [o["remaining"] for o in avail.data["options"]] == [3, 3]
    order = order_body("Ada", "2026-12-24", 2)
    held = hold(key, order, idempotency_key="http-api-hold-1")
    assert held.status_code == 201, held.body
    assert held.data["status"] == "held" and held.data["totals"]["total"] == 24000
    order_id = held.data["id"]
    confirmed = invoke(
        http_api_event(
            "POST",
            f"/v1/orders/{order_id}/confirm",
            route="/v1/orders/{order_id}/confirm",
            path_parameters={"order_id": order_id},
            headers=auth,
        )
    )
    assert confirmed.status_code == 200, confirmed.body
    assert confirmed.data["id"] == order_id and confirmed.data["status"] == "confirmed"
    # The order the API keeps is the one the events made.
    read = api.call("GET", f"/v1/orders/{order_id}", auth=key)
    assert read.data["status"] == "confirmed"
    assert read.data["customer"]["email"] == "ada@example.com"
    # The same hold again, same key: the stored answer, not a second order.
    again = hold(key, order, idempotency_key="http-api-hold-1")
    assert again.status_code == 201 and again.data["id"] == order_id, again.body


def test_a_base64_body_is_read_as_the_json_it_encodes(api, hotel):
    body = order_body("Bo", "2026-12-27", 1)
    held = hold(hotel["secret_key"], body, idempotency_key="http-api-b64", base64_body=True)
    assert held.status_code == 201, held.body
    assert held.data["customer"]["email"] == "bo@example.com"


def test_a_pdf_goes_back_base64_for_the_gateway_to_turn_into_bytes(api, hotel):
    key = hotel["secret_key"]
    created = api.call("POST", "/v1/orders", auth=key, body=order_body("Cy", "2026-12-28", 1))
    order_id = created.data["id"]
    route = "/v1/orders/{order_id}/confirmation.pdf"
    event = http_api_event(
        "GET",
        f"/v1/orders/{order_id}/confirmation.pdf",
        route=route,
        path_parameters={"order_id": order_id},
        headers={"Authorization": f"Bearer {key}", "Accept": "application/pdf"},
    )
    from app import app

    raw = app(event, LambdaContext())
    assert raw["statusCode"] == 200 and raw["isBase64Encoded"] is True
    assert base64.b64decode(raw["body"]).startswith(b"%PDF-")


def test_an_unknown_path_from_the_default_route_is_404_in_the_apis_shape(api, hotel):
    answer = invoke(
        http_api_event(
            "GET",
            "/v1/no-such-thing",
            route=None,
            headers={"Authorization": f"Bearer {hotel['secret_key']}"},
        )
    )
    error = assert_error(answer, 404, "not_found")
    assert error["message"] == "No such route."
    assert answer.headers["X-Request-Id"] == "H6SdPgXtiYcEP1w="  # API Gateway's own id
    # Nothing was added to the app's routes by asking.
    from app import app

    assert "$default" not in app.routes


def test_a_method_a_known_path_does_not_take_is_405_in_the_apis_shape(api, hotel):
    answer = invoke(http_api_event("DELETE", "/v1/signup", route="/v1/signup"))
    assert_error(answer, 405, "method_not_allowed")
    assert "POST" in answer.headers["Allow"]


def test_a_preflight_reaches_the_app_through_the_paths_route(api, hotel):
    answer = invoke(
        http_api_event(
            "OPTIONS",
            "/v1/public/orders",
            route="/v1/public/orders",
            headers={
                "Origin": "https://shop.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
    )
    assert answer.status_code in (200, 204), answer.body
    assert answer.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "POST" in answer.headers["Access-Control-Allow-Methods"]
