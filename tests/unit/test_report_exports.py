"""Report exports on fakes: the asks refused, formula injection escaped in both formats, XLSX
sheets split past a (small, injected) row limit with the header on each, times in the
tenant's zone across a daylight-saving change, and the job: one file for the same message
twice, a failure that says why, a passing failure retried and then given up."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from chalicelib.booking.domain.feeds import StayHours
from chalicelib.booking.domain.orders import Channel, Customer, Order
from chalicelib.booking.domain.payment_records import Refund, Tender
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.booking.services.orders import confirm
from chalicelib.kernel.domain.errors import InvalidInput, TransientFailure
from chalicelib.payments.services.desk import record_payment, record_refund
from chalicelib.queues import EXPORTS
from chalicelib.reports.adapters.export_formats import csv_chunks, write_xlsx
from chalicelib.reports.domain.export_cells import local_time, safe_row, safe_text
from chalicelib.reports.domain.export_rows import (
    ORDER_COLUMNS,
    PAYMENT_COLUMNS,
    order_row,
    payment_rows,
)
from chalicelib.reports.domain.exports import (
    ExportAsk,
    ExportFormat,
    ExportJob,
    ExportKind,
    ExportStatus,
    check_ask,
    file_key,
)
from chalicelib.reports.services.export_runs import run_export
from chalicelib.reports.services.export_sources import sources
from tests.builders import Shop, haircut, room_type, stay_offering, stylist
from tests.fakes import FakeReportFiles, FakeRowSource
from tests.stage import Stage

NOW = "2026-11-24T09:00:00.000000Z"
LONDON = StayHours("Europe/London")


def read_csv(body: bytes) -> list[list[str]]:
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def read_xlsx(body: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


# -- the ask ---------------------------------------------------------------------------------


def test_dated_kinds_need_both_dates_in_order_and_at_most_366_days() -> None:
    orders, csv_ = ExportKind.ORDERS, ExportFormat.CSV
    with pytest.raises(InvalidInput) as missing:
        check_ask(ExportAsk(orders, csv_, date(2026, 1, 1), None))
    assert missing.value.code == "export_dates_required"
    with pytest.raises(InvalidInput) as backwards:
        check_ask(ExportAsk(orders, csv_, date(2026, 2, 1), date(2026, 1, 31)))
    assert backwards.value.code == "invalid_range"
    with pytest.raises(InvalidInput) as long:
        check_ask(ExportAsk(orders, csv_, date(2025, 1, 1), date(2026, 1, 2)))
    assert long.value.code == "export_range_too_long"
    leap_year = ExportAsk(orders, csv_, date(2028, 1, 1), date(2028, 12, 31))
    assert check_ask(leap_year) == leap_year  # 366 days


def test_customers_take_no_dates() -> None:
    with pytest.raises(InvalidInput) as dated:
        check_ask(ExportAsk(ExportKind.CUSTOMERS, ExportFormat.XLSX, date(2026, 1, 1), None))
    assert dated.value.code == "export_takes_no_dates"
    ask = ExportAsk(ExportKind.CUSTOMERS, ExportFormat.XLSX)
    assert check_ask(ask) == ask


# -- cells -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["=1+1", "+44 20 7946 0000", "-2", "@SUM(A1)", "\t=cmd", "\rhi", '=HYPERLINK("x")']
)
def test_a_text_cell_that_could_run_as_a_formula_is_escaped(text: str) -> None:
    assert safe_text(text) == "'" + text


def test_an_e164_phone_number_is_left_as_it_is() -> None:
    assert safe_text("+447700900123") == "+447700900123"
    assert safe_text("+44 cmd") == "'+44 cmd"


def test_plain_text_numbers_and_times_are_left_as_they_are() -> None:
    moment = datetime(2026, 3, 29, 2, 30)
    assert safe_row(("Ada", "a-b", -1500, 0, moment, None)) == (
        "Ada",
        "a-b",
        -1500,
        0,
        moment,
        None,
    )


def test_times_are_the_tenant_wall_clock_across_a_daylight_saving_change() -> None:
    london = ZoneInfo("Europe/London")
    # The clocks went forward at 01:00 UTC on 29 March 2026.
    assert local_time("2026-03-29T00:30Z", london) == datetime(2026, 3, 29, 0, 30)
    assert local_time("2026-03-29T01:30:00.000000Z", london) == datetime(2026, 3, 29, 2, 30)
    assert local_time("", london) is None


def test_a_formula_is_escaped_in_the_csv_and_stays_text_in_the_xlsx() -> None:
    header = ("name", "balance_minor")
    raw = [('=HYPERLINK("http://evil")', -1500), ("@Ada", 0)]
    rows = [safe_row(row) for row in raw]
    table = read_csv(b"".join(csv_chunks(header, rows)))
    assert table == [list(header), ['\'=HYPERLINK("http://evil")', "-1500"], ["'@Ada", "0"]]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "x.xlsx")
        write_xlsx(path, "orders", header, raw, tmpdir=folder)  # typed cells: no apostrophe
        book = openpyxl.load_workbook(path)
    cell = book["orders"]["A2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://evil")'  # text, not run
    assert book["orders"]["B2"].value == -1500  # a number, not text


def test_sheets_split_past_the_row_limit_each_with_its_header() -> None:
    header = ("n", "when")
    rows = [(n, datetime(2026, 1, 1, 9, n)) for n in range(10)]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "x.xlsx")
        written = write_xlsx(path, "orders", header, rows, tmpdir=folder, max_rows=4)
        sheets = read_xlsx(Path(path).read_bytes())
    assert written == 10
    assert list(sheets) == ["orders", "orders (2)", "orders (3)", "orders (4)"]
    assert all(rows_[0] == header for rows_ in sheets.values())
    assert [len(r) for r in sheets.values()] == [4, 4, 4, 2]  # header included: at most 4
    numbers = [row[0] for rows_ in sheets.values() for row in rows_[1:]]
    assert numbers == list(range(10))
    assert sheets["orders (4)"][1][1] == datetime(2026, 1, 1, 9, 9)  # a date-time, not text


def test_an_export_with_no_rows_is_its_header() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "x.xlsx")
        assert write_xlsx(path, "orders", ("a", "b"), [], tmpdir=folder) == 0
        assert read_xlsx(Path(path).read_bytes()) == {"orders": [("a", "b")]}


# -- the job ---------------------------------------------------------------------------------


def stage(tz: str = "Europe/London") -> Stage:
    return Stage(Shop(tz=tz, now=NOW).add(stylist("res_a", "Alex"), haircut()))


def booked(s: Stage, start: datetime, customer: Customer | None = None) -> Order:
    order = s.book(start=start, **({"customer": customer} if customer else {}))
    return confirm(s.ctx, order.id)


def job(s: Stage, kind: ExportKind, fmt: ExportFormat, first: str | None, last: str | None):
    made = ExportJob(
        id="exp_1",
        kind=kind,
        format=fmt,
        first=first,
        last=last,
        created_at=NOW,
        created_by="secret_key:k1",
    )
    assert s.data.exports.create(made)
    return made


def test_orders_are_exported_with_their_instants_in_utc_too() -> None:
    """A wall clock alone is ambiguous in the autumn's repeated hour: the UTC columns are not."""
    s = stage("America/New_York")
    booked(s, datetime(2026, 12, 1, 10, 0))
    job(s, ExportKind.ORDERS, ExportFormat.CSV, "2026-12-01", "2026-12-01")
    assert run_export(s.ctx, s.c.report_files, sources(s.c.catalog_cache), "exp_1") == "done"
    done = s.data.exports.get("exp_1")
    assert done is not None
    table = read_csv(s.c.report_files.files[file_key(s.tenant.id, done)])
    [row] = [dict(zip(table[0], r, strict=True)) for r in table[1:]]
    assert (row["start_local"], row["start_utc"]) == ("2026-12-01 10:00:00", "2026-12-01 15:00:00")
    assert row["end_utc"] > row["start_utc"]


