"""Imports through the API and the import worker's Lambda handler: another system's CSV export
of customers or future bookings, mapped, checked row by row, taken in the background, read back
as a report; the same file twice adds nothing; imported bookings take their inventory and a
row beyond it is refused; bad input is a 4xx that changes nothing; managers and owners only."""

from __future__ import annotations

from pathlib import Path

import pytest

from chalicelib.queues import BULK_EVENTS, EVENTS, IMPORTS
from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_notifications_api import invoke
from tests.builders import day_tour, departure, room_type, stay_offering

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
SALON = (FIXTURES / "salon_customers.csv").read_text(encoding="utf-8")
HOTEL = (FIXTURES / "hotel_bookings.csv").read_text(encoding="utf-8")
SALON_MAPPING = {
    "Vorname": "first_name",
    "Nachname": "last_name",
    "E-Mail": "email",
    "Telefon": "phone",
    "Geburtstag": "birthday",
    "Newsletter": "marketing_consent",
    "Tags": "tags",
    "Notizen": "notes",
}
HOTEL_MAPPING = {
    "Booking Ref": "reference",
    "Guest Name": "name",
    "Email": "email",
    "Phone": "phone",
    "Room Type": "offering",
    "Arrival": "date",
    "Nights": "nights",
    "Guests": "party",
    "Notes": "notes",
}


@pytest.fixture
def shop(api):
    forbid_server_errors(api)
    tenant = api.signup("imports")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=2), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    data.catalog.put_resource(departure(seats=4), expected_rev=None)
    data.catalog.put_offering(day_tour(), expected_rev=None)
    tenant["data"] = data
    return tenant


def start(api, shop, body, auth=None, path="/v1/imports"):
    return api.call("POST", path, auth=auth or shop["secret_key"], body=body)


def customers_body(**kw):
    return {"kind": "customers", "csv": SALON, "mapping": SALON_MAPPING, **kw}


def bookings_body(**kw):
    return {"kind": "bookings", "csv": HOTEL, "mapping": HOTEL_MAPPING, **kw}


def work(api):
    """The import worker's Lambda on every message its queue holds."""
    bodies = api.container.bus.take(IMPORTS.name)
    if bodies:
        assert invoke(api, "run_imports", IMPORTS.name, bodies) == {"batchItemFailures": []}
    return bodies


def report(api, shop, import_id):
    r = api.call("GET", f"/v1/imports/{import_id}", auth=shop["secret_key"])
    assert r.status_code == 200, r.body
    return r.data


def imported(api, *, dispatch=False):
    """The CustomerImported events committed since the last look, which the relay puts on the
    bulk group's queue alone (each consumer of that group and of the bookkeeping group handed
    what their queues got, when `dispatch`: a customer event has no order)."""
    bookkeeping = api.container.relayed_events()
    assert all(b["event"]["name"] != "CustomerImported" for b in bookkeeping)
    bodies = api.container.bus.take(BULK_EVENTS.name)
    if dispatch and bookkeeping:
        invoked = invoke(api, "dispatch_events", EVENTS.name, bookkeeping)
        assert invoked == {"batchItemFailures": []}
    if dispatch and bodies:
        invoked = invoke(api, "dispatch_bulk_events", BULK_EVENTS.name, bodies)
        assert invoked == {"batchItemFailures": []}
    assert all(b["event"]["name"] == "CustomerImported" for b in bodies)
    return [b["event"] for b in bodies]


def refusals(done):
    return {r["row"]: r["code"] for r in done["results"] if r["outcome"] == "refused"}


