"""Orders counted before the short keys (day items and `FIGORD#` holding `o|<id>`, `r|<id>`,
`s|<id>`) and counted again after keep their ids in the days they held (`kept_names`: a day
item keeps its size, where moving them to the short keys left the old names at 0 beside the new
ones), and every report still equals a rebuild of the same days (written by a reviewer, kept)."""

from __future__ import annotations

from datetime import date

from chalicelib.reports.domain.figures import key_of
from chalicelib.reports.domain.figures_report import DayFigures, ReportQuery
from chalicelib.reports.services.figures_ports import Counted
from chalicelib.reports.services.rebuild import run_rebuild, start_rebuild
from chalicelib.reports.services.report import figures_report
from tests.unit.test_report_figures import _act, _play, _stage

BEFORE = [("book", 0), ("book", 1), ("book", 2), ("confirm", 0), ("confirm", 1), ("pay", 0)]
# Steps on the orders made before (ids in the order they were made), then a new booking.
AFTER = [("cancel", 1), ("pay", 0), ("refund", 0), ("confirm", 2)]


def _legacy_name(name: str, ids: dict[str, str], staff: set[str]) -> list[str]:
    dim, key, field = name.split("|", 2)
    if dim == "O":
        return [f"o|{ids[key]}|{field}"]
    if dim == "R":
        rid = ids[key]
        return [f"r|{rid}|{field}"] + ([f"s|{rid}|{field}"] if rid in staff else [])
    return [name]


def _legacy(counters, ids, staff):
    out: dict[str, int] = {}
    for name, n in counters.items():
        for legacy in _legacy_name(name, ids, staff):
            out[legacy] = out.get(legacy, 0) + n
    return out


def _as_before_the_change(stage) -> None:
    """Rewrite what the figures hold as the code before 64b706b6 wrote it."""
    orders = list(stage.data.orders.orders.values())
    every = {line.offering_id for o in orders for line in o.lines}
    every |= {a.resource_id for o in orders for line in o.lines for a in line.allocations}
    ids = {key_of(i): i for i in every}
    staff = {"res_a"}  # the stylist: a diary chosen by skill
    figs = stage.data.figures
    for slot, d in list(figs.day_items.items()):
        figs.day_items[slot] = DayFigures(d.day, _legacy(d.counters, ids, staff), d.updated_at)
    for oid, counted in list(figs.orders.items()):
        c = {slot: _legacy(cs, ids, staff) for slot, cs in counted.contribution.items()}
        figs.orders[oid] = Counted(c, counted.first_booking, counted.version)


def _reports(stage) -> dict:
    out = {}
    for basis in ("booked", "service", "paid"):
        for by in (None, "channel", "offering", "resource", "staff"):
            # the second range's previous one (11-19..11-24) holds the booked day
            for first, last in (
                (date(2026, 11, 20), date(2026, 12, 10)),
                (date(2026, 11, 25), date(2026, 11, 30)),
            ):
                for group in ("day", "week"):
                    q = ReportQuery(basis, first, last, group, by, compare=True)
                    r = figures_report(stage.system, q, stage.shop.cache)
                    out[(basis, by, first, group)] = (r["rows"], r["totals"], r["previous"])
    return out


def test_orders_counted_before_the_short_keys_and_again_after_report_as_a_rebuild():
    stage = _stage()
    _play(stage, BEFORE)
    _as_before_the_change(stage)
    legacy = {o: set(c.contribution) for o, c in stage.data.figures.orders.items()}
    names_before = {s: set(d.counters) for s, d in stage.data.figures.day_items.items()}
    made = sorted(stage.data.orders.orders.values(), key=lambda o: o.created_at)
    for what, n in AFTER:
        _act(stage, what, made[n].id, n)
        stage.drain()
        stage.shop.clock.advance(1)
    _play(stage, [("book", 4), ("confirm", 0)])
    # the orders made before keep their ids in the days they held, and no short key joins them
    counted = stage.data.figures.orders
    newly: set = set()  # the days an order counts in that it did not hold before the change
    for order_id, c in counted.items():
        before = legacy.get(order_id, set())
        for slot, counters in c.contribution.items():
            if slot in before:
                assert not any(n[0] in "OR" for n in counters), (order_id, slot)
            else:
                newly.add(slot)
    kept = {s: n for s, n in names_before.items() if s not in newly}
    assert kept  # days only the old orders touch, counted again
    for slot, names in kept.items():
        grew = set(stage.data.figures.day_items[slot].counters) - names
        assert not any(n[0] in "OR" for n in grew), (slot, grew)  # a new field may join
    live = _reports(stage)
    assert live[("booked", None, date(2026, 11, 25), "day")][2]["totals"]["bookings"] > 0
    assert any(k[0] == "o" for d in stage.data.figures.day_items.values() for k in d.counters)
    stage.data.figures.day_items.clear()
    start_rebuild(stage.system, date(2026, 10, 1), date(2026, 12, 31), "rbd_legacy", stage.c.bus)
    assert run_rebuild(stage.system, "rbd_legacy").status == "done"
    rebuilt = _reports(stage)
    for k in live:
        assert live[k] == rebuilt[k], k


def test_a_resource_that_stops_being_staff_leaves_the_staff_report_live_and_rebuilt_alike():
    """Checked sound: staff are read from the resources' counters by the catalogue as it is
    now, so a stylist whose skills are taken away leaves `by=staff` for every past day too
    (the old `s|` copies, written when counted, are not read), and a rebuild agrees."""
    from dataclasses import replace

    stage = _stage()
    _play(stage, BEFORE)
    _as_before_the_change(stage)  # the old items hold `s|res_a|...` copies
    q = ReportQuery("booked", date(2026, 11, 20), date(2026, 12, 10), "day", "staff")

    def staff_rows() -> list:
        return figures_report(stage.system, q, stage.shop.cache)["rows"]

    assert [r["key"] for r in staff_rows()] == ["res_a"]
    alex = stage.data.catalog.get_resource("res_a")
    stage.data.catalog.put_resource(replace(alex, skills=frozenset()), expected_rev=alex.rev)
    stage.shop.cache.invalidate(stage.tenant.id)
    assert staff_rows() == []
    stage.data.figures.day_items.clear()
    start_rebuild(
        stage.system, date(2026, 10, 1), date(2026, 12, 31), "rbd_legacy_staff", stage.c.bus
    )
    assert run_rebuild(stage.system, "rbd_legacy_staff").status == "done"
    assert staff_rows() == []
