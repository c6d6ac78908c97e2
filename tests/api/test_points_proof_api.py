"""The e-mail proof: what is a customer's rather than an order's (their points, what they booked
before) answers the widget only with the proof that comes in the links of e-mails to the
order's address. A hold made by typing someone's e-mail gets a manage token in its answer,
and that token opens the hold, not the address's points (the outside probe's defect 3)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.api.support import assert_error, forbid_server_errors, snapshot
from tests.api.test_coupons_api import STAY, book, open_inn
from tests.api.test_loyalty_api import PROGRAMME, balance, earned
from tests.api.test_notifications_api import deliver_events

SITE = "https://www.points-inn.example"
PAGE = f"{SITE}/book"
WIDGET = "/v1/public/orders"


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def inn(api):
    tenant = open_inn(api, "proof-inn")
    key = tenant["secret_key"]
    assert api.call("PUT", "/v1/loyalty/programme", auth=key, body=PROGRAMME).status_code == 200
    page = {"widget_origins": [SITE], "booking_page": PAGE}
    assert api.call("PATCH", "/v1/tenant", auth=key, body=page).status_code == 200
    return tenant


def mailed_link(api, order_id: str, to: str = "ada@example.com") -> dict[str, str]:
    """The fragment of the newest manage link of an e-mail to `to` about the order."""
    for email in reversed(api.container.mailer.sent):
        found = re.findall(rf"https://\S+#reservoir_order={order_id}\S*", email.text)
        if found and email.to == to:
            return {k: v[0] for k, v in parse_qs(urlsplit(found[-1]).fragment).items()}
    raise AssertionError(f"no e-mail to {to} about {order_id}")


def points(api, inn, order_id: str, token: str, proof: str | None = None):
    headers = {"X-Manage-Token": token} | ({"X-Email-Proof": proof} if proof else {})
    path = f"/v1/public/orders/{order_id}/points"
    return api.call("GET", path, auth=inn["publishable_key"], headers=headers)


def confirmed_widget_booking(api, inn, email="ada@example.com", **extra) -> dict:
    """A widget booking the inn confirmed, its messages sent."""
    held = book(api, inn, path=WIDGET, auth=inn["publishable_key"], email=email, **extra)
    assert held.status_code == 201, held.body
    r = api.call("POST", f"/v1/orders/{held.data['id']}/confirm", auth=inn["secret_key"])
    assert r.status_code == 200, r.body
    assert deliver_events(api) == {"batchItemFailures": []}
    return held.data


def test_a_hold_made_by_typing_the_customers_email_neither_reads_nor_spends_her_points(api, inn):
    earned(api, inn)  # Ada has 240 points
    key = inn["publishable_key"]
    hold = book(api, inn, path=WIDGET, auth=key, email="Ada@Example.com").data
    assert "reservoir_proof" not in str(hold) and "email_proof" not in hold
    read = points(api, inn, hold["id"], hold["manage_token"])
    assert_error(read, 403, "email_link_required")
    assert b"240" not in read.body and b"cus_" not in read.body
    forged = points(api, inn, hold["id"], hold["manage_token"], "e1." + "0" * 40)
    assert_error(forged, 403, "email_link_required")
    before = snapshot(api.container)
    for proof in (
        {"order_id": hold["id"], "manage_token": hold["manage_token"]},
        {"order_id": hold["id"], "manage_token": hold["manage_token"], "email_proof": "e1.x"},
    ):
        spent = book(api, inn, path=WIDGET, auth=key, points=100, points_proof=proof)
        assert_error(spent, 403, "points_need_proof")
    assert snapshot(api.container) == before
    assert balance(api, inn)["points"] == 240


def test_the_link_in_the_customers_email_shows_and_spends_her_points(api, inn):
    earned(api, inn)
    own = confirmed_widget_booking(api, inn)
    link = mailed_link(api, own["id"])
    assert link["reservoir_token"] and link["reservoir_proof"].startswith("e1.")
    shown = points(api, inn, own["id"], link["reservoir_token"], link["reservoir_proof"])
    assert shown.status_code == 200, shown.body
    assert (shown.data["points"], shown.data["value"], shown.data["ledger"]) == (240, 2400, [])
    # The manage token the booking answered with works as well as the link's.
    assert (
        points(api, inn, own["id"], own["manage_token"], link["reservoir_proof"]).status_code == 200
    )
    proof = {
        "order_id": own["id"],
        "manage_token": link["reservoir_token"],
        "email_proof": link["reservoir_proof"],
    }
    r = book(api, inn, path=WIDGET, auth=inn["publishable_key"], points=50, points_proof=proof)
    assert r.status_code == 201, r.body
    assert r.data["totals"]["total"] == 24000 - 500
    assert balance(api, inn)["points"] == 190


def test_the_proof_of_one_order_or_address_proves_nothing_for_another(api, inn):
    earned(api, inn)
    ada = confirmed_widget_booking(api, inn)
    bo = confirmed_widget_booking(api, inn, email="bo@example.com")
    ada_proof = mailed_link(api, ada["id"])["reservoir_proof"]
    bo_proof = mailed_link(api, bo["id"], to="bo@example.com")["reservoir_proof"]
    # Bo's own link, shown with Ada's order's token, or Ada's with Bo's order: refused.
    assert_error(points(api, inn, ada["id"], ada["manage_token"], bo_proof), 403)
    assert_error(points(api, inn, bo["id"], bo["manage_token"], ada_proof), 403)
    # Bo's genuine link spends Bo's points, not Ada's: a booking under Ada's address refused.
    proof = {"order_id": bo["id"], "manage_token": bo["manage_token"], "email_proof": bo_proof}
    r = book(api, inn, path=WIDGET, auth=inn["publishable_key"], points=10, points_proof=proof)
    assert_error(r, 403, "points_need_proof")


def test_revoking_the_links_revokes_the_email_proof(api, inn):
    earned(api, inn)
    held = book(api, inn, path=WIDGET, auth=inn["publishable_key"]).data
    deliver_events(api)  # the "held" e-mail, with its link
    old = mailed_link(api, held["id"])
    assert (
        points(api, inn, held["id"], old["reservoir_token"], old["reservoir_proof"]).status_code
        == 200
    )
    r = api.call("POST", f"/v1/orders/{held['id']}/manage-links/revoke", auth=inn["secret_key"])
    assert r.status_code == 200, r.body
    assert_error(points(api, inn, held["id"], old["reservoir_token"], old["reservoir_proof"]), 404)
    # The next e-mail carries a new link; the old proof does not go with the new token.
    api.call("POST", f"/v1/orders/{held['id']}/confirm", auth=inn["secret_key"])
    deliver_events(api)
    new = mailed_link(api, held["id"])
    assert new["reservoir_proof"] != old["reservoir_proof"]
    stale = points(api, inn, held["id"], new["reservoir_token"], old["reservoir_proof"])
    assert_error(stale, 403, "email_link_required")
    fresh = points(api, inn, held["id"], new["reservoir_token"], new["reservoir_proof"])
    assert fresh.status_code == 200 and fresh.data["points"] == 240


def test_a_text_messages_link_carries_no_email_proof(api, inn):
    customer = {"name": "Ada", "email": "ada@example.com", "phone": "+4915112345678"}
    body = {"customer": customer, "lines": STAY}
    held = api.call("POST", WIDGET, auth=inn["publishable_key"], body=body)
    assert held.status_code == 201, held.body
    api.call("POST", f"/v1/orders/{held.data['id']}/confirm", auth=inn["secret_key"])
    deliver_events(api)
    texts = [t for _, t in api.container.sms.sent]
    assert texts and all("reservoir_token=" in t for t in texts)
    assert not any("reservoir_proof" in t for t in texts)
    assert "reservoir_proof" in mailed_link(api, held.data["id"])


def test_without_a_programme_the_page_is_told_so_and_nothing_of_the_customers(api, inn):
    earned(api, inn)
    off = {**PROGRAMME, "enabled": False}
    assert (
        api.call("PUT", "/v1/loyalty/programme", auth=inn["secret_key"], body=off).status_code
        == 200
    )
    hold = book(api, inn, path=WIDGET, auth=inn["publishable_key"]).data
    r = points(api, inn, hold["id"], hold["manage_token"])
    assert r.status_code == 200, r.body
    assert (r.data["enabled"], r.data["points"], r.data["customer_id"]) == (False, 0, "")
    assert_error(points(api, inn, hold["id"], "m1.1.x"), 404)