def test_a_salon_export_of_customers_becomes_one_event_per_customer_with_a_report(api, shop):
    api.container.relayed_events()
    r = start(api, shop, customers_body(file_name="kunden.csv"))
    assert r.status_code == 202 and r.data["status"] == "queued", r.body
    assert r.headers["Location"] == f"/v1/imports/{r.data['id']}"
    assert (r.data["rows"], r.data["file_name"]) == (9, "kunden.csv")
    work(api)
    done = report(api, shop, r.data["id"])
    assert (done["status"], done["done"], done["taken"], done["refused"]) == ("done", 9, 4, 5)
    assert refusals(done) == {
        5: "invalid_date",  # 31.02.1990
        6: "invalid_phone",  # "12"
        7: "duplicate_in_file",  # Anna again, her e-mail in another case
        8: "no_contact",
        10: "invalid_consent",  # "vielleicht" (row 9 is a blank line)
    }
    assert "row 2" in next(x["message"] for x in done["results"] if x["row"] == 7)
    # The report (kept 30 days, under no customer's key) names no contact of the file.
    assert not any("@" in x["message"] or "'12'" in x["message"] for x in done["results"])
    events = {e["data"]["row"]: e["data"] for e in imported(api, dispatch=True)}
    assert sorted(events) == [2, 3, 4, 11]
    anna = events[2]
    assert anna["email"] == "anna.schmidt@example.de" and anna["phone"] == "+4915123456789"
    assert anna["customer_name"] == "Anna Schmidt" and anna["birthday"] == "1985-03-14"
    assert anna["tags"] == ["Stammkundin", "Farbe"]
    assert anna["marketing_consent"] is True and anna["consent_source"] == "import"
    assert anna["consent_at"] == r.data["created_at"] and anna["import_id"] == r.data["id"]
    assert events[3]["marketing_consent"] is False
    assert events[4]["phone"] == "+8613800138000"
    assert events[4]["notes"] == 'Spricht Mandarin, "Tee statt Kaffee"'
    assert events[11]["phone"] == "+49301234567"  # a national number, read in Germany
    # The records' consumer made each row a customer (customers/services/imported.py).
    key = shop["secret_key"]
    found = api.call("GET", "/v1/customers?email=Anna.Schmidt@example.de", auth=key)
    assert found.status_code == 200, found.body
    (record,) = found.data["data"]
    assert (record["name"], record["phone"], record["birthday"]) == (
        "Anna Schmidt",
        "+4915123456789",
        "1985-03-14",
    )
    assert record["tags"] == ["Farbe", "Stammkundin"]
    assert record["consent"]["granted"] is True and record["consent"]["source"] == "import"
    by_phone = api.call("GET", "/v1/customers?phone=%2B8613800138000", auth=key).data["data"]
    one = api.call("GET", f"/v1/customers/{by_phone[0]['id']}", auth=key).data
    assert [n["text"] for n in one["notes"]] == ['Spricht Mandarin, "Tee statt Kaffee"']


def test_the_same_customers_file_imported_twice_adds_nothing(api, shop):
    first = start(api, shop, customers_body()).data
    work(api)
    assert len(imported(api)) == 4
    again = start(api, shop, customers_body()).data
    assert again["id"] != first["id"]
    work(api)
    done = report(api, shop, again["id"])
    assert (done["taken"], done["already_imported"], done["refused"]) == (0, 4, 5)
    assert imported(api) == []


@pytest.mark.parametrize("body", [customers_body, bookings_body])
def test_a_dry_run_of_a_file_imported_already_says_so_as_the_import_does(api, shop, body):
    """A tester's dry run said `taken` of every row of a file imported already, which the
    import then skipped as `already_imported`."""
    start(api, shop, body())
    work(api)
    checked = start(api, shop, body(), path="/v1/imports/check").data
    again = start(api, shop, body(file_name="again.csv")).data
    work(api)
    done = report(api, shop, again["id"])
    assert checked["already_imported"] == done["already_imported"] > 0
    # The rows the import took before are said so; the dry run's `taken` is left with the
    # one a booking file's import refused for want of a room, which it does not look at.
    assert checked["taken"] == (0 if body is customers_body else 1) and done["taken"] == 0
    said = {x["outcome"] for x in checked["results"]}
    assert said == {"already_imported", "refused"}


