"""The OpenAPI document describes exactly the routes the app serves, and is valid 3.1."""

from __future__ import annotations

import json
import re

import pytest

from tests.api.support import forbid_server_errors

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
    for path, method, op in _operations(document):
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
    raw = {("/v1/webhooks/stripe", "POST")}
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
    for path, method, op in _operations(document):
        for status, response in op["responses"].items():
            if status.startswith(("4", "5")):
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (path, method)


def test_open_routes_need_no_security_and_the_others_do(document):
    open_routes = {
        ("/v1/signup", "post"),
        ("/v1/openapi.json", "get"),
        ("/v1/docs", "get"),
        ("/v1/health", "get"),
        ("/v1/webhooks/stripe", "post"),  # signed by Stripe instead
        ("/v1/calendar/{token}", "get"),  # the token in the path is the credential
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


def test_the_docs_page_is_html(api):
    r = api.client.http.get("/v1/docs")  # not api.call: that decodes every body as JSON
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert b"<html" in r.body.lower()
    assert b"openapi.json" in r.body  # fetched relative to /v1/docs


def test_health_answers_ok_without_credentials(api):
    r = api.call("GET", "/v1/health")
    assert r.status_code == 200
    assert r.data == {"status": "ok"}


MANAGED = {
    ("/v1/public/orders/{order_id}", "get"),
    ("/v1/public/orders/{order_id}/cancel", "post"),
    ("/v1/public/orders/{order_id}/reschedule", "post"),
    ("/v1/public/orders/{order_id}/payment", "post"),
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
