"""The OpenAPI document describes exactly the routes the app serves, and is valid 3.1."""

from __future__ import annotations

import json
import re

import pytest

from tests.api.support import forbid_server_errors
from tests.builders import room_type, stay_offering
from tests.fakes import TEST_WEBHOOK_SECRET
from tests.stripe_events import event, signed

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def document(api):
    r = api.call("GET", "/v1/openapi.json")
    assert r.status_code == 200, r.body
    assert r.headers["Content-Type"].startswith("application/json")
    return r.data


def _resolve(document, ref):
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        node = node[part]
    return node


# The OCTO supplier API (chalicelib/channels/api/octo.py) speaks OCTO's conventions, not ours:
# OCTO's error shape and statuses (its own tests check them against OCTO's document, and the
# fuzz against ours), and bodies that ignore fields they do not know (resellers send fields
# of OCTO capabilities this API does not apply).
OTHER_CONVENTIONS = ("/octo/",)


def _ours(document):
    for path, method, op in _operations(document):
        if not path.startswith(OTHER_CONVENTIONS):
            yield path, method, op


def _operations(document):
    for path, item in document["paths"].items():
        for method, op in item.items():
            if method in HTTP_METHODS:
                yield path, method, op


def test_the_document_is_openapi_3_1_0_and_needs_no_credentials(document):
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"]
    assert document["info"]["version"]


def test_every_route_the_app_serves_is_documented_and_nothing_else(document):
    from app import app

    served = {
        (path, method.lower())
        for path, methods in app.routes.items()
        for method in methods
        if method != "OPTIONS"
    }
    documented = {(path, method) for path, method, _ in _operations(document)}
    assert served
    assert served == documented


def test_every_request_body_forbids_unknown_properties(document):
    bodies = 0
    for path, method, op in _ours(document):
        if "requestBody" not in op:
            continue
        bodies += 1
        schema = op["requestBody"]["content"]["application/json"]["schema"]
        if "$ref" in schema:
            schema = _resolve(document, schema["$ref"])
        assert schema.get("type") == "object", (path, method)
        assert schema.get("additionalProperties") is False, (path, method)
    assert bodies >= 6  # signup, patch tenant, create/rotate key, invite/patch staff


def test_every_mutating_route_with_a_body_documents_it(document):
    from app import app

    # Stripe's events are Stripe's schema, read raw so the signature can be checked on the
    # exact bytes; the operation's description says so.
    raw = {
        ("/v1/webhooks/stripe", "POST"),
        # A channel manager's message, likewise read raw for its HMAC (its format: README).
        ("/v1/channel-events/{tenant_id}/{connection_id}", "POST"),
    }
    for path, methods in app.routes.items():
        for method, entry in methods.items():
            if (path, method) in raw:
                continue
            if method in ("POST", "PATCH") and entry.content_types == ["application/json"]:
                assert "requestBody" in document["paths"][path][method.lower()], (path, method)


def test_every_path_parameter_is_declared(document):
    for path, method, op in _operations(document):
        in_path = set(re.findall(r"{(\w+)}", path))
        declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
        assert in_path == declared, (path, method)


def test_every_reference_resolves(document):
    refs = re.findall(r'"\$ref": "([^"]+)"', json.dumps(document))
    assert refs
    for ref in set(refs):
        _resolve(document, ref)


def test_operation_ids_are_unique(document):
    ids = [op["operationId"] for _, _, op in _operations(document)]
    assert len(ids) == len(set(ids))


