"""Report exports through the API and the export worker's Lambda handler: asked for (202),
written by the worker, read back with a link to the file (CSV and XLSX, the right rows), listed
newest first; the same request again is the same export and one file; bad input is a 4xx that
writes nothing; managers and owners only; another tenant's export is not found."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from chalicelib.queues import EVENTS, EXPORTS
from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_notifications_api import invoke
from tests.builders import room_type, stay_offering


@pytest.fixture
def shop(api):
    forbid_server_errors(api)
    tenant = api.signup("exports")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=5), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    return tenant


def book(api, shop, name: str, check_in: str) -> dict:
    body = {
        "customer": {"name": name, "email": f"{name.lower()}@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": check_in, "nights": 2}],
    }
    r = api.call("POST", "/v1/orders", auth=shop["secret_key"], body=body)
    assert r.status_code == 201, r.body
    return r.data


def ask(api, shop, auth=None, headers=None, **body):
    body = {"kind": "orders", "format": "csv", "from": "2026-12-01", "to": "2026-12-31", **body}
    return api.call(
        "POST", "/v1/exports", auth=auth or shop["secret_key"], body=body, headers=headers
    )


def work(api):
    bodies = api.container.bus.take(EXPORTS.name)
    if bodies:
        assert invoke(api, "run_exports", EXPORTS.name, bodies) == {"batchItemFailures": []}
    return bodies


def status(api, shop, export_id):
    r = api.call("GET", f"/v1/exports/{export_id}", auth=shop["secret_key"])
    assert r.status_code == 200, r.body
    return r.data


def download(api, url: str) -> bytes:
    return api.container.report_files.fetch(url)


def test_orders_are_exported_as_csv_and_downloaded_through_the_link(api, shop):
    first = book(api, shop, "Ada", "2026-12-24")
    book(api, shop, "=Bob", "2026-12-05")
    book(api, shop, "Cy", "2027-01-02")  # after the range

    r = ask(api, shop)
    assert r.status_code == 202, r.body
    assert r.headers["Location"] == f"/v1/exports/{r.data['id']}"
    assert r.data["id"].startswith("exp_")
    assert {k: r.data[k] for k in ("kind", "format", "from", "to", "status", "rows", "url")} == {
        "kind": "orders",
        "format": "csv",
        "from": "2026-12-01",
        "to": "2026-12-31",
        "status": "queued",
        "rows": None,
        "url": None,
    }
    work(api)

    done = status(api, shop, r.data["id"])
    assert done["status"] == "done" and done["rows"] == 2 and done["finished_at"]
    assert "expires=900" in done["url"] and done["expires_at"] > done["finished_at"]
    text = download(api, done["url"]).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert [row["customer_name"] for row in table] == ["'=Bob", "Ada"]  # by start, escaped
    assert table[1]["order_id"] == first["id"]
    assert table[1]["start_local"].startswith("2026-12-24 ")
    assert (
        int(table[1]["total_minor"]) == first["totals"]["total"] and table[1]["currency"] == "EUR"
    )


def test_customers_are_exported_as_xlsx_with_no_dates(api, shop):
    r = ask(api, shop, kind="customers", format="xlsx", **{"from": None, "to": None})
    assert r.status_code == 202, r.body
    assert r.data["from"] is None and r.data["to"] is None
    work(api)
    done = status(api, shop, r.data["id"])
    assert done["status"] == "done" and done["rows"] == 0
    book_ = openpyxl.load_workbook(io.BytesIO(download(api, done["url"])), read_only=True)
    header = next(book_["customers"].iter_rows(values_only=True))
    assert header[:3] == ("customer_id", "name", "email")


def test_the_daily_figures_are_exported_a_row_per_basis_day_and_currency(api, shop):
    order = book(api, shop, "Ada", "2026-12-24")
    confirmed = api.call(
        "POST", f"/v1/orders/{order['id']}/confirm", auth=shop["secret_key"], body={}
    )
    assert confirmed.status_code == 200, confirmed.body
    bodies = api.container.relayed_events()
    assert invoke(api, "dispatch_events", EVENTS.name, bodies) == {"batchItemFailures": []}
    r = ask(api, shop, kind="figures", format="xlsx", **{"from": "2026-12-24", "to": "2026-12-25"})
    assert r.status_code == 202, r.body
    work(api)
    done = status(api, shop, r.data["id"])
    assert done["status"] == "done", done
    sheet = openpyxl.load_workbook(io.BytesIO(download(api, done["url"])), read_only=True)
    header, *rows = sheet["figures"].iter_rows(values_only=True)
    table = [dict(zip(header, row, strict=True)) for row in rows]
    assert [(t["basis"], t["day"].date().isoformat()) for t in table] == [
        (basis, day)
        for basis in ("booked", "service", "paid")
        for day in ("2026-12-24", "2026-12-25")
    ]
    served = {t["day"].date().isoformat(): t for t in table if t["basis"] == "service"}
    assert served["2026-12-24"]["bookings"] == 1 and served["2026-12-24"]["currency"] == "EUR"
    nights = served["2026-12-24"]["gross_minor"] + served["2026-12-25"]["gross_minor"]
    assert nights == order["totals"]["total"]  # a stay's revenue split over its two nights


def test_the_latest_exports_are_listed_newest_first(api, shop):
    one = ask(api, shop).data["id"]
    api.container.clock.advance(seconds=5)
    two = ask(api, shop, kind="payments", format="xlsx").data["id"]
    r = api.call("GET", "/v1/exports", auth=shop["secret_key"])
    assert r.status_code == 200, r.body
    assert [e["id"] for e in r.data["exports"]] == [two, one]
    assert r.data["exports"][0]["kind"] == "payments"


def test_a_retried_request_is_the_same_export_and_one_file(api, shop):
    book(api, shop, "Ada", "2026-12-24")
    key = {"Idempotency-Key": "export-1"}
    first = ask(api, shop, headers=key)
    again = ask(api, shop, headers=key)
    assert first.data["id"] == again.data["id"]
    assert len(work(api)) == 1  # the retry was answered from the first
    work(api)
    assert status(api, shop, first.data["id"])["status"] == "done"
    assert api.container.report_files.writes == 1


def test_the_same_message_twice_writes_one_file(api, shop):
    book(api, shop, "Ada", "2026-12-24")
    export_id = ask(api, shop).data["id"]
    [message] = api.container.bus.take(EXPORTS.name)
    result = invoke(api, "run_exports", EXPORTS.name, [message, message])
    assert result == {"batchItemFailures": []}
    assert api.container.report_files.writes == 1
    assert status(api, shop, export_id)["rows"] == 1


@pytest.mark.parametrize(
    ("change", "status_", "code"),
    [
        ({"kind": "bookings"}, 422, None),
        ({"format": "pdf"}, 422, None),
        ({"from": "2026-02-30"}, 422, None),
        ({"from": "01/12/2026"}, 422, None),
        ({"from": "2026-12-31", "to": "2026-12-01"}, 422, "invalid_range"),
        ({"from": "2025-01-01", "to": "2026-12-31"}, 422, "export_range_too_long"),
        ({"from": None}, 422, "export_dates_required"),
        ({"kind": "customers"}, 422, "export_takes_no_dates"),
        ({"colour": "blue"}, 422, None),
    ],
)
def test_bad_asks_are_refused_and_write_nothing(api, shop, change, status_, code):
    error = assert_error(ask(api, shop, **change), status_, code)
    assert code is None or error["code"] == code
    assert api.container.bus.take(EXPORTS.name) == []
    assert api.call("GET", "/v1/exports", auth=shop["secret_key"]).data["exports"] == []


def test_managers_owners_and_viewers_export_but_not_staff(api, shop):
    """A viewer is the read-only login a bookkeeper is given (the demo hotel's): an export
    changes nothing. Staff, who run the day, do not read the business's revenue."""
    token = api.staff_token(shop, "staff")
    assert_error(ask(api, shop, auth=token), 403)
    assert_error(api.call("GET", "/v1/exports", auth=token), 403)
    viewer = api.staff_token(shop, "viewer")
    taken = ask(api, shop, auth=viewer)
    assert taken.status_code == 202, taken.body
    assert api.call("GET", f"/v1/exports/{taken.data['id']}", auth=viewer).status_code == 200
    manager = api.staff_token(shop, "manager")
    made = ask(api, shop, auth=manager)
    assert made.status_code == 202
    assert made.data["created_by"].startswith("user:")
    owner = api.owner_token(shop)
    assert api.call("GET", f"/v1/exports/{made.data['id']}", auth=owner).status_code == 200


def test_an_export_of_another_tenant_or_none_is_not_found(api, shop):
    mine = ask(api, shop).data["id"]
    other = api.signup("other-exports")
    assert_error(api.call("GET", f"/v1/exports/{mine}", auth=other["secret_key"]), 404)
    error = assert_error(
        api.call("GET", "/v1/exports/exp_nope", auth=shop["secret_key"]), 404, "export_not_found"
    )
    assert error["code"] == "export_not_found"


def test_an_export_whose_message_was_lost_is_sent_again_by_a_reader(api, shop):
    export_id = ask(api, shop).data["id"]
    assert api.container.bus.take(EXPORTS.name)  # lost
    status(api, shop, export_id)
    assert api.container.bus.take(EXPORTS.name) == []  # too soon to tell
    api.container.clock.advance(seconds=121)
    status(api, shop, export_id)
    assert work(api) == [{"tenant_id": shop["tenant_id"], "export_id": export_id}]
    assert status(api, shop, export_id)["status"] == "done"
