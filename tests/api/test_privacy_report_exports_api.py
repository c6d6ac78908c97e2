"""An erase withdraws the report exports made before it that can name the customer: their
`GET /v1/exports/{id}` answers `withdrawn` with why and no link, the list says so, and the
file is gone; a figures export stays; an export asked for after the erase names her "Erased
customer"; erasing again withdraws nothing more."""

from __future__ import annotations

from tests.api.test_privacy_api import ADA, book, cancel, erase, shop  # noqa: F401 - fixture
from tests.api.test_report_exports_api import ask, download, status, work


def test_an_erase_withdraws_the_exports_made_before_that_can_name_her(api, shop):  # noqa: F811
    order = book(api, shop, "2026-12-24")
    book(api, shop, "2026-12-26", {"name": "Bob", "email": "bob@example.com"})
    cancel(api, shop, order["id"])
    made = {kind: ask(api, shop, kind=kind) for kind in ("orders", "payments", "figures")}
    made["customers"] = api.call(
        "POST", "/v1/exports", auth=shop["secret_key"], body={"kind": "customers", "format": "csv"}
    )
    assert all(r.status_code == 202 for r in made.values()), {k: r.body for k, r in made.items()}
    work(api)
    ids = {kind: r.data["id"] for kind, r in made.items()}
    before = status(api, shop, ids["orders"])
    assert "Lovelace" in download(api, before["url"]).decode("utf-8-sig")
    owner = api.owner_token(shop)
    api.container.clock.advance(60)

    erased = erase(api, owner, key="erase-1")

    assert erased.status_code == 200, erased.body
    assert (erased.data["done"], erased.data["reports"]) == (True, 3)
    for kind in ("orders", "payments", "customers"):
        got = status(api, shop, ids[kind])
        assert (got["status"], got["reason_code"], got["url"]) == (
            "withdrawn",
            "export_withdrawn",
            None,
        )
        assert "erased" in got["reason"]
    figures = status(api, shop, ids["figures"])
    assert figures["status"] == "done" and figures["url"]
    names = b"".join(api.container.report_files.files.values()).decode("utf-8-sig")
    assert "Lovelace" not in names and "ada@example.com" not in names
    listed = api.call("GET", "/v1/exports", auth=owner).data["exports"]
    assert {e["id"]: e["status"] for e in listed} == {
        ids["orders"]: "withdrawn",
        ids["payments"]: "withdrawn",
        ids["customers"]: "withdrawn",
        ids["figures"]: "done",
    }
    # Made after the erase: she is "Erased customer", and a second erase leaves it be.
    api.container.clock.advance(60)
    after = ask(api, shop, headers={"Idempotency-Key": "after-erase"})
    work(api)
    api.container.clock.advance(60)
    again = erase(api, owner, key="erase-2")
    assert (again.status_code, again.data["orders"], again.data["reports"]) == (200, 0, 0)
    fresh = status(api, shop, after.data["id"])
    assert fresh["status"] == "done"
    text = download(api, fresh["url"]).decode("utf-8-sig")
    assert "Erased customer" in text and "Lovelace" not in text and "Bob" in text