def test_errors_are_documented_with_the_one_error_shape(document):
    error = document["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["error"]
    for path, method, op in _ours(document):
        for status, response in op["responses"].items():
            if status.startswith(("4", "5")):
                assert "$ref" in response, (path, method, status)  # one component per status
                schema = _resolve(document, response["$ref"])["content"]["application/json"]
                assert schema["schema"] == {"$ref": "#/components/schemas/ErrorOut"}, (path, method)


def test_open_routes_need_no_security_and_the_others_do(document):
    open_routes = {
        ("/v1/signup", "post"),
        ("/v1/openapi.json", "get"),
        ("/v1/docs", "get"),
        ("/v1/docs/swagger-ui-bundle.js", "get"),
        ("/v1/docs/swagger-ui.css", "get"),
        ("/v1/health", "get"),
        ("/v1/webhooks/stripe", "post"),  # signed by Stripe instead
        ("/v1/channel-events/{tenant_id}/{connection_id}", "post"),  # the partner's HMAC instead
        ("/v1/calendar/{token}", "get"),  # the token in the path is the credential
        ("/v1/unsubscribe/{token}", "get"),  # the signed token in the path is the credential
        ("/v1/unsubscribe/{token}", "post"),
    }
    schemes = set(document["components"]["securitySchemes"])
    for path, method, op in _operations(document):
        if (path, method) in open_routes:
            assert op["security"] == [], (path, method)
        else:
            assert op["security"], (path, method)
            assert {name for req in op["security"] for name in req} <= schemes


def test_the_audit_query_parameters_are_documented(document):
    params = {p["name"]: p for p in document["paths"]["/v1/audit"]["get"]["parameters"]}
    assert set(params) == {"month", "limit", "after"}
    assert params["limit"]["schema"]["minimum"] == 1
    assert params["limit"]["schema"]["maximum"] == 100


def test_the_document_passes_the_openapi_spec_validator(document):
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(document)


def test_the_docs_page_is_swagger_ui_served_from_this_origin(api):
    r = api.client.http.get("/v1/docs")  # not api.call: that decodes every body as JSON
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert b"<html" in r.body.lower()
    assert b'fetch("openapi.json")' in r.body  # fetched relative to /v1/docs
    assert b"https://" not in r.body  # nothing from a CDN
    for name, kind, mark in (
        ("swagger-ui-bundle.js", "application/javascript", b"SwaggerUIBundle"),
        ("swagger-ui.css", "text/css", b".swagger-ui"),
    ):
        assert f'"docs/{name}"'.encode() in r.body
        asset = api.client.http.get(f"/v1/docs/{name}")
        assert asset.status_code == 200, name
        assert asset.headers["Content-Type"].startswith(kind)
        assert mark in asset.body and len(asset.body) > 100_000


def test_the_document_names_the_three_ways_to_authenticate(document):
    schemes = document["components"]["securitySchemes"]
    assert set(schemes) == {"secretKey", "publishableKey", "staffToken"}
    assert all(s["type"] == "http" and s["scheme"] == "bearer" for s in schemes.values())
    public = document["paths"]["/v1/public/offerings"]["get"]["security"]
    assert {"publishableKey": []} in public
    staff = document["paths"]["/v1/orders"]["post"]["security"]
    assert {"publishableKey": []} not in staff and {"secretKey": []} in staff


def test_health_answers_ok_without_credentials(api):
    r = api.call("GET", "/v1/health")
    assert r.status_code == 200
    assert r.data == {"status": "ok"}


# -- the document lists what the server answers (defect 19; the fuzz checks every operation) --


def _documents(document, method, path, response):
    """The answer's status is one the operation documents; returns the operation."""
    op = document["paths"][path][method.lower()]
    assert str(response.status_code) in op["responses"], (
        f"{method} {path} answered {response.status_code}, documented {sorted(op['responses'])}"
    )
    return op


def _header(op, name):
    return next(
        (p for p in op.get("parameters", []) if p["in"] == "header" and p["name"] == name), None
    )


@pytest.fixture
def hotel(api):
    tenant = api.signup("doc-hotel")
    c = api.container
    data = c.tenant_data.for_tenant(c.platform.get_tenant(tenant["tenant_id"]))
    data.catalog.put_resource(room_type(), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    tenant["catalog"] = data.catalog
    return tenant


def _hold(api, hotel):
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 1}],
    }
    r = api.call("POST", "/v1/orders", auth=hotel["secret_key"], body=body)
    assert r.status_code == 201, r.body
    return r.data


def test_a_new_resource_past_the_plans_limit_answers_a_documented_402(api, document, hotel):
    for i in range(9):  # the free plan's 10 resources, with the hotel's own room
        hotel["catalog"].put_resource(room_type(f"res_{i}"), expected_rev=None)
    body = {"name": "One more", "kind": "nightly", "capacity": 1}
    r = api.call("POST", "/v1/resources", auth=hotel["secret_key"], body=body)
    assert r.status_code == 402, r.body
    _documents(document, "POST", "/v1/resources", r)


def test_revoking_a_calendar_feed_answers_a_documented_204(api, document, hotel):
    feed = "/v1/resources/{resource_id}/calendar-feed"
    path = feed.format(resource_id="res_double")
    assert api.call("POST", path, auth=hotel["secret_key"]).status_code == 201
    r = api.call("DELETE", path, auth=hotel["secret_key"])
    assert r.status_code == 204 and not r.body
    op = _documents(document, "DELETE", feed, r)
    assert [s for s in op["responses"] if s.startswith("2")] == ["204"]
    assert "content" not in op["responses"]["204"]


def test_a_stripe_webhook_with_a_bad_signature_answers_a_documented_400(api, document):
    now = int(api.container.clock.moment.timestamp())
    payload, headers = signed(
        event("payment_intent.succeeded", "pi_1", event_id="evt_doc_1"), "whsec_wrong", now
    )
    r = api.call("POST", "/v1/webhooks/stripe", raw=payload, headers=headers)
    assert r.status_code == 400, r.body
    op = _documents(document, "POST", "/v1/webhooks/stripe", r)
    assert _header(op, "Stripe-Signature")["required"] is True
    good, headers = signed(
        event("payment_intent.succeeded", "pi_1", event_id="evt_doc_1"), TEST_WEBHOOK_SECRET, now
    )
    _documents(
        document,
        "POST",
        "/v1/webhooks/stripe",
        api.call("POST", "/v1/webhooks/stripe", raw=good, headers=headers),
    )


