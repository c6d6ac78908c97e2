"""A resource that does not exist (or is another tenant's) is 404 `resource_not_found` on
every route that names one in its path, whatever else the route reads."""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, forbid_server_errors

# Each GET and DELETE of a resource, with the query it needs (a route added is listed below).
READS = {
    ("GET", "/v1/resources/{resource_id}"): "",
    ("DELETE", "/v1/resources/{resource_id}"): "",
    ("GET", "/v1/resources/{resource_id}/calendar-feed"): "",
    ("POST", "/v1/resources/{resource_id}/calendar-feed"): "",
    ("DELETE", "/v1/resources/{resource_id}/calendar-feed"): "",
    ("GET", "/v1/resources/{resource_id}/day"): "?date=2026-12-10",
    ("GET", "/v1/resources/{resource_id}/day.pdf"): "?date=2026-12-10",
    ("GET", "/v1/resources/{resource_id}/rooms"): "?date=2026-12-10",
}
# Bodies checked before the resource is looked up: their own tests cover them.
WITH_BODIES = {
    ("PUT", "/v1/resources/{resource_id}"),
    ("POST", "/v1/resources/{resource_id}/outages"),
}


def test_every_route_of_one_resource_is_listed():
    import app  # noqa: F401  (registers every route)
    from chalicelib.web.route_spec import REGISTRY

    declared = {
        (s.method, s.path) for s in REGISTRY if "{resource_id}" in s.path and s.path.count("{") == 1
    }
    assert declared == set(READS) | WITH_BODIES


@pytest.mark.parametrize(("method", "path"), sorted(READS))
def test_a_missing_resource_is_resource_not_found(api, method, path):
    forbid_server_errors(api)
    tenant = api.signup("no-rooms")
    url = path.format(resource_id="res_nowhere") + READS[(method, path)]
    headers = {"If-Match": "*", "Accept": "application/pdf" if ".pdf" in path else "*/*"}
    r = api.call(method, url, auth=tenant["secret_key"], headers=headers)
    assert_error(r, 404, "resource_not_found")
