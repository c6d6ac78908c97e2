"""Text messages go only to mobile numbers in the countries a tenant allows: any valid number
books, the answer says whether texts will go to it, and the notifications send none otherwise."""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, fields_named, forbid_server_errors
from tests.api.test_notifications_api import deliver_events, salon  # noqa: F401

GERMAN_MOBILE = "+4915112345678"


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def _book(api, tenant, phone, *, public=False, start="2026-12-01T10:00"):
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com", "phone": phone},
        "lines": [{"offering_id": "off_cut", "start": start}],
    }
    path, auth = "/v1/orders", tenant["secret_key"]
    if public:
        path, auth = "/v1/public/orders", tenant["publishable_key"]
    r = api.call("POST", path, auth=auth, body=body)
    assert r.status_code == 201, r.body
    return r.data


@pytest.mark.parametrize(
    ("phone", "refused"),
    [
        ("+4930123456", "not_mobile"),  # a Berlin landline
        ("+499001234567", "not_mobile"),  # premium rate
        ("+4918012345", "not_mobile"),  # shared cost
        ("+88216000000", "international_network"),
        ("+881612345678", "international_network"),  # satellite
        ("+2399901234", "country_not_allowed"),  # São Tomé
    ],
)
def test_a_number_that_gets_no_text_still_books_and_the_answer_says_so(
    api,
    salon,  # noqa: F811
    phone,
    refused,
):
    order = _book(api, salon, phone, public=True)
    assert order["customer"]["phone"] == phone
    assert order["customer"]["sms"] is False and order["customer"]["sms_refused"] == refused
    assert deliver_events(api) == {"batchItemFailures": []}
    assert api.container.sms.sent == []
    assert len(api.container.mailer.sent) == 1  # the e-mail still goes


def test_a_mobile_in_the_tenants_country_gets_its_text(api, salon):  # noqa: F811
    order = _book(api, salon, GERMAN_MOBILE)
    assert order["customer"]["sms"] is True and order["customer"]["sms_refused"] is None
    # Shown grouped as Germany writes it (an outside tester's desk read the bare E.164).
    assert order["customer"]["phone"] == GERMAN_MOBILE
    assert order["customer"]["phone_display"] == "+49 1511 2345678"
    deliver_events(api)
    assert [phone for phone, _ in api.container.sms.sent] == [GERMAN_MOBILE]


def test_the_tenant_chooses_its_sms_countries(api, salon):  # noqa: F811
    sk = salon["secret_key"]
    assert api.call("GET", "/v1/tenant", auth=sk).data["settings"]["sms_countries"] == ["DE"]
    r = api.call("PATCH", "/v1/tenant", auth=sk, body={"sms_countries": ["us", "DE"]})
    assert r.status_code == 200 and r.data["settings"]["sms_countries"] == ["DE", "US"]
    order = _book(api, salon, "+12125551234")
    assert order["customer"]["sms"] is True
    r = api.call("PATCH", "/v1/tenant", auth=sk, body={"sms_countries": ["XX"]})
    assert fields_named(assert_error(r, 422, "invalid_sms_countries")) == {"sms_countries"}
    r = api.call("PATCH", "/v1/tenant", auth=sk, body={"sms_countries": ["DEU"]})
    assert fields_named(assert_error(r, 422, "validation_failed")) == {"sms_countries.0"}


def test_the_send_time_check_is_the_real_guard(api, salon):  # noqa: F811
    sk = salon["secret_key"]
    order = _book(api, salon, GERMAN_MOBILE)
    assert order["customer"]["sms"] is True
    # The tenant stops texting Germany before the held message goes out: no text.
    r = api.call("PATCH", "/v1/tenant", auth=sk, body={"sms_countries": []})
    assert r.status_code == 200 and r.data["settings"]["sms_countries"] == []
    api.container.key_cache.forget_tenant(salon["tenant_id"])
    assert deliver_events(api) == {"batchItemFailures": []}
    assert api.container.sms.sent == [] and len(api.container.mailer.sent) == 1
    got = api.call("GET", f"/v1/orders/{order['id']}", auth=sk).data
    assert got["customer"]["sms_refused"] == "country_not_allowed"


@pytest.mark.parametrize("phone", [None, "+4930123456"])  # no phone; a Berlin landline
def test_a_message_sent_by_text_only_reaches_who_cannot_be_texted_by_e_mail(
    api,
    salon,  # noqa: F811
    phone,
):
    """An outside tester chose "SMS only" for the held message: customers with no phone or a
    landline were told nothing at all, though the console says they get e-mail."""
    sk = salon["secret_key"]
    r = api.call("PATCH", "/v1/tenant", auth=sk, body={"message_channels": {"held": ["sms"]}})
    assert r.status_code == 200, r.body
    body = {
        "customer": {
            "name": "Ada",
            "email": "ada@example.com",
            **({"phone": phone} if phone else {}),
        },
        "lines": [{"offering_id": "off_cut", "start": "2026-12-01T10:00"}],
    }
    assert api.call("POST", "/v1/orders", auth=sk, body=body).status_code == 201
    assert deliver_events(api) == {"batchItemFailures": []}
    assert api.container.sms.sent == []
    assert [m.to for m in api.container.mailer.sent] == ["ada@example.com"]
    # A mobile gets the text alone, as chosen.
    api.container.mailer.sent.clear()
    body["customer"] = {"name": "Bo", "email": "bo@example.com", "phone": GERMAN_MOBILE}
    body["lines"] = [{"offering_id": "off_cut", "start": "2026-12-01T11:00"}]
    assert api.call("POST", "/v1/orders", auth=sk, body=body).status_code == 201
    assert deliver_events(api) == {"batchItemFailures": []}
    assert [p for p, _ in api.container.sms.sent] == [GERMAN_MOBILE]
    assert api.container.mailer.sent == []
