"""Who acted, by name (`GET /v1/actors`): a payment recorded by a login names its e-mail, one
recorded by a key names `secret_key:<id>`; every role reads the names the console shows for
them, the staff member's or the key's, instead of those."""

from __future__ import annotations

from tests.api.support import forbid_server_errors
from tests.api.test_desk_payments_api import booked, money, shop, take  # noqa: F401  (fixture)


def names(api, auth) -> dict[str, tuple[str, str]]:
    r = api.call("GET", "/v1/actors", auth=auth)
    assert r.status_code == 200, r.body
    return {a["who"]: (a["name"], a["kind"]) for a in r.data["data"]}


def test_the_records_who_is_named_for_every_role(api, shop):  # noqa: F811
    forbid_server_errors(api)
    order = booked(api, shop)
    by_key = take(api, shop, order["id"], amount=1000, method="cash")
    assert by_key.status_code == 201, by_key.body
    viewer = api.staff_token(shop, "viewer")
    by_login = take(
        api, shop, order["id"], amount=1000, method="cash", auth=api.staff_token(shop, "staff")
    )
    assert by_login.status_code == 201, by_login.body
    recorded = [p["taken_by"] for p in money(api, shop, order["id"])["payments"]]
    assert recorded[0].startswith("secret_key:") and "@" in recorded[1]

    named = names(api, viewer)  # the lowest role reads them
    assert named[recorded[0]][1] == "key" and named[recorded[0]][0]
    assert named[recorded[1]] == ("Staff", "staff")  # the name given when invited
    owner = next(
        u
        for u in api.container.platform.users.values()
        if u.tenant_id == shop["tenant_id"] and u.role.value == "owner"
    )
    assert named[f"user:{owner.id}"] == named[owner.email]
    assert all(who in named for who in recorded)
