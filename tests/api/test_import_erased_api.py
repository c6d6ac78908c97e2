"""API: imports against an erased customer, and a birthday without its year. The erase
tombstones the id of each of the customer's phones alone as well as their e-mail's, so a
phone-only row is refused `customer_erased` as their e-mail's row is; the dry run
(`/v1/imports/check`) says so too, as the import will; a `--mm-dd` birthday (the console's and
the API's form) is taken."""

from __future__ import annotations

import pytest

from chalicelib.kernel.domain.customer_ids import customer_id_for
from tests.api.support import forbid_server_errors
from tests.api.test_imports_api import imported, refusals, report, start, work

MEI = "Name,Email,Phone,Birthday\nMei Chen,mei@example.com,+442079460000,--04-17\n"
MEI_MAP = {"Name": "name", "Email": "email", "Phone": "phone", "Birthday": "birthday"}
PHONE_ONLY = "Name,Phone\nM. Chen,+442079460000\nBo,+442079460001\n"
PHONE_MAP = {"Name": "name", "Phone": "phone"}


@pytest.fixture
def shop(api):
    forbid_server_errors(api)
    return api.signup("importerased")


def _body(text: str, mapping: dict[str, str]) -> dict[str, object]:
    return {"kind": "customers", "csv": text, "mapping": mapping}


def _customer(api, shop, customer_id: str):
    return api.call("GET", f"/v1/customers/{customer_id}", auth=shop["secret_key"])


def _imported_mei(api, shop) -> None:
    api.container.relayed_events()
    r = start(api, shop, _body(MEI, MEI_MAP))
    assert r.status_code == 202, r.body
    work(api)
    assert report(api, shop, r.data["id"])["taken"] == 1
    imported(api, dispatch=True)


def test_a_birthday_without_its_year_is_imported_as_written(api, shop):
    _imported_mei(api, shop)
    got = _customer(api, shop, customer_id_for("mei@example.com"))
    assert got.status_code == 200, got.body
    assert got.data["birthday"] == "--04-17"


def test_after_an_erase_a_phone_only_row_and_the_dry_run_both_refuse_the_customer(
    api,
    shop,
):
    _imported_mei(api, shop)
    erased = api.call(
        "POST",
        "/v1/customers/mei%40example.com/erase",
        auth=shop["secret_key"],
        body={"confirm": "mei@example.com"},
    )
    assert erased.status_code == 200 and erased.data["done"], erased.body

    check = start(api, shop, _body(MEI, MEI_MAP), path="/v1/imports/check")
    assert check.status_code == 200, check.body
    assert (check.data["taken"], check.data["refused"]) == (0, 1)
    assert check.data["results"][0]["code"] == "customer_erased"
    phones = start(api, shop, _body(PHONE_ONLY, PHONE_MAP), path="/v1/imports/check")
    assert {x["row"]: x["code"] for x in phones.data["results"]} == {2: "customer_erased"}

    r = start(api, shop, _body(PHONE_ONLY, PHONE_MAP))
    assert r.status_code == 202, r.body
    work(api)
    assert refusals(report(api, shop, r.data["id"])) == {2: "customer_erased"}
    made = imported(api, dispatch=True)
    assert [e["data"]["phone"] for e in made] == ["+442079460001"]  # Bo, not Mei's phone
    assert _customer(api, shop, customer_id_for(None, "+442079460000")).status_code == 404


def test_a_birthday_yet_to_come_is_refused_by_the_check_and_the_import(api, shop):
    text = "Name,Email,Birthday\nAda,ada@example.com,2099-01-01\nBo,bo@example.com,--12-31\n"
    body = _body(text, {"Name": "name", "Email": "email", "Birthday": "birthday"})
    check = start(api, shop, body, path="/v1/imports/check")
    assert {x["row"]: x["code"] for x in check.data["results"]} == {2: "birthday_in_the_future"}
    r = start(api, shop, body)
    work(api)
    assert refusals(report(api, shop, r.data["id"])) == {2: "birthday_in_the_future"}
