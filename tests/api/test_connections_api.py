"""/v1/channels: channel connections made, read, changed and mapped against the catalog, who
may do which, and the HMAC secret shown once."""

from __future__ import annotations

import pytest

from chalicelib.channels.services.connections import connection_secret
from tests.api.support import assert_error, forbid_server_errors, tenant_data
from tests.builders import day_tour, departure, room_type, stay_offering

CONNECTION_FIELDS = {
    "id",
    "name",
    "kind",
    "status",
    "settlement",
    "outbound_url",
    "events",
    "commission_bp",
    "offering_commissions",
    "mappings",
    "key_prefix",
    "secret_set",
    "inbound_url",
    "created_at",
    "updated_at",
    "version",
}


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def hotel(api):
    tenant = api.signup("harbour")
    data = tenant_data(api, tenant)
    data.catalog.put_resource(room_type(rooms=4), expected_rev=None)
    data.catalog.put_resource(room_type("res_single", rooms=2, name="Single"), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    return tenant


def connect(api, tenant, **fields):
    body = {"name": "Expedia", "kind": "channel_manager", **fields}
    r = api.call("POST", "/v1/channels", auth=tenant["secret_key"], body=body)
    assert r.status_code == 201, r.body
    return r.data


def test_a_new_connection_is_active_with_no_credentials_and_its_inbound_address(api, hotel):
    made = connect(
        api,
        hotel,
        outbound_url="https://ari.expedia.example/push",
        events=["availability", "rates"],
        commission_bp=1500,
    )
    assert set(made) == CONNECTION_FIELDS
    assert made["id"].startswith("chn_")
    assert made["status"] == "active" and made["settlement"] == "partner"
    assert made["events"] == ["availability", "rates"] and made["commission_bp"] == 1500
    assert made["key_prefix"] is None and made["secret_set"] is False
    assert made["inbound_url"] == f"/v1/channel-events/{hotel['tenant_id']}/{made['id']}"
    assert made["version"] == 1

    one = api.call("GET", f"/v1/channels/{made['id']}", auth=hotel["secret_key"])
    assert one.status_code == 200 and one.data == made and one.headers["ETag"] == '"1"'
    listed = api.call("GET", "/v1/channels", auth=hotel["secret_key"])
    assert listed.status_code == 200 and listed.data == {"data": [made]}


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"kind": "ota"}, "validation_failed"),
        ({"commission_bp": 10001}, "validation_failed"),
        ({"outbound_url": "http://ari.expedia.example/push"}, "https_required"),
        ({"outbound_url": "https://ari.expedia.example/out put"}, "invalid_url"),
        ({"events": ["bookings"]}, "unknown_channel_events"),
        ({"name": "   "}, "validation_failed"),
    ],
)
def test_a_connection_that_cannot_work_is_refused(api, hotel, fields, code):
    body = {"name": "Expedia", "kind": "channel_manager", **fields}
    r = api.call("POST", "/v1/channels", auth=hotel["secret_key"], body=body)
    assert_error(r, 422, code)
    assert tenant_data(api, hotel).connections.items == {}


def test_staff_read_connections_but_only_managers_change_them(api, hotel):
    made = connect(api, hotel)
    staff = api.staff_token(hotel, "staff")
    viewer = api.staff_token(hotel, "viewer")
    assert api.call("GET", "/v1/channels", auth=staff).status_code == 200
    assert api.call("GET", f"/v1/channels/{made['id']}", auth=staff).status_code == 200
    assert_error(api.call("GET", "/v1/channels", auth=viewer), 403, "role_forbidden")
    body = {"name": "Agent", "kind": "agent"}
    assert_error(api.call("POST", "/v1/channels", auth=staff, body=body), 403, "role_forbidden")
    r = api.call("PATCH", f"/v1/channels/{made['id']}", auth=staff, body={"name": "X"})
    assert_error(r, 403, "role_forbidden")
    manager = api.staff_token(hotel, "manager")
    r = api.call("PATCH", f"/v1/channels/{made['id']}", auth=manager, body={"name": "Expedia EU"})
    assert r.status_code == 200 and r.data["name"] == "Expedia EU"


