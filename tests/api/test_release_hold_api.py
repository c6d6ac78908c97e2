"""The widget's "Choose another time" gives back a hold and only a hold (`"release": true` on
the customer's cancel): an outside tester's phone lost the answer of a card payment that
confirmed the booking, and the widget's release, a plain cancel then, cancelled the paid,
confirmed booking (a refund and four e-mails)."""

from __future__ import annotations

from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_cancel_twice_api import held_stay
from tests.api.test_payments_api import deliver, hold, order_of, pay_for, post_event, setup_shop
from tests.stripe_events import event


def _release(api, tenant, order):
    return api.call(
        "POST",
        f"/v1/public/orders/{order['id']}/cancel",
        auth=tenant["publishable_key"],
        headers={"X-Manage-Token": order["manage_token"]},
        body={"release": True},
    )


def test_a_release_of_a_booking_confirmed_meanwhile_is_refused_and_changes_nothing(api):
    forbid_server_errors(api)
    tenant, data, order = held_stay(api)
    confirmed = api.call(
        "POST", f"/v1/orders/{order['id']}/confirm", auth=tenant["secret_key"], body={}
    )
    assert confirmed.data["status"] == "confirmed", confirmed.data
    assert_error(_release(api, tenant, order), 409, "no_longer_held")
    after = api.call("GET", f"/v1/orders/{order['id']}", auth=tenant["secret_key"]).data
    assert after["status"] == "confirmed" and after["version"] == confirmed.data["version"]
    assert "OrderCancelled" not in [e.name for e in data.orders.events]


def test_a_release_gives_back_a_hold_and_a_retry_answers_it_as_it_is(api):
    forbid_server_errors(api)
    tenant, data, order = held_stay(api)
    first, again = _release(api, tenant, order), _release(api, tenant, order)
    assert first.status_code == again.status_code == 200, (first.text, again.text)
    assert first.data["status"] == again.data["status"] == "cancelled"
    assert [e.name for e in data.orders.events].count("OrderCancelled") == 1


def test_a_hold_whose_card_stripe_took_before_its_webhook_is_kept_not_given_back(api):
    """A late review's: the guest paid, the page reloaded before the answer, and "Choose
    another time" cancelled the paid booking (its payment refunded when the webhook came).
    Stripe is asked first: the payment it took confirms the booking, and the release is
    refused."""
    forbid_server_errors(api)
    shop = setup_shop(api, "paidback")
    order = hold(api, shop)
    pay = pay_for(api, shop, order)
    api.container.gateway.pay(shop["account"], pay["payment_id"])  # no webhook yet
    assert_error(_release(api, shop, order), 409, "no_longer_held")
    got = order_of(api, shop, order["id"])
    assert got["status"] == "confirmed" and got["payment_status"] == "paid"
    # The webhook, when it comes, finds it recorded: no refund, nothing twice.
    evt = event(
        "payment_intent.succeeded", pay["payment_id"], event_id="evt_late", account=shop["account"]
    )
    assert post_event(api, evt).status_code == 200
    deliver(api)
    payments = api.call("GET", f"/v1/orders/{order['id']}/payments", auth=shop["secret_key"]).data
    assert payments["received"] == 24000 and payments["refundable"] == 24000
    assert order_of(api, shop, order["id"])["version"] == got["version"]


def test_a_hold_whose_card_form_is_open_and_unpaid_is_given_back(api):
    forbid_server_errors(api)
    shop = setup_shop(api, "unpaidback")
    order = hold(api, shop)
    pay_for(api, shop, order)  # the form opened, no card given
    released = _release(api, shop, order)
    assert released.status_code == 200 and released.data["status"] == "cancelled", released.body


def test_a_payment_stripe_will_not_show_leaves_the_hold_given_back_not_refused(api, monkeypatch):
    """A late reviewer's: Stripe refusing to show the payment (403: the business disconnected
    the platform in its own dashboard) made "Choose another time" a 502; the hold sat there
    until it ran out. Refused for good, it is given back as before."""
    from chalicelib.payments.domain.payments import ProviderError

    forbid_server_errors(api)
    shop = setup_shop(api, "hiddenpay")
    order = hold(api, shop)
    pay_for(api, shop, order)

    def refused(account, intent_id):  # noqa: ANN001, ANN202
        raise ProviderError("Forbidden", provider_status=403)

    monkeypatch.setattr(api.container.gateway, "get_payment_intent", refused)
    released = _release(api, shop, order)
    assert released.status_code == 200 and released.data["status"] == "cancelled", released.body
