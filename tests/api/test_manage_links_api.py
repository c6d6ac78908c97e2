"""The manage link: every message about a live booking carries it, it opens the tenant's page
with the widget on the order, and staff can revoke an order's links (the next message carries
a new one)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from chalicelib.queues import HOLD_EXPIRY, MESSAGE_EVENTS
from tests.api.support import assert_error, forbid_server_errors, snapshot
from tests.api.test_notifications_api import deliver_events, invoke
from tests.builders import haircut, stylist

SITE = "https://www.shear.example"
PAGE = f"{SITE}/book"


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def salon(api):
    tenant = api.signup("shear")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(stylist("res_a", "Alex"), expected_rev=None)
    data.catalog.put_offering(haircut(), expected_rev=None)
    r = api.call(
        "PATCH",
        "/v1/tenant",
        auth=tenant["secret_key"],
        body={"widget_origins": [SITE], "booking_page": PAGE + "?from=email"},
    )
    assert r.status_code == 200, r.body
    return tenant


def widget_booking(api, tenant, start="2026-12-01T10:00", locale=None):
    customer = {"name": "Ada", "email": "ada@example.com", "phone": "+4915112345678"}
    if locale:
        customer["locale"] = locale
    body = {"customer": customer, "lines": [{"offering_id": "off_cut", "start": start}]}
    r = api.call("POST", "/v1/public/orders", auth=tenant["publishable_key"], body=body)
    assert r.status_code == 201, r.body
    api.container.bus.take(HOLD_EXPIRY.name)
    return r.data


def links_in(text: str) -> list[str]:
    return re.findall(r"https://\S+#reservoir_order=\S+", text)


def token_of(link: str) -> tuple[str, str]:
    fragment = parse_qs(urlsplit(link).fragment)
    return fragment["reservoir_order"][0], fragment["reservoir_token"][0]


def opens(api, tenant, link: str) -> int:
    order_id, token = token_of(link)
    return api.call(
        "GET",
        f"/v1/public/orders/{order_id}",
        auth=tenant["publishable_key"],
        headers={"X-Manage-Token": token},
    ).status_code


def test_the_tenant_names_its_booking_page(api, salon):
    settings = api.call("GET", "/v1/tenant", auth=salon["secret_key"]).data["settings"]
    assert settings["booking_page"] == PAGE + "?from=email"


@pytest.mark.parametrize(
    ("page", "code"),
    [
        ("https://elsewhere.example/book", "booking_page_not_on_widget_origin"),
        (PAGE + "#section", "invalid_booking_page"),
        ("http://www.shear.example/book", "invalid_booking_page"),
        ("book", "invalid_booking_page"),
        ("https://user@www.shear.example/book", "invalid_booking_page"),
        ("https://www.shear.example/my page", "invalid_booking_page"),  # breaks in a text
        ('https://www.shear.example/"book"', "invalid_booking_page"),
    ],
)
def test_a_booking_page_off_the_widget_origins_is_422(api, salon, page, code):
    before = snapshot(api.container)
    r = api.call("PATCH", "/v1/tenant", auth=salon["secret_key"], body={"booking_page": page})
    assert_error(r, 422, code)
    assert snapshot(api.container) == before


def test_dropping_the_pages_origin_is_refused_while_the_page_is_named(api, salon):
    r = api.call("PATCH", "/v1/tenant", auth=salon["secret_key"], body={"widget_origins": []})
    assert_error(r, 422, "booking_page_not_on_widget_origin")
    both = {"widget_origins": [], "booking_page": ""}
    assert api.call("PATCH", "/v1/tenant", auth=salon["secret_key"], body=both).status_code == 200


def test_every_message_about_the_booking_carries_a_working_manage_link(api, salon):
    order = widget_booking(api, salon)
    deliver_events(api)  # the "held" message, a minute on
    api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=salon["secret_key"])
    deliver_events(api)
    held, confirmed = api.container.mailer.sent
    for email in (held, confirmed):
        [link] = links_in(email.text)
        assert link.startswith(PAGE + "?from=email#reservoir_order=" + order["id"])
        assert f'href="{link.replace("&", "&amp;")}"' in email.html
        assert opens(api, salon, link) == 200
    texts = [t for _, t in api.container.sms.sent]
    assert texts and all(len(links_in(t)) == 1 for t in texts)


def test_the_link_carries_the_customers_language_so_the_page_opens_in_it(api, salon):
    order = widget_booking(api, salon, locale="zh-Hans")
    api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=salon["secret_key"])
    deliver_events(api)
    [link] = links_in(api.container.mailer.sent[-1].text)
    assert parse_qs(urlsplit(link).fragment)["reservoir_lang"] == ["zh-Hans"]
    assert opens(api, salon, link) == 200
    # A customer whose language is not known: the page's or the browser's, as before.
    unknown = widget_booking(api, salon, start="2026-12-01T12:00")
    api.call("POST", f"/v1/orders/{unknown['id']}/confirm", auth=salon["secret_key"])
    deliver_events(api)
    [link] = links_in(api.container.mailer.sent[-1].text)
    assert "reservoir_lang" not in parse_qs(urlsplit(link).fragment)


def test_no_booking_page_no_link(api, salon):
    api.call("PATCH", "/v1/tenant", auth=salon["secret_key"], body={"booking_page": ""})
    order = widget_booking(api, salon)
    api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=salon["secret_key"])
    deliver_events(api)
    assert api.container.mailer.sent and not links_in(api.container.mailer.sent[-1].text)


def test_staff_revoke_the_links_and_the_next_message_carries_a_new_one(api, salon):
    order = widget_booking(api, salon)
    first = order["manage_token"]
    r = api.call("POST", f"/v1/orders/{order['id']}/manage-links/revoke", auth=salon["secret_key"])
    assert r.status_code == 200 and r.data["version"] == order["version"] + 1
    gone = api.call(
        "GET",
        f"/v1/public/orders/{order['id']}",
        auth=salon["publishable_key"],
        headers={"X-Manage-Token": first},
    )
    assert_error(gone, 404, "order_not_found")  # as any unknown link
    api.container.relayed_events(MESSAGE_EVENTS.name)  # the hold's message: not this test's
    api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=salon["secret_key"])
    messages = api.container.relayed_events(MESSAGE_EVENTS.name)
    invoke(api, "dispatch_message_events", MESSAGE_EVENTS.name, messages)
    [link] = links_in(api.container.mailer.sent[-1].text)
    assert token_of(link)[1] != first and opens(api, salon, link) == 200
    entries = api.call("GET", "/v1/audit", auth=salon["secret_key"]).data["data"]
    assert any(e["action"] == "order.manage_links_revoked" for e in entries)


def test_revoking_another_tenants_order_is_404(api, salon):
    order = widget_booking(api, salon)
    other = api.signup("other")
    r = api.call("POST", f"/v1/orders/{order['id']}/manage-links/revoke", auth=other["secret_key"])
    assert_error(r, 404)
    assert (
        opens(
            api,
            salon,
            f"{PAGE}#reservoir_order={order['id']}&reservoir_token={order['manage_token']}",
        )
        == 200
    )
