"""Back from Stripe's onboarding, the payments page's `GET /v1/payments/connect` says what
Stripe says: the owner returns before Stripe's `account.updated` has been handled (probe 6,
defect 6), and was told to onboard again until a reload."""

from __future__ import annotations

import pytest

from chalicelib.kernel.domain.errors import TransientFailure
from tests.api.support import forbid_server_errors


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def onboarding(api) -> tuple[str, str]:
    tenant = api.signup("harbour")
    key = tenant["secret_key"]
    r = api.call("POST", "/v1/payments/connect", auth=key)
    assert r.status_code == 200 and not r.data["charges_enabled"], r.body
    return key, r.data["account_id"]


def test_back_from_onboarding_the_account_takes_charges_before_stripe_s_event(api):
    key, account = onboarding(api)
    api.container.gateway.enable(account)  # the owner finished Stripe's pages; no event yet
    got = api.call("GET", "/v1/payments/connect", auth=key).data
    assert (got["account_id"], got["charges_enabled"], got["details_submitted"]) == (
        account,
        True,
        True,
    )
    # What Stripe said is recorded: bookings' payments read the link, not Stripe.
    tenant_id = api.container.payment_accounts.tenant_of_account(account)
    assert api.container.payment_accounts.get(tenant_id).charges_enabled


def test_an_account_still_onboarding_stays_onboarding(api):
    key, account = onboarding(api)
    got = api.call("GET", "/v1/payments/connect", auth=key).data
    assert (got["account_id"], got["charges_enabled"]) == (account, False)


def test_a_stripe_that_does_not_answer_leaves_the_link_as_recorded(api, monkeypatch):
    key, account = onboarding(api)

    def busy(account_id: str):
        raise TransientFailure("The payment provider is busy; try again.")

    monkeypatch.setattr(api.container.gateway, "get_account", busy)
    r = api.call("GET", "/v1/payments/connect", auth=key)
    assert r.status_code == 200 and (r.data["account_id"], r.data["charges_enabled"]) == (
        account,
        False,
    )


def test_a_connected_account_is_not_read_from_stripe_again(api, monkeypatch):
    key, account = onboarding(api)
    api.container.gateway.enable(account)
    assert api.call("GET", "/v1/payments/connect", auth=key).data["charges_enabled"]
    asked: list[str] = []
    monkeypatch.setattr(api.container.gateway, "get_account", asked.append)
    assert api.call("GET", "/v1/payments/connect", auth=key).data["charges_enabled"]
    assert asked == []


def test_two_reads_at_once_both_answer_what_was_recorded(api, monkeypatch):
    """The link is saved under its version: a read that loses the race to another (or to the
    worker's account.updated) answers the link as the winner recorded it, not a 409."""
    key, account = onboarding(api)
    api.container.gateway.enable(account)
    accounts = api.container.payment_accounts
    save = accounts.save

    def raced(link):
        save(link)  # the other read's save, first
        return save(link)  # this one's, under the version it read: refused

    monkeypatch.setattr(accounts, "save", raced)
    r = api.call("GET", "/v1/payments/connect", auth=key)
    assert r.status_code == 200 and r.data["charges_enabled"] is True