def test_a_change_touches_only_what_it_sends_and_null_removes_the_address(api, hotel):
    made = connect(api, hotel, outbound_url="https://ari.expedia.example/push")
    path = f"/v1/channels/{made['id']}"
    r = api.call(
        "PATCH",
        path,
        auth=hotel["secret_key"],
        body={
            "status": "disabled",
            "commission_bp": 1200,
            "offering_commissions": {"off_stay": 1800},
            "settlement": "customer",
        },
        headers={"If-Match": '"1"'},
    )
    assert r.status_code == 200, r.body
    assert r.data["status"] == "disabled" and r.data["settlement"] == "customer"
    assert r.data["commission_bp"] == 1200 and r.data["offering_commissions"] == {"off_stay": 1800}
    assert r.data["outbound_url"] == "https://ari.expedia.example/push"
    assert r.data["version"] == 2 and r.headers["ETag"] == '"2"'

    cleared = api.call("PATCH", path, auth=hotel["secret_key"], body={"outbound_url": None})
    assert cleared.status_code == 200 and cleared.data["outbound_url"] is None
    assert cleared.data["name"] == "Expedia"


def test_a_stale_change_and_an_unknown_offering_rate_are_refused(api, hotel):
    made = connect(api, hotel)
    path = f"/v1/channels/{made['id']}"
    api.call("PATCH", path, auth=hotel["secret_key"], body={"name": "Expedia EU"})
    stale = api.call(
        "PATCH", path, auth=hotel["secret_key"], body={"name": "X"}, headers={"If-Match": '"1"'}
    )
    assert_error(stale, 409, "version_mismatch")
    r = api.call(
        "PATCH",
        path,
        auth=hotel["secret_key"],
        body={"offering_commissions": {"off_nope": 1000}},
    )
    assert_error(r, 422, "unknown_offering")
    assert tenant_data(api, hotel).connections.get(made["id"]).name == "Expedia EU"


def test_an_unknown_connection_is_404(api, hotel):
    for method, path, body in [
        ("GET", "/v1/channels/chn_nope", None),
        ("PATCH", "/v1/channels/chn_nope", {"name": "X"}),
        ("PUT", "/v1/channels/chn_nope/mappings", {"mappings": []}),
        ("POST", "/v1/channels/chn_nope/key", None),
        ("POST", "/v1/channels/chn_nope/secret", None),
        ("GET", "/v1/channels/chn_nope/statements/2026-11", None),
        ("GET", "/v1/channels/chn_nope/orders/EXP-1", None),
    ]:
        r = api.call(method, path, auth=hotel["secret_key"], body=body)
        assert_error(r, 404, "connection_not_found")


def test_mappings_name_offerings_and_the_resources_they_book(api, hotel):
    made = connect(api, hotel)
    path = f"/v1/channels/{made['id']}/mappings"
    mappings = [
        {"partner_id": "DBL", "offering_id": "off_stay", "resource_id": "res_double"},
        {"partner_id": "DBL", "offering_id": "off_stay", "rate_id": "NRF"},
    ]
    r = api.call("PUT", path, auth=hotel["secret_key"], body={"mappings": mappings})
    assert r.status_code == 200, r.body
    assert r.data["mappings"] == [
        {
            "partner_id": "DBL",
            "offering_id": "off_stay",
            "resource_id": "res_double",
            "rate_id": "",
        },
        {"partner_id": "DBL", "offering_id": "off_stay", "resource_id": None, "rate_id": "NRF"},
    ]
    stored = tenant_data(api, hotel).connections.get(made["id"])
    assert stored.mapping_for("DBL", "NRF").rate_id == "NRF"
    assert stored.mapping_for("DBL", "FLEX").resource_id == "res_double"  # any rate
    assert stored.mapping_for("SGL") is None


@pytest.mark.parametrize(
    ("mapping", "code"),
    [
        ({"partner_id": "DBL", "offering_id": "off_nope"}, "unknown_offering"),
        (
            {"partner_id": "DBL", "offering_id": "off_stay", "resource_id": "res_nope"},
            "unknown_resource",
        ),
        # A resource of the catalog the offering does not book: another room type.
        (
            {"partner_id": "DBL", "offering_id": "off_stay", "resource_id": "res_single"},
            "unknown_resource",
        ),
    ],
)
def test_a_mapping_to_something_the_catalog_does_not_sell_is_refused(api, hotel, mapping, code):
    made = connect(api, hotel)
    path = f"/v1/channels/{made['id']}/mappings"
    r = api.call("PUT", path, auth=hotel["secret_key"], body={"mappings": [mapping]})
    assert_error(r, 422, code)
    assert tenant_data(api, hotel).connections.get(made["id"]).mappings == ()


def _with_a_tour(api, tenant):
    data = tenant_data(api, tenant)
    data.catalog.put_resource(departure(), expected_rev=None)
    data.catalog.put_offering(day_tour(), expected_rev=None)