def test_imported_bookings_take_their_rooms_and_a_row_beyond_them_is_refused(api, shop):
    r = start(api, shop, bookings_body())
    assert r.status_code == 202, r.body
    work(api)
    done = report(api, shop, r.data["id"])
    assert (done["taken"], done["refused"]) == (3, 5), done
    assert refusals(done) == {
        4: "unavailable",  # both rooms of the 24th are taken by rows 2 and 3
        5: "in_the_past",
        6: "unknown_offering",
        7: "invalid_date",
        8: "duplicate_in_file",
    }
    orders = shop["data"].orders.orders
    assert len(orders) == 3
    assert {o.status.value for o in orders.values()} == {"confirmed"}
    assert {o.channel.value for o in orders.values()} == {"import"}
    chen = next(o for o in orders.values() if o.customer.email == "wei.chen@example.cn")
    assert chen.customer.name == "Chen, Wei" and chen.lines[0].nights == 3
    assert "BK-20417" in chen.note
    availability = api.call(
        "GET",
        "/v1/availability?offering=off_stay&from=2026-12-24&to=2026-12-25&nights=1",
        auth=shop["secret_key"],
    )
    assert availability.status_code == 200 and availability.data["options"] == []


def test_the_same_bookings_file_imported_twice_adds_no_order_and_takes_nothing(api, shop):
    start(api, shop, bookings_body())
    work(api)
    data = shop["data"]
    orders, buckets = dict(data.orders.orders), dict(data.orders.buckets)
    api.container.relayed_events()
    again = start(api, shop, bookings_body(file_name="export-again.csv")).data
    work(api)
    done = report(api, shop, again["id"])
    assert (done["taken"], done["already_imported"]) == (0, 3)
    assert data.orders.orders == orders and data.orders.buckets == buckets
    assert api.container.relayed_events() == []


def test_a_booking_on_the_spring_change_day_is_read_in_the_business_zone(api, shop):
    text = (
        "Tour,Date,Time,Name,Email,People\n"
        "Great Wall day tour,2027-03-28,08:00,Ada Li,ada@example.com,2\n"
        "Great Wall day tour,2027-03-28,02:30,Bo Li,bo@example.com,1\n"
    )
    mapping = {"Tour": "offering", "Date": "date", "Time": "time", "Name": "name"}
    body = {
        "kind": "bookings",
        "csv": text,
        "mapping": {**mapping, "Email": "email", "People": "party"},
    }
    r = start(api, shop, body)
    work(api)
    done = report(api, shop, r.data["id"])
    assert refusals(done) == {3: "nonexistent_time"}  # Berlin skips 02:00-03:00 that night
    order = next(iter(shop["data"].orders.orders.values()))
    assert order.lines[0].start == "2027-03-28T06:00Z"  # 08:00 summer time, UTC+2


def test_a_dry_run_says_what_an_import_would_do_and_writes_nothing(api, shop):
    r = start(api, shop, bookings_body(), path="/v1/imports/check")
    assert r.status_code == 200, r.body
    # Inventory is not looked at: row 4 is refused only when it is placed.
    assert (r.data["rows"], r.data["taken"], r.data["refused"]) == (8, 4, 4)
    assert {x["row"] for x in r.data["results"]} == {5, 6, 7, 8}
    assert api.container.bus.take(IMPORTS.name) == []
    assert shop["data"].orders.orders == {}
    listed = api.call("GET", "/v1/imports", auth=shop["secret_key"])
    assert listed.status_code == 200 and listed.data["imports"] == []