def test_a_stay_is_exported_from_check_in_to_check_out_not_from_midnight() -> None:
    """A session's finding: a hotel's export said every guest arrived and left at 00:00 (a
    stay's stored instants are its dates' midnights); its payments' order start too."""
    shop = Shop(tz="Europe/Berlin", now=NOW).add(room_type(rooms=5), stay_offering())
    stay = HoldInput(
        Customer("Ada", "ada@example.com"),
        [LineInput("off_stay", check_in=date(2026, 12, 24), nights=2)],
        Channel.API,
    )
    order = confirm(shop.ctx, hold_order(shop.ctx, shop.cache, stay, order_id="ord_1").id)
    hours = StayHours("Europe/Berlin", check_in=15 * 60, check_out=11 * 60)
    row = dict(zip(ORDER_COLUMNS, order_row(order, ZoneInfo("Europe/Berlin"), hours), strict=True))
    assert (row["start_local"], row["end_local"]) == (
        datetime(2026, 12, 24, 15, 0),
        datetime(2026, 12, 26, 11, 0),
    )
    assert (row["start_utc"], row["end_utc"]) == (
        datetime(2026, 12, 24, 14, 0),
        datetime(2026, 12, 26, 10, 0),
    )
    paid = record_payment(shop.ctx, order.id, record_id="pay_1", amount=100, method=Tender.CASH)
    [payment] = payment_rows(paid, ZoneInfo("Europe/Berlin"), hours)
    assert dict(zip(PAYMENT_COLUMNS, payment, strict=True))["order_start_local"] == datetime(
        2026, 12, 24, 15, 0
    )