def test_a_payment_provider_refusal_on_connect_answers_a_documented_502(api, document, hotel):
    from chalicelib.payments.domain.payments import ProviderError

    def refuse(*args, **kwargs):  # Stripe refusing the account: the answer is what is checked
        raise ProviderError("The payment provider refused the request.", provider_status=400)

    api.container.gateway.create_account = refuse
    # Not api.call: that fails the test on any 5xx, and a 502 is the answer checked here.
    headers = {"Authorization": f"Bearer {hotel['secret_key']}"}
    r = api.client.http.post("/v1/payments/connect", headers=headers)
    assert r.status_code == 502, r.body
    _documents(document, "POST", "/v1/payments/connect", r)


@pytest.mark.parametrize("action", ["confirm", "cancel"])
def test_a_status_change_needs_no_body_and_its_body_is_documented_optional(
    api, document, hotel, action
):
    order = _hold(api, hotel)
    path = f"/v1/orders/{order['id']}/{action}"
    r = api.client.http.post(path, headers={"Authorization": f"Bearer {hotel['secret_key']}"})
    assert r.status_code == 200, r.body
    op = document["paths"]["/v1/orders/{order_id}/" + action]["post"]
    assert op["requestBody"]["required"] is False


def test_a_body_with_required_fields_is_documented_required(document):
    assert document["paths"]["/v1/signup"]["post"]["requestBody"]["required"] is True
    assert document["paths"]["/v1/orders"]["post"]["requestBody"]["required"] is True


def test_a_stale_if_match_on_an_order_answers_a_documented_409_and_if_match_is_declared(
    api, document, hotel
):
    order = _hold(api, hotel)
    r = api.call(
        "POST",
        f"/v1/orders/{order['id']}/confirm",
        auth=hotel["secret_key"],
        headers={"If-Match": '"7"'},
    )
    assert r.status_code == 409, r.body
    op = _documents(document, "POST", "/v1/orders/{order_id}/confirm", r)
    assert _header(op, "If-Match")["required"] is False


def test_a_missing_or_stale_if_match_on_the_catalog_answers_a_documented_428_or_412(
    api, document, hotel
):
    r = api.call("DELETE", "/v1/resources/res_double", auth=hotel["secret_key"])
    assert r.status_code == 428, r.body
    op = _documents(document, "DELETE", "/v1/resources/{resource_id}", r)
    assert _header(op, "If-Match")["required"] is True
    headers = {"If-Match": '"9"'}
    r = api.call("DELETE", "/v1/resources/res_double", auth=hotel["secret_key"], headers=headers)
    assert r.status_code == 412, r.body
    _documents(document, "DELETE", "/v1/resources/{resource_id}", r)
    reschedule = document["paths"]["/v1/orders/{order_id}/reschedule"]["post"]
    assert _header(reschedule, "If-Match")["required"] is True


def test_idempotency_key_is_declared_on_the_posts_that_remember_answers(document):
    assert _header(document["paths"]["/v1/orders"]["post"], "Idempotency-Key")
    # A new key's plaintext is never stored: that POST takes a key but does not replay it.
    header = _header(document["paths"]["/v1/keys"]["post"], "Idempotency-Key")
    assert header and "idempotency_key_used" in header["description"]


MANAGED = {
    ("/v1/public/orders/{order_id}", "get"),
    ("/v1/public/orders/{order_id}/cancel", "post"),
    ("/v1/public/orders/{order_id}/reschedule", "post"),
    ("/v1/public/orders/{order_id}/payment", "post"),
    ("/v1/public/orders/{order_id}/payment", "get"),
    ("/v1/public/orders/{order_id}/confirm", "post"),
    ("/v1/public/orders/{order_id}/balance", "get"),
    ("/v1/public/orders/{order_id}/balance", "post"),
    ("/v1/public/orders/{order_id}/gift-card", "post"),
    ("/v1/public/orders/{order_id}/suggestions", "get"),
    ("/v1/public/orders/{order_id}/points", "get"),
    ("/v1/public/availability", "get"),  # with `order`: the customer moving their own
}


def test_the_routes_that_read_a_manage_token_document_both_places_for_it(document):
    for path, method, op in _operations(document):
        params = {(p["in"], p["name"]): p for p in op.get("parameters", [])}
        if (path, method) in MANAGED:
            header = params[("header", "X-Manage-Token")]
            assert header["required"] is False and "manage token" in header["description"]
            assert params[("query", "token")]["required"] is False, (path, method)
        else:
            assert ("header", "X-Manage-Token") not in params, (path, method)


def test_the_document_speaks_json_schema_not_pydantic(document):
    """`ge`/`le` are pydantic's words: JSON Schema validators and fuzzers ignore them."""
    text = json.dumps(document)
    assert '"ge":' not in text and '"le":' not in text


def test_the_hold_s_idempotency_key_is_said_to_last_as_long_as_its_order(document):
    """An outside integrator read "(24 hours)" on the hold, whose key the order keeps."""

    def said(path: str) -> str:
        [key] = [
            p
            for p in document["paths"][path]["post"]["parameters"]
            if p["name"] == "Idempotency-Key"
        ]
        return str(key["description"])

    for path in ("/v1/orders", "/v1/public/orders", "/v1/orders/{order_id}/confirm"):
        assert "for as long as the order it made is kept" in said(path), path
    assert "(24 hours)" in said("/v1/orders/{order_id}/payments")