def test_a_dry_run_refuses_what_the_offerings_rules_refuse_as_the_import_does(api, shop):
    """Probe of 2026-12-03: the dry run took rows the import then refused (a year and more
    ahead, 40 nights of 30, a party of 25 of 20)."""
    text = (
        "Offering,Date,Time,Nights,Name,Email,People\n"
        "Double room stay,2027-01-10,,2,Ann Ok,ann@example.com,2\n"
        "Double room stay,2028-06-01,,1,Ben Far,ben@example.com,2\n"
        "Double room stay,2027-01-12,,40,Cy Long,cy@example.com,2\n"
        "Great Wall day tour,2027-01-11,08:00,,Di Many,di@example.com,25\n"
        "Great Wall day tour,2027-01-11,08:00,,Ed Five,ed@example.com,5\n"
        "Great Wall day tour,2027-01-11,09:30,,Fay Off,fay@example.com,1\n"
    )
    columns = ("Offering", "Date", "Time", "Nights", "Name", "Email", "People")
    fields = ("offering", "date", "time", "nights", "name", "email", "party")
    body = {"kind": "bookings", "csv": text, "mapping": dict(zip(columns, fields, strict=True))}
    expected = {
        3: "too_far_ahead",
        4: "invalid_nights",
        5: "invalid_party_size",
        6: "more_than_capacity",  # five people, four seats: never, not only not now
        7: "not_a_start_time",
    }
    checked = start(api, shop, body, path="/v1/imports/check")
    assert checked.status_code == 200, checked.body
    assert refusals(checked.data) == expected
    assert (checked.data["taken"], checked.data["refused"]) == (1, 5)
    made = start(api, shop, body)
    work(api)
    done = report(api, shop, made.data["id"])
    assert refusals(done) == expected and done["taken"] == 1


def test_a_dry_run_says_which_rows_the_plans_month_would_refuse_as_the_import_does(api, shop):
    """Imported bookings count in the plan's month: a free plan with two bookings left
    takes two rows, and the dry run says so (an outside tester's said all taken, and the
    import then refused the rest for the plan)."""
    shop["data"].payments.usage["2026-11"] = {f"ord_earlier_{i}" for i in range(98)}
    checked = start(api, shop, bookings_body(), path="/v1/imports/check")
    assert checked.status_code == 200, checked.body
    over = {row for row, code in refusals(checked.data).items() if code == "plan_limit_reached"}
    assert checked.data["taken"] == 2 and len(over) == 2, checked.data
    said = next(r for r in checked.data["results"] if r["code"] == "plan_limit_reached")
    assert said["message"] == (
        "The free plan allows 100 bookings per month; upgrade the plan to add more."
    )
    made = start(api, shop, bookings_body())
    work(api)
    done = report(api, shop, made.data["id"])
    assert refusals(done) == refusals(checked.data) and done["taken"] == 2


def test_imports_are_listed_newest_first(api, shop):
    first = start(api, shop, customers_body(file_name="a.csv")).data
    api.container.clock.advance(60)
    second = start(api, shop, bookings_body(file_name="b.csv")).data
    listed = api.call("GET", "/v1/imports", auth=shop["secret_key"])
    assert listed.status_code == 200, listed.body
    assert [i["id"] for i in listed.data["imports"]] == [second["id"], first["id"]]
    assert listed.data["imports"][0]["kind"] == "bookings"


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"csv": "x" * 2_000_001}, 413, "file_too_large"),
        ({"csv": "Email\n" + "a@b.co\n" * 5001}, 413, "file_too_large"),
        ({"csv": "\ufeff\n\n"}, 422, "empty_file"),
        ({"mapping": {"Nope": "email"}}, 422, "unknown_column"),
        ({"mapping": {"E-Mail": "shoe_size"}}, 422, "unknown_field"),
        ({"mapping": {"E-Mail": "email", "Notizen": "email"}}, 422, "field_mapped_twice"),
        ({"mapping": {"Vorname": "first_name"}}, 422, "missing_field"),
        ({"kind": "pets"}, 422, None),
        ({"csv": "a;a\n1;2\n"}, 422, "duplicate_column"),
        # an outside tester's: a Windows-1252 file read as UTF-8, its names turned to \ufffd
        ({"csv": "Vorname,E-Mail\nJ\ufffdrgen,j@example.de\n"}, 422, "not_utf8"),
        # a stray quote swallowed the rest of the file into one cell, two customers lost
        (
            {"csv": 'Vorname,E-Mail\nAnna,a@example.com\n"Broken,b@example.com\nLost,l@x.de\n'},
            422,
            "unclosed_quote",
        ),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_whole_and_changes_nothing(
    api, shop, change, status, code
):
    for path in ("/v1/imports", "/v1/imports/check"):
        assert_error(start(api, shop, customers_body(**change), path=path), status, code)
    assert api.container.bus.take(IMPORTS.name) == []
    assert api.call("GET", "/v1/imports", auth=shop["secret_key"]).data["imports"] == []