def test_orders_of_the_days_asked_for_are_exported_with_their_money_and_local_times() -> None:
    s = stage()
    bob = Customer(name="=cmd|' /C calc'!A0", email="bob@example.com", phone="+447700900123")
    first = booked(s, datetime(2026, 12, 1, 10, 0))
    booked(s, datetime(2026, 12, 2, 11, 0), bob)
    booked(s, datetime(2026, 12, 3, 10, 0))  # outside the range
    record_payment(s.ctx, first.id, record_id="pay_1", amount=1000, method=Tender.CASH)
    job(s, ExportKind.ORDERS, ExportFormat.CSV, "2026-12-01", "2026-12-02")

    assert run_export(s.ctx, s.c.report_files, sources(s.c.catalog_cache), "exp_1") == "done"

    done = s.data.exports.get("exp_1")
    assert done is not None and done.status is ExportStatus.DONE and done.rows == 2
    table = read_csv(s.c.report_files.files[file_key(s.tenant.id, done)])
    head, rows = table[0], [dict(zip(table[0], r, strict=True)) for r in table[1:]]
    assert head[:4] == ["order_id", "status", "payment_status", "channel"]
    assert [r["start_local"] for r in rows] == ["2026-12-01 10:00:00", "2026-12-02 11:00:00"]
    assert [r["start_utc"] for r in rows] == ["2026-12-01 10:00:00", "2026-12-02 11:00:00"]
    assert head[-2:] == ["start_utc", "end_utc"]  # added last: earlier columns keep places
    assert rows[0]["order_id"] == first.id and rows[0]["offerings"] == "Haircut"
    assert rows[0]["resources"] == "Alex"
    assert rows[0]["paid_minor"] == "1000"
    assert int(rows[0]["balance_minor"]) == first.total - 1000
    assert rows[1]["customer_name"] == "'=cmd|' /C calc'!A0"  # escaped
    assert rows[1]["customer_phone"] == "+447700900123"  # E.164: nothing a formula could call
    assert rows[1]["currency"] == "EUR"