TOUR_MAPPING = {"partner_id": "BADA", "offering_id": "off_tour", "resource_id": "res_wall"}


def test_a_channel_managers_room_type_is_mapped_to_a_stay_only(api, hotel):
    """The tester's finding: a channel manager's room type mapped to a tour was accepted, and
    every reservation of it then rejected `missing_start`, seen only in /inbound."""
    _with_a_tour(api, hotel)
    made = connect(api, hotel, name="Tour CM", settlement="partner", commission_bp=1000)
    path = f"/v1/channels/{made['id']}/mappings"
    mappings = [{"partner_id": "DBL", "offering_id": "off_stay"}, TOUR_MAPPING]
    r = api.call("PUT", path, auth=hotel["secret_key"], body={"mappings": mappings})
    error = assert_error(r, 422, "mapping_not_a_stay")
    assert error["details"]["partner_id"] == "BADA"
    assert error["details"]["offering_id"] == "off_tour"
    assert "BADA" in error["message"] and "off_tour" in error["message"]
    assert tenant_data(api, hotel).connections.get(made["id"]).mappings == ()


@pytest.mark.parametrize("kind", ["octo", "agent"])
def test_a_reseller_or_agent_maps_tours_and_cannot_become_a_channel_manager_with_them(
    api, hotel, kind
):
    _with_a_tour(api, hotel)
    made = connect(api, hotel, name="Viator", kind=kind)
    path = f"/v1/channels/{made['id']}"
    body = {"mappings": [TOUR_MAPPING]}
    r = api.call("PUT", f"{path}/mappings", auth=hotel["secret_key"], body=body)
    assert r.status_code == 200, r.body
    # Made a channel manager, its tour mapping would be rejected on every webhook as well.
    r = api.call("PATCH", path, auth=hotel["secret_key"], body={"kind": "channel_manager"})
    error = assert_error(r, 422, "mapping_not_a_stay")
    assert error["details"]["partner_id"] == "BADA"
    assert tenant_data(api, hotel).connections.get(made["id"]).kind.value == kind


def test_a_partner_product_and_rate_is_mapped_once(api, hotel):
    made = connect(api, hotel)
    twice = [{"partner_id": "DBL", "offering_id": "off_stay"}] * 2
    r = api.call(
        "PUT",
        f"/v1/channels/{made['id']}/mappings",
        auth=hotel["secret_key"],
        body={"mappings": twice},
    )
    assert_error(r, 422, "duplicate_mapping")


def test_the_hmac_secret_is_shown_once_and_kept_for_signing(api, hotel):
    made = connect(api, hotel)
    r = api.call("POST", f"/v1/channels/{made['id']}/secret", auth=hotel["secret_key"])
    assert r.status_code == 201 and r.headers["Cache-Control"] == "no-store"
    secret = r.data["secret"]
    assert secret.startswith("whsec_") and len(secret) > 30
    shown = api.call("GET", f"/v1/channels/{made['id']}", auth=hotel["secret_key"])
    assert shown.data["secret_set"] is True and secret not in shown.body.decode()
    assert secret not in api.call("GET", "/v1/channels", auth=hotel["secret_key"]).body.decode()

    again = api.call("POST", f"/v1/channels/{made['id']}/secret", auth=hotel["secret_key"])
    data = tenant_data(api, hotel)
    connection = data.connections.get(made["id"])
    assert again.data["secret"] != secret
    assert data.connections.secret(made["id"]) == again.data["secret"]
    assert connection.secret_set and connection.version == 3


def test_connection_secret_is_refused_until_one_is_made_then_reads_it(api, hotel):
    from chalicelib.kernel.domain.audit import Actor
    from chalicelib.kernel.domain.errors import NotFound
    from chalicelib.kernel.services.context import TenantContext

    made = connect(api, hotel)
    c = api.container
    ctx = TenantContext(
        tenant=c.platform.get_tenant(hotel["tenant_id"]),
        actor=Actor(kind="secret_key", id="k", tenant_id=hotel["tenant_id"], role="staff"),
        data_factory=c.tenant_data,
        now=c.now,
        new_id=c.new_id,
    )
    connection = ctx.data.connections.get(made["id"])
    with pytest.raises(NotFound) as refused:
        connection_secret(ctx, connection)
    assert refused.value.code == "connection_secret_not_set"
    shown = api.call("POST", f"/v1/channels/{made['id']}/secret", auth=hotel["secret_key"])
    connection = ctx.data.connections.get(made["id"])
    assert connection_secret(ctx, connection) == shown.data["secret"]