def test_only_managers_and_owners_import(api, shop):
    for role in ("staff", "viewer"):
        token = api.staff_token(shop, role)
        assert_error(start(api, shop, customers_body(), auth=token), 403)
        assert_error(api.call("GET", "/v1/imports", auth=token), 403)
    manager = api.staff_token(shop, "manager")
    assert start(api, shop, customers_body(), auth=manager).status_code == 202


def test_an_import_of_another_tenant_or_none_is_not_found(api, shop):
    mine = start(api, shop, customers_body()).data["id"]
    other = api.signup("other-imports")
    assert_error(api.call("GET", f"/v1/imports/{mine}", auth=other["secret_key"]), 404)
    assert_error(api.call("GET", "/v1/imports/imp_nope", auth=shop["secret_key"]), 404)


def test_a_retried_request_is_the_same_import(api, shop):
    key = {"Idempotency-Key": "import-1"}
    body = customers_body()
    first = api.call("POST", "/v1/imports", auth=shop["secret_key"], body=body, headers=key)
    again = api.call("POST", "/v1/imports", auth=shop["secret_key"], body=body, headers=key)
    assert first.data["id"] == again.data["id"]
    work(api)
    assert len(imported(api)) == 4


def test_an_import_whose_message_was_lost_is_sent_again_by_a_reader(api, shop):
    job = start(api, shop, customers_body()).data["id"]
    api.container.bus.take(IMPORTS.name)  # lost
    report(api, shop, job)
    assert api.container.bus.take(IMPORTS.name) == []  # not two minutes yet
    api.container.clock.advance(180)
    assert report(api, shop, job)["status"] == "queued"
    work(api)
    assert report(api, shop, job)["status"] == "done"


@pytest.mark.parametrize(
    ("zone", "asked", "night"),
    [
        ("America/New_York", None, "2027-02-03"),  # the US writes the month first
        ("Europe/Berlin", None, "2027-03-02"),
        ("America/New_York", "dmy", "2027-03-02"),  # told otherwise: as told
    ],
)
def test_slashed_dates_read_as_the_business_s_country_writes_them_unless_told(
    api, zone, asked, night
):
    """An outside tester's New York salon imported 02/03/2027 as 2 March, silently."""
    forbid_server_errors(api)
    tenant = api.signup("us-imports", timezone=zone, currency="USD")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=2), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    csv = (
        "Guest,Email,Room,Arrival,Nights\n"
        "Mary Jones,mary@example.com,Double room stay,02/03/2027,1\n"
    )
    mapping = {
        "Guest": "name",
        "Email": "email",
        "Room": "offering",
        "Arrival": "date",
        "Nights": "nights",
    }
    body = {"kind": "bookings", "csv": csv, "mapping": mapping}
    if asked:
        body["date_order"] = asked
    r = start(api, tenant, body)
    assert r.status_code == 202, r.body
    work(api)
    assert report(api, tenant, r.data["id"])["taken"] == 1
    [order] = data.orders.orders.values()
    assert order.lines[0].local_date == night
    answer = api.call("GET", "/v1/tenant", auth=tenant["secret_key"]).data
    assert answer["date_order"] == ("mdy" if zone.startswith("America") else "dmy")