def test_payments_are_one_row_per_payment_and_refund_record_with_the_method() -> None:
    s = stage()
    order = booked(s, datetime(2026, 12, 1, 10, 0))
    record_payment(s.ctx, order.id, record_id="pay_1", amount=2000, method=Tender.CARD_TERMINAL)
    record_refund(
        s.ctx, order.id, record_id="ref_1", amount=500, method=Tender.CASH, reason="goodwill"
    )
    job(s, ExportKind.PAYMENTS, ExportFormat.XLSX, "2026-12-01", "2026-12-01")

    assert run_export(s.ctx, s.c.report_files, sources(s.c.catalog_cache), "exp_1") == "done"

    sheets = read_xlsx(s.c.report_files.files[f"reports/{s.tenant.id}/exp_1.xlsx"])
    header, *rows = sheets["payments"]
    got = [dict(zip(header, r, strict=True)) for r in rows]
    assert [(r["record"], r["record_id"], r["method"]) for r in got] == [
        ("payment", "pay_1", "card_terminal"),
        ("refund", "ref_1", "cash"),
    ]
    assert got[0]["amount_minor"] == 2000 and got[1]["amount_minor"] == 500
    assert got[0]["at_local"] == datetime(2026, 11, 24, 9, 0)  # 09:00 UTC is 09:00 in London


def test_the_same_message_twice_makes_one_file() -> None:
    s = stage()
    booked(s, datetime(2026, 12, 1, 10, 0))
    job(s, ExportKind.ORDERS, ExportFormat.CSV, "2026-12-01", "2026-12-01")

    assert run_export(s.ctx, s.c.report_files, sources(s.c.catalog_cache), "exp_1") == "done"
    assert run_export(s.ctx, s.c.report_files, sources(s.c.catalog_cache), "exp_1") == "done"

    assert s.c.report_files.writes == 1
    assert list(s.c.report_files.files) == [f"reports/{s.tenant.id}/exp_1.csv"]


def test_a_job_another_worker_holds_is_left_to_it() -> None:
    s = stage()
    job(s, ExportKind.ORDERS, ExportFormat.CSV, "2026-12-01", "2026-12-01")
    assert s.data.exports.claim("exp_1", now=NOW, until="2026-11-24T09:20:00.000000Z")

    assert run_export(s.ctx, s.c.report_files, sources(s.c.catalog_cache), "exp_1") == "busy"
    assert s.c.report_files.writes == 0


def test_a_failure_marks_the_job_failed_with_its_reason_and_leaves_no_file() -> None:
    s = stage()
    booked(s, datetime(2026, 12, 1, 10, 0))
    job(s, ExportKind.ORDERS, ExportFormat.CSV, "2026-12-01", "2026-12-01")
    s.c.report_files.fail_after = 0

    assert run_export(s.ctx, s.c.report_files, sources(s.c.catalog_cache), "exp_1") == "failed"

    failed = s.data.exports.get("exp_1")
    assert failed is not None and failed.status is ExportStatus.FAILED
    assert failed.reason_code == "export_failed" and failed.reason
    assert s.c.report_files.files == {}
    # Seen again, a failed job stays failed: nothing more is written.
    assert run_export(s.ctx, s.c.report_files, sources(s.c.catalog_cache), "exp_1") == "failed"
    assert s.c.report_files.writes == 0


def test_a_passing_failure_is_retried_then_given_up_on_the_last_try() -> None:
    s = stage()
    booked(s, datetime(2026, 12, 1, 10, 0))
    job(s, ExportKind.ORDERS, ExportFormat.CSV, "2026-12-01", "2026-12-01")
    files = s.c.report_files
    files.fail_after, files.failure = 0, TransientFailure("S3 is busy; try again.")

    for _ in range(EXPORTS.max_receive_count - 1):
        with pytest.raises(TransientFailure):
            run_export(s.ctx, files, sources(s.c.catalog_cache), "exp_1")
        running = s.data.exports.get("exp_1")
        assert running is not None and running.status is ExportStatus.RUNNING
        assert running.lease_until is None  # given back for the retry
    assert run_export(s.ctx, files, sources(s.c.catalog_cache), "exp_1") == "failed"
    failed = s.data.exports.get("exp_1")
    assert failed is not None and failed.reason_code == "temporarily_unavailable"


