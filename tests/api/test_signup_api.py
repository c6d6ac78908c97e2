"""POST /v1/signup: the answer, the rules, and that a refused sign-up writes nothing."""

from __future__ import annotations

import pytest

from chalicelib.queues import PROVISIONING
from tests.api.support import assert_error, fields_named, forbid_server_errors, snapshot


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def _body(**changes):
    body = {
        "business_name": "Harbour View",
        "slug": "harbour-view",
        "owner_email": "owner@harbour.example",
        "owner_name": "Olga Owner",
        "timezone": "Europe/Berlin",
        "currency": "EUR",
        "locale": "en-GB",
        "business_type": "hotel",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


def test_sign_up_answers_202_with_both_keys_shown_once(api):
    r = api.call("POST", "/v1/signup", body=_body())

    assert r.status_code == 202, r.body
    assert r.headers["Location"] == "/v1/tenant"
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["X-Request-Id"]
    assert set(r.data) == {
        "tenant_id",
        "slug",
        "status",
        "owner_email",
        "secret_key",
        "publishable_key",
    }
    assert r.data["status"] == "provisioning"
    assert r.data["slug"] == "harbour-view"
    assert r.data["secret_key"].startswith("sk_")
    assert r.data["publishable_key"].startswith("pk_")
    # Only hashes are stored.
    stored = api.container.platform.keys.values()
    assert all(r.data["secret_key"] not in repr(k) for k in stored)


def test_sign_up_records_the_tenant_and_enqueues_one_provisioning_message(api):
    r = api.call("POST", "/v1/signup", body=_body())
    tenant_id = r.data["tenant_id"]

    assert api.container.platform.tenants[tenant_id].status.value == "provisioning"
    assert api.container.bus.sent == [
        (PROVISIONING.name, {"tenant_id": tenant_id, "owner_name": "Olga Owner"})
    ]


def test_the_keys_from_sign_up_work_and_the_tenant_becomes_active_once_provisioned(api):
    r = api.call("POST", "/v1/signup", body=_body())
    sk = r.data["secret_key"]

    polled = api.call("GET", "/v1/tenant", auth=sk)
    assert polled.status_code == 200
    assert polled.data["status"] == "provisioning"

    api.deliver_provisioning()

    active = api.call("GET", "/v1/tenant", auth=sk)
    assert active.data["status"] == "active"
    assert active.data["id"] == r.data["tenant_id"]
    public = api.call("GET", "/v1/public/tenant", auth=r.data["publishable_key"])
    assert public.status_code == 200
    assert public.data["slug"] == "harbour-view"


def test_the_owner_gets_the_name_given_at_sign_up(api):
    api.call("POST", "/v1/signup", body=_body(owner_name="Olga Owner"))
    api.deliver_provisioning()
    (owner,) = api.container.platform.users.values()
    assert owner.name == "Olga Owner"
    assert owner.role.value == "owner"
    assert owner.email == "owner@harbour.example"


def test_without_an_owner_name_the_owner_is_named_after_the_email(api):
    api.call("POST", "/v1/signup", body=_body(owner_name=...))
    api.deliver_provisioning()
    (owner,) = api.container.platform.users.values()
    assert owner.name == "owner"


def test_the_owner_email_is_stored_in_lower_case(api):
    r = api.call("POST", "/v1/signup", body=_body(owner_email="Owner@Harbour.Example"))
    assert r.status_code == 202
    assert r.data["owner_email"] == "owner@harbour.example"


def test_a_duplicate_slug_is_409_slug_taken_and_writes_nothing(api):
    api.signup("harbour-view")
    before = snapshot(api.container)

    r = api.call("POST", "/v1/signup", body=_body(owner_email="else@example.com"))

    error = assert_error(r, 409, "slug_taken")
    assert fields_named(error) == {"slug"}
    assert snapshot(api.container) == before


def test_an_owner_email_already_used_is_409_email_taken_and_writes_nothing(api):
    api.signup("harbour-view", email="owner@harbour.example")
    before = snapshot(api.container)

    r = api.call(
        "POST", "/v1/signup", body=_body(slug="other-place", owner_email="OWNER@harbour.example")
    )

    assert_error(r, 409, "email_taken")
    assert snapshot(api.container) == before


INVALID = [
    # (case id, changes, field, code)
    ("slug-with-upper-case", {"slug": "Harbour"}, "slug", None),
    ("slug-too-short", {"slug": "ab"}, "slug", None),
    ("slug-too-long", {"slug": "a" * 41}, "slug", None),
    ("slug-leading-hyphen", {"slug": "-harbour"}, "slug", "invalid_slug"),
    ("slug-double-hyphen", {"slug": "harbour--view"}, "slug", "invalid_slug"),
    ("slug-reserved", {"slug": "admin"}, "slug", "invalid_slug"),
    ("slug-trailing-newline", {"slug": "harbour\n"}, "slug", None),
    ("unknown-timezone", {"timezone": "Mars/Olympus_Mons"}, "timezone", "invalid_timezone"),
    ("unknown-currency", {"currency": "XYZ"}, "currency", "invalid_currency"),
    ("lower-case-currency", {"currency": "eur"}, "currency", None),
    ("bad-locale", {"locale": "english"}, "locale", "invalid_locale"),
    ("upper-case-locale", {"locale": "EN"}, "locale", "invalid_locale"),
    ("locale-trailing-newline", {"locale": "en\n"}, "locale", "invalid_locale"),
    ("bad-email", {"owner_email": "not-an-email"}, "owner_email", None),
    ("email-with-space", {"owner_email": "a b@example.com"}, "owner_email", None),
    ("unknown-business-type", {"business_type": "spaceport"}, "business_type", None),
    ("blank-business-name", {"business_name": "   "}, "business_name", "validation_failed"),
    ("empty-business-name", {"business_name": ""}, "business_name", None),
    ("missing-slug", {"slug": ...}, "slug", None),
    ("missing-business-type", {"business_type": ...}, "business_type", None),
    ("unknown-field", {"tenant_id": "t-someone-else"}, "tenant_id", "validation_failed"),
    ("unknown-field-plan", {"plan": "business"}, "plan", "validation_failed"),
    ("number-for-slug", {"slug": 12345}, "slug", "validation_failed"),
    ("list-for-business-name", {"business_name": ["Harbour"]}, "business_name", None),
    ("bool-for-email", {"owner_email": True}, "owner_email", "validation_failed"),
    ("number-for-business-type", {"business_type": 1}, "business_type", "validation_failed"),
    ("null-for-timezone", {"timezone": None}, "timezone", "validation_failed"),
    ("object-for-currency", {"currency": {"code": "EUR"}}, "currency", "validation_failed"),
]


@pytest.mark.parametrize(
    ("changes", "field", "code"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID]
)
def test_an_invalid_sign_up_is_422_naming_the_field_and_writes_nothing(api, changes, field, code):
    before = snapshot(api.container)

    r = api.call("POST", "/v1/signup", body=_body(**changes))

    error = assert_error(r, 422, code)
    assert field in fields_named(error), error
    assert snapshot(api.container) == before
    assert api.container.bus.sent == []


def test_an_unknown_field_is_reported_as_extra_forbidden(api):
    r = api.call("POST", "/v1/signup", body=_body(tenant_id="t1"))
    error = assert_error(r, 422, "validation_failed")
    assert {"field": "tenant_id", "problem": "extra_forbidden"}.items() <= (
        error["details"]["fields"][0].items()
    )


def test_validation_errors_do_not_echo_the_input(api):
    r = api.call("POST", "/v1/signup", body=_body(owner_email="<script>x</script>"))
    assert_error(r, 422, "validation_failed")
    assert "<script>" not in r.body.decode()


@pytest.mark.parametrize(
    "raw",
    ['{"slug": ', "not json", '{"slug": "a",}', "{'slug': 'abc'}", "\x00"],
    ids=["truncated", "text", "trailing-comma", "single-quotes", "nul"],
)
def test_malformed_json_is_400_malformed_json_and_writes_nothing(api, raw):
    before = snapshot(api.container)
    r = api.call("POST", "/v1/signup", raw=raw)
    assert_error(r, 400, "malformed_json")
    assert snapshot(api.container) == before


@pytest.mark.parametrize("digits", [41, 5000])
def test_a_number_too_long_for_any_field_is_422_naming_it_not_malformed_json(api, digits):
    """An outside tester's 5,000 nines in a party were "not valid JSON": the JSON was valid."""
    from tests.api.support import fields_named

    raw = '{"customer": {"name": "x"}, "lines": [{"party": %s}]}' % ("9" * digits)
    tenant = api.signup("long-number")
    r = api.call("POST", "/v1/orders", auth=tenant["secret_key"], raw=raw)
    assert "lines.0.party" in fields_named(assert_error(r, 422, "validation_failed"))
    if digits > 4300:  # past what the JSON parser takes (41: its own bound is said)
        [party] = [f for f in r.data["error"]["details"]["fields"] if f["field"] == "lines.0.party"]
        assert party["message"] == "Should be a number of at most 40 digits."
    assert (
        api.container.tenant_data.for_tenant(
            api.container.platform.get_tenant(tenant["tenant_id"])
        ).orders.orders
        == {}
    )


@pytest.mark.parametrize(
    "raw",
    [
        '{"customer": {"name": "x"}, "lines": [{"party": %s}],}' % ("9" * 5000),
        '{"lines": [{"party": ' + "9" * 5000 + '}], "x": ' + "[" * 70 + "1" + "]" * 70 + "}",
        b'{"lines": [{"party": ' + b"9" * 5000 + b'}], "name": "\xff"}',
    ],
    ids=["trailing-comma", "too-deep", "not-utf8"],
)
def test_a_long_number_in_a_malformed_body_is_still_malformed_json_not_a_500(api, raw):
    """A reviewer's: the second reading of a body with a long number raised on what the
    first had not reached yet."""
    tenant = api.signup("long-number-bad")
    r = api.call("POST", "/v1/orders", auth=tenant["secret_key"], raw=raw)
    assert r.status_code in (400, 422), r.body
    if r.status_code == 400:
        assert_error(r, 400, "malformed_json")


def test_a_value_saying_number_out_of_range_is_an_ordinary_422_naming_its_field(api):
    from tests.api.support import fields_named

    tenant = api.signup("long-number-words")
    body = {"customer": {"name": "x"}, "lines": [{"party": "number out of range"}]}
    r = api.call("POST", "/v1/orders", auth=tenant["secret_key"], body=body)
    assert "lines.0.party" in fields_named(assert_error(r, 422, "validation_failed"))


@pytest.mark.parametrize("raw", ["[]", "null", '"a string"', "42", ""])
def test_a_body_that_is_not_an_object_is_422_and_writes_nothing(api, raw):
    before = snapshot(api.container)
    r = api.call("POST", "/v1/signup", raw=raw)
    assert_error(r, 422, "validation_failed")
    assert snapshot(api.container) == before


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_a_non_json_content_type_is_415_in_our_error_shape(api, content_type):
    before = snapshot(api.container)
    r = api.call("POST", "/v1/signup", body=_body(), headers={"Content-Type": content_type})
    assert_error(r, 415, "unsupported_media_type")
    assert snapshot(api.container) == before


def test_json_with_a_charset_is_accepted(api):
    r = api.call(
        "POST",
        "/v1/signup",
        body=_body(),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert r.status_code == 202, r.body


def test_sign_up_needs_no_credentials_and_ignores_any_given(api):
    r = api.call("POST", "/v1/signup", body=_body(), auth="sk_not_a_real_key")
    assert r.status_code == 202, r.body
