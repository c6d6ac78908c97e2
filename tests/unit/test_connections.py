"""A channel connection's rules: which mapping a partner's product and rate plan finds, which
commission a booking carries, what a statement counts."""

from __future__ import annotations

import pytest

from chalicelib.booking.domain.partner_refs import PartnerEntry
from chalicelib.channels.domain.connections import (
    ChannelMapping,
    Connection,
    ConnectionKind,
    ConnectionStatus,
    Settlement,
    check_events,
    check_mappings,
)
from chalicelib.channels.domain.statements import CurrencyTotals, check_month, statement
from chalicelib.channels.services.connections import partner_ref
from chalicelib.kernel.domain.errors import InvalidInput

AT = "2026-11-24T09:00:00.000000Z"


def connection(**kw) -> Connection:
    return Connection(
        id="chn_1",
        name="Expedia",
        kind=ConnectionKind.CHANNEL_MANAGER,
        status=ConnectionStatus.ACTIVE,
        settlement=Settlement.PARTNER,
        outbound_url=None,
        events=frozenset(),
        created_at=AT,
        updated_at=AT,
        **kw,
    )


def test_a_rate_plans_own_mapping_wins_over_the_products_any_rate_mapping():
    c = connection(
        mappings=(
            ChannelMapping("DBL", "off_stay", "res_double"),
            ChannelMapping("DBL", "off_stay_nrf", "res_double", rate_id="NRF"),
        )
    )
    assert c.mapping_for("DBL", "NRF").offering_id == "off_stay_nrf"
    assert c.mapping_for("DBL", "FLEX").offering_id == "off_stay"
    assert c.mapping_for("DBL").offering_id == "off_stay"
    assert c.mapping_for("TWN") is None


def test_a_product_mapped_for_one_rate_only_finds_nothing_for_another():
    c = connection(mappings=(ChannelMapping("DBL", "off_stay", rate_id="NRF"),))
    assert c.mapping_for("DBL", "FLEX") is None


def test_an_offerings_rate_replaces_the_connections():
    c = connection(commission_bp=1500, offering_commissions=(("off_tour", 2000),))
    assert c.commission_for("off_tour") == 2000
    assert c.commission_for("off_stay") == 1500
    ref = partner_ref(c, "EXP-1", "off_tour")
    assert (ref.connection_id, ref.name, ref.reference, ref.commission_bp) == (
        "chn_1",
        "Expedia",
        "EXP-1",
        2000,
    )


def test_mappings_and_update_kinds_are_checked():
    with pytest.raises(InvalidInput):
        check_mappings([ChannelMapping("A", "off_1"), ChannelMapping("A", "off_2")])
    assert (
        len(check_mappings([ChannelMapping("A", "o"), ChannelMapping("A", "o", rate_id="R")])) == 2
    )
    with pytest.raises(InvalidInput):
        check_mappings([ChannelMapping("", "off_1")])
    assert check_events(["rates"]) == frozenset({"rates"})
    with pytest.raises(InvalidInput):
        check_events(["bookings"])


@pytest.mark.parametrize("month", ["2026-12", "2000-01", "2999-12"])
def test_a_month_reads_yyyy_mm(month):
    assert check_month(month) == month


@pytest.mark.parametrize(
    "month", ["2026-00", "2026-13", "1999-12", "2026-1", "2026/12", "٢٠٢٦-12", ""]
)
def test_anything_else_is_no_month(month):
    with pytest.raises(InvalidInput):
        check_month(month)


def entry(order_id, status, currency, total, commission, at=AT) -> PartnerEntry:
    return PartnerEntry(
        "chn_1", f"R-{order_id}", order_id, at, "2026-11", status, currency, total, 1500, commission
    )


def test_a_statement_counts_sold_orders_per_currency_and_lists_them_all_by_booking_time():
    s = statement(
        "chn_1",
        "Expedia",
        "2026-11",
        "Europe/Berlin",
        [
            entry("o3", "completed", "USD", 5000, 750, at="2026-11-24T12:00:00.000000Z"),
            entry("o1", "confirmed", "EUR", 10000, 1500),
            entry("o2", "cancelled", "EUR", 8000, 0),
            entry("o4", "no_show", "EUR", 2000, 300, at="2026-11-25T08:00:00.000000Z"),
            entry("o5", "held", "EUR", 4000, 0, at="2026-11-26T08:00:00.000000Z"),
        ],
    )
    assert [e.order_id for e in s.lines] == ["o1", "o2", "o3", "o4", "o5"]
    assert dict(s.totals) == {
        "EUR": CurrencyTotals(orders=2, total=12000, commission=1800),
        "USD": CurrencyTotals(orders=1, total=5000, commission=750),
    }
    assert dict(s.totals)["EUR"].net == 10200
