"""A stay extended into a night that sells out at the same moment, on DynamoDB Local: the
extension and a new booking of the last room that night start together (a barrier); exactly
one gets the night, the other is refused with nothing changed, and the invariant holds.
Twenty rounds, each on its own night."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta

import pytest

from chalicelib.booking.domain.orders import Channel, Customer
from chalicelib.booking.services import invariant
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.booking.services.stays import change_stay
from chalicelib.kernel.domain.errors import SlotUnavailable
from chalicelib.kernel.services.context import system_context
from tests.integration.support import live_hotel

ROUNDS = 20


@pytest.mark.slow
def test_an_extension_and_a_new_booking_race_for_the_last_room(live):
    c, t, data = live_hotel(live, "stayrace", rooms=1)

    def ctx():
        return system_context(t, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)

    def hold(check_in: date, nights: int, who: str) -> str:
        line = LineInput("off_stay", check_in=check_in, nights=nights)
        request = HoldInput(Customer(who, f"{who}@example.com"), [line], Channel.API)
        return hold_order(ctx(), c.catalog_cache, request, order_id=f"ord_{c.new_id()}").id

    first = date.today() + timedelta(days=40)
    outcomes = []
    for n in range(ROUNDS):
        check_in = first + timedelta(days=3 * n)
        staying = hold(check_in, 1, f"stay{n}")
        results = race(
            {
                "extend": lambda staying=staying: change_stay(
                    ctx(), c.catalog_cache, staying, line_index=0, nights=2, expected_version=None
                ),
                "new": lambda night=check_in + timedelta(days=1), n=n: hold(night, 1, f"new{n}"),
            }
        )
        won = [k for k, v in results.items() if not isinstance(v, SlotUnavailable)]
        assert len(won) == 1, results
        outcomes.append(won[0])
        if won == ["new"]:  # the refused extension changed nothing: still one night
            assert data.orders.get(staying).lines[0].nights == 1  # type: ignore[union-attr]
    report = invariant.check_invariant(ctx(), first, first + timedelta(days=3 * ROUNDS + 2))
    assert report.ok, report
    print(f"\nstay race: {outcomes.count('extend')} extensions won, {outcomes.count('new')} new")


def race(actions: dict[str, Callable[[], object]]) -> dict[str, object]:
    """Run the actions together (a barrier releases them at once); each one's answer, or
    the SlotUnavailable it raised."""
    barrier = threading.Barrier(len(actions), timeout=10)
    results: dict[str, object] = {}

    def run(name: str, action: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[name] = action()
        except SlotUnavailable as exc:
            results[name] = exc

    threads = [threading.Thread(target=run, args=item) for item in actions.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results
