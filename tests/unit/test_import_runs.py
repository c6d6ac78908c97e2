"""The import worker's work on the fakes (customers/services/import_runs.py): a job that dies
half-way resumes where it stopped without doing a row twice; a job short of time sends the
rest on; a booking placed by the job whose result was never written is finished, not
reported as an earlier import's."""

from __future__ import annotations

import pytest

from chalicelib.customers.domain.import_rows import ImportKind
from chalicelib.customers.domain.imports import ImportStatus, RowOutcome
from chalicelib.customers.services import import_runs
from chalicelib.customers.services.import_runs import run_import
from chalicelib.customers.services.imports import ImportAsk, start_import
from chalicelib.kernel.services.work_marks import WorkMarks
from chalicelib.queues import IMPORTS
from tests.builders import Shop, room_type, stay_offering
from tests.fakes import FakeBus, FakePlatform
from tests.import_support import die_at_confirmation

CUSTOMERS = "Name,Email\n" + "".join(f"C{i},c{i}@example.com\n" for i in range(6))
MAPPING = (("Name", "name"), ("Email", "email"))
BOOKINGS = "Ref,Name,Email,Room,Arrival\n" + "".join(
    f"R{i},G{i},g{i}@example.com,Double room stay,2026-12-0{i + 1}\n" for i in range(4)
)
BOOKING_MAPPING = (
    ("Ref", "reference"),
    ("Name", "name"),
    ("Email", "email"),
    ("Room", "offering"),
    ("Arrival", "date"),
)


@pytest.fixture
def shop():
    return Shop().add(room_type(rooms=1), stay_offering())


def run(shop, job_id, bus, **kw):
    return run_import(
        shop.ctx, shop.cache, WorkMarks(FakePlatform()), job_id, bus=bus, budget_seconds=60, **kw
    )


def started(shop, text, mapping, kind, bus, job_id="imp_1"):
    ask = ImportAsk(kind=kind, text=text, mapping=mapping, file_name="x.csv")
    return start_import(shop.ctx, job_id, ask, bus=bus)


def events(shop):
    return [e for e in shop.data.orders.events if e.name == "CustomerImported"]


def test_a_customer_import_that_dies_half_way_resumes_without_doubles(shop):
    bus = FakeBus()
    started(shop, CUSTOMERS, MAPPING, ImportKind.CUSTOMERS, bus)
    shop.data.imports.crash_after = 3  # the 4th row's transaction dies with the process
    with pytest.raises(SystemExit):
        run(shop, "imp_1", bus)
    assert len(events(shop)) == 3 and len(shop.data.imports.results("imp_1")) == 3
    shop.clock.advance(IMPORTS.function_timeout + 120)  # the dead worker's claim runs out
    assert run(shop, "imp_1", bus) == "done"
    results = shop.data.imports.results("imp_1")
    assert [r.outcome for r in results] == [RowOutcome.TAKEN] * 6
    assert sorted(e.data["row"] for e in events(shop)) == [2, 3, 4, 5, 6, 7]
    assert shop.data.imports.rows("imp_1") == []  # the file's cells go with the job's end
    assert shop.data.imports.get("imp_1").status is ImportStatus.DONE


def test_a_worker_holding_the_job_keeps_a_second_delivery_out(shop):
    bus = FakeBus()
    started(shop, CUSTOMERS, MAPPING, ImportKind.CUSTOMERS, bus)
    shop.data.imports.claim("imp_1", now=shop.clock(), until="2999-01-01T00:00:00.000000Z")
    assert run(shop, "imp_1", bus) == "busy"
    assert events(shop) == []


def test_a_job_short_of_time_sends_the_rest_on(shop):
    bus = FakeBus()
    started(shop, CUSTOMERS, MAPPING, ImportKind.CUSTOMERS, bus)
    bus.take(IMPORTS.name)
    ticks = iter([0, 0, 0, 100])  # the third row finds its time run out
    assert run(shop, "imp_1", bus, clock=lambda: next(ticks, 100)) == "continued"
    assert len(shop.data.imports.results("imp_1")) == 2
    assert bus.take(IMPORTS.name) == [{"tenant_id": shop.tenant.id, "import_id": "imp_1"}]
    assert run(shop, "imp_1", bus) == "done"
    assert len(events(shop)) == 6


def test_a_booking_placed_before_the_worker_died_is_finished_as_taken(shop, monkeypatch):
    bus = FakeBus()
    started(shop, BOOKINGS, BOOKING_MAPPING, ImportKind.BOOKINGS, bus)
    die_at_confirmation(monkeypatch, 2)
    with pytest.raises(SystemExit):
        run(shop, "imp_1", bus)
    orders = shop.data.orders.orders
    assert len(orders) == 2  # the second is held, its result unwritten
    shop.clock.advance(IMPORTS.function_timeout + 120)
    assert run(shop, "imp_1", bus) == "done"
    results = shop.data.imports.results("imp_1")
    assert [r.outcome for r in results] == [RowOutcome.TAKEN] * 4
    assert len(orders) == 4
    assert {o.status.value for o in orders.values()} == {"confirmed"}
    # Each night of the one room is taken once.
    assert set(shop.data.orders.buckets.values()) == {1}


def test_a_hold_that_ran_out_while_the_job_stood_still_is_said(shop, monkeypatch):
    bus = FakeBus()
    started(shop, BOOKINGS, BOOKING_MAPPING, ImportKind.BOOKINGS, bus)

    confirm = import_runs.order_service.confirm
    die_at_confirmation(monkeypatch, 1)
    with pytest.raises(SystemExit):
        run(shop, "imp_1", bus)
    (held,) = shop.data.orders.orders.values()
    shop.data.orders.orders[held.id] = held.transition(
        held.status.EXPIRED, at=shop.clock(), actor="system:reservoir"
    )
    monkeypatch.setattr(import_runs.order_service, "confirm", confirm)
    shop.clock.advance(IMPORTS.function_timeout + 120)
    assert run(shop, "imp_1", bus) == "done"
    first = shop.data.imports.results("imp_1")[0]
    assert (first.outcome, first.code) == (RowOutcome.REFUSED, "import_interrupted")
