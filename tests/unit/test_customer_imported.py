"""An import's customer rows become records (customers/services/imported.py), on the fakes:
made or filled once per event however often it is delivered, never overruling what the
business already knows."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.services import orders as order_service
from chalicelib.customers.domain.records import ConsentSource
from chalicelib.customers.services.imported import RecordImportedCustomers, record_imported
from chalicelib.customers.services.profiles import Changes, update_customer
from chalicelib.kernel.domain.customer_events import CustomerImported
from chalicelib.kernel.domain.customer_ids import customer_id_for
from tests.stage import ADA, Stage

AT = "2026-11-30T10:00Z"


def _row(**changes: object) -> CustomerImported:
    event = CustomerImported(
        id="evt_imp_1",
        at=AT,
        customer_id=customer_id_for("mei@example.test"),
        customer_name="Mei Chen",
        email="mei@example.test",
        phone="+442079460000",
        tags=["vip", "Regular"],
        notes="Prefers the window seat",
        birthday="1990-03-14",
        marketing_consent=True,
        consent_at=AT,
        import_id="imp_1",
        row=2,
    )
    return replace(event, **changes)  # type: ignore[arg-type]


def test_a_row_makes_a_record_once_however_often_it_is_delivered():
    stage = Stage()
    row = _row()

    assert record_imported(stage.system, row) is True
    once = stage.data.customers.get(row.customer_id)
    assert record_imported(stage.system, row) is False
    assert RecordImportedCustomers().handle(stage.system, row, None) is None

    assert stage.data.customers.get(row.customer_id) == once
    assert once is not None
    p = once.profile
    assert (p.name, p.email, p.phone, p.birthday) == (
        "Mei Chen",
        "mei@example.test",
        "+442079460000",
        "1990-03-14",
    )
    assert once.tags == ("Regular", "vip")
    assert once.consent is not None and once.consent.granted
    assert (once.consent.source, once.consent.at) == (ConsentSource.IMPORT, AT)
    notes = stage.data.customers.notes(row.customer_id, limit=10)
    assert [n.text for n in notes] == ["Prefers the window seat"]
    assert notes[0].by == "system:import"


def test_a_known_customer_is_filled_never_overruled():
    stage = Stage()
    order = stage.book()
    order_service.confirm(stage.ctx, order.id)
    stage.drain()
    cid = customer_id_for(ADA.email)
    known = stage.data.customers.get(cid)
    assert known is not None
    # the customer said no to marketing at the desk; the old export says yes
    changes = Changes(marketing=False, tags=("staff pick",))
    update_customer(stage.ctx, cid, changes, expected_version=None)

    row = _row(
        id="evt_imp_2",
        customer_id=cid,
        customer_name="Someone Else",
        email=ADA.email,
        phone=None,
        tags=["vip"],
    )
    assert record_imported(stage.system, row) is True

    after = stage.data.customers.get(cid)
    assert after is not None
    assert after.profile.name == known.profile.name  # the business's name stays
    assert after.profile.birthday == "1990-03-14"  # what it lacked is filled
    assert after.tags == ("staff pick", "vip")
    assert after.consent is not None and not after.consent.granted
    assert after.consent.source is ConsentSource.STAFF
    assert after.figures == known.figures


def test_a_phone_another_record_holds_flags_both():
    stage = Stage()
    phone_only = _row(
        id="evt_imp_3",
        customer_id=customer_id_for(None, "+442079460000"),
        customer_name="M. Chen",
        email=None,
        notes="",
    )
    record_imported(stage.system, phone_only)
    record_imported(stage.system, _row())

    mei = stage.data.customers.get(customer_id_for("mei@example.test"))
    other = stage.data.customers.get(phone_only.customer_id)
    assert mei is not None and other is not None
    assert mei.possible_duplicates == (other.id,)
    assert other.possible_duplicates == (mei.id,)


def test_an_erased_customers_order_makes_no_record_again():
    from chalicelib.customers.services.figures import CountCustomerFigures
    from chalicelib.kernel.domain.event_registry import typed
    from chalicelib.pipeline.stream import event_of

    stage = Stage()
    order = stage.book()
    order_service.confirm(stage.ctx, order.id)
    events = [typed(event_of(m)) for m in stage.events_queue()]
    erased = stage.data.orders.get(order.id)
    assert erased is not None
    who = replace(erased.customer, name="Erased customer", email=f"{order.id}@erased.invalid")
    stage.data.orders.orders[order.id] = replace(erased, customer=who)
    assert stage.data.orders.get(order.id).customer.erased
    consumer = CountCustomerFigures()
    for event in events:
        if isinstance(event, consumer.events):
            consumer.handle(stage.system, event, stage.c)
    assert stage.data.customers.records == {}