def test_a_kind_without_a_source_fails_and_a_source_plugged_in_is_written() -> None:
    s = stage()
    job(s, ExportKind.FIGURES, ExportFormat.CSV, "2026-12-01", "2026-12-01")
    plugged = {ExportKind.FIGURES: FakeRowSource(("period", "bookings"), [("2026-12-01", 3)])}

    assert run_export(s.ctx, s.c.report_files, plugged, "exp_1") == "done"
    body = s.c.report_files.files[f"reports/{s.tenant.id}/exp_1.csv"]
    assert read_csv(body) == [["period", "bookings"], ["2026-12-01", "3"]]

    s.data.exports.jobs.clear()
    job(s, ExportKind.FIGURES, ExportFormat.CSV, "2026-12-01", "2026-12-01")
    without = {k: v for k, v in sources(s.c.catalog_cache).items() if k != ExportKind.FIGURES}
    assert run_export(s.ctx, s.c.report_files, without, "exp_1") == "failed"
    failed = s.data.exports.get("exp_1")
    assert failed is not None and failed.reason_code == "export_kind_unavailable"


def test_the_fake_files_are_the_real_formats() -> None:
    files = FakeReportFiles(lambda: NOW)
    key = "reports/t/exp.xlsx"
    assert files.write(key, ExportFormat.XLSX, "orders", ("a",), [("x",)]) == 1
    assert read_xlsx(files.files[key]) == {"orders": [("a",), ("x",)]}


def test_a_payment_is_dated_when_its_money_arrived_not_when_its_form_opened() -> None:
    """An outside tester's reconciliation: a card form opened at 23:59 and paid at 00:01, or
    an authorisation captured at check-in weeks later, was exported on the day it was made
    while "Day paid" counted it on the day the money came."""
    s = stage()
    order = booked(s, datetime(2026, 12, 1, 10, 0))
    paid = record_payment(
        s.ctx, order.id, record_id="pay_1", amount=2000, method=Tender.CARD_TERMINAL
    )
    [p] = paid.payments
    late = replace(
        paid,
        payments=(
            replace(p, created_at="2026-11-24T23:59:00Z", updated_at="2026-11-25T00:01:00Z"),
        ),
    )
    [row] = payment_rows(late, ZoneInfo("Europe/London"), LONDON)
    assert row[PAYMENT_COLUMNS.index("at_local")] == local_time(
        "2026-11-25T00:01:00Z", ZoneInfo("Europe/London")
    )


def test_a_desk_payments_tip_has_its_own_column_in_the_payments_export():
    """The takings count a tip apart from what paid the order; the export read the amount
    alone, so a bookkeeper reconciling the drawer from it came up short by every tip."""
    s = stage()
    order = booked(s, datetime(2026, 12, 1, 10, 0))
    paid = record_payment(
        s.ctx, order.id, record_id="pay_1", amount=2000, method=Tender.CASH, tip=300
    )
    [row] = payment_rows(paid, ZoneInfo("Europe/London"), LONDON)
    assert row[PAYMENT_COLUMNS.index("amount_minor")] == 2000
    assert row[PAYMENT_COLUMNS.index("tip_minor")] == 300
    assert len(row) == len(PAYMENT_COLUMNS)


def test_a_refunds_row_carries_its_reason_as_its_reference():
    """A bookkeeper matching the drawer line by line from the export found the refunds'
    reasons, which the takings show, left out."""
    s = stage()
    order = booked(s, datetime(2026, 12, 1, 10, 0))
    paid = record_payment(s.ctx, order.id, record_id="pay_1", amount=2000, method=Tender.CASH)
    back = Refund("dref_1", "pay_1", 500, "broken heating", "succeeded", paid.created_at)
    [_, row] = payment_rows(replace(paid, refunds=(back,)), ZoneInfo("Europe/London"), LONDON)
    assert row[PAYMENT_COLUMNS.index("record")] == "refund"
    assert row[PAYMENT_COLUMNS.index("reference")] == "broken heating"
