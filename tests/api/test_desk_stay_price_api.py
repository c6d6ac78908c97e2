"""The desk tells the guest the price of a stay's change before making it: a longer stay
(`POST /v1/orders/{id}/stay` with `"quote": true`) and a move to a room of another type
(`POST /v1/orders/{id}/room`, quoted already) answer the order as the change would make it,
and the change sent with the quote's total (`expected_total`) is refused, 409
`price_changed`, when a price changed while the guest was asked: nobody is charged a total
they were not told (a self-review's finding: the room move took any price, and the stay's
new nights were priced only once they were taken)."""

from __future__ import annotations

from dataclasses import replace

from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_rooms_api import book, hotel, move, room_nights, used

__all__ = ["hotel"]  # the fixture, imported for these tests


def reprice(api, hotel, offering_id: str, amount: int) -> None:
    """The owner changes a price while the desk's question is open."""
    c = api.container
    data = c.tenant_data.for_tenant(c.platform.get_tenant(hotel["tenant_id"]))
    old = data.catalog.offerings[offering_id]
    new = replace(old, pricing=replace(old.pricing, amount=amount), rev=old.rev + 1)
    data.catalog.put_offering(new, expected_rev=old.rev)
    c.catalog_cache.invalidate(hotel["tenant_id"])


def read(api, hotel, order_id):
    return api.call("GET", f"/v1/orders/{order_id}", auth=hotel["secret_key"]).data


def stay(api, hotel, order, nights, **body):
    return api.call(
        "POST",
        f"/v1/orders/{order['id']}/stay",
        auth=hotel["secret_key"],
        body={"nights": nights, **body},
        headers={"If-Match": f'"{order["version"]}"'},
    )


def test_a_longer_stay_is_quoted_and_the_quote_changes_nothing(api, hotel):
    forbid_server_errors(api)
    order = book(api, hotel, nights=2)
    quote = stay(api, hotel, order, 3, quote=True)
    assert quote.status_code == 200, quote.body
    assert [ln["nights"] for ln in quote.data["lines"]] == [3]
    assert quote.data["totals"]["total"] == 3 * 12000
    assert quote.data["version"] == order["version"]
    now = read(api, hotel, order["id"])
    assert (now["version"], now["totals"], now["lines"]) == (
        order["version"],
        order["totals"],
        order["lines"],
    )
    assert used(api, hotel, "res_double", "2026-12-26") == 0
    names = [e["event"]["name"] for e in api.container.relayed_events()]
    assert "OrderRescheduled" not in names
    made = stay(api, hotel, order, 3, expected_total=quote.data["totals"]["total"])
    assert made.status_code == 200, made.body
    assert made.data["totals"] == quote.data["totals"]
    assert used(api, hotel, "res_double", "2026-12-26") == 1


def test_a_longer_stay_at_a_price_changed_meanwhile_is_refused_and_changes_nothing(api, hotel):
    forbid_server_errors(api)
    order = book(api, hotel, nights=2)
    told = stay(api, hotel, order, 3, quote=True).data["totals"]["total"]
    reprice(api, hotel, "off_stay", 15000)
    refused = stay(api, hotel, order, 3, expected_total=told)
    error = assert_error(refused, 409, "price_changed")
    # The nights kept stay at their booked price; the night gained costs the new one.
    assert error["details"]["total"] == 2 * 12000 + 15000
    now = read(api, hotel, order["id"])
    assert (now["version"], now["totals"]) == (order["version"], order["totals"])
    assert used(api, hotel, "res_double", "2026-12-26") == 0
    # Asked again, the guest says yes to the new total and the stay is made at it.
    made = stay(api, hotel, order, 3, expected_total=error["details"]["total"])
    assert made.status_code == 200, made.body
    assert made.data["totals"]["total"] == 2 * 12000 + 15000


def test_a_move_to_another_type_at_a_price_changed_meanwhile_is_refused(api, hotel):
    forbid_server_errors(api)
    order = book(api, hotel, nights=2)
    asked = {"resource_id": "res_suite", "from": "2026-12-25"}
    told = move(api, hotel, order["id"], "S1", quote=True, **asked).data["totals"]["total"]
    assert told == 12000 + 30000
    reprice(api, hotel, "off_suite", 35000)
    nights = room_nights(api, hotel)
    refused = move(api, hotel, order["id"], "S1", expected_total=told, **asked)
    error = assert_error(refused, 409, "price_changed")
    assert error["details"]["total"] == 12000 + 35000
    now = read(api, hotel, order["id"])
    assert (now["version"], now["totals"], now["lines"]) == (
        order["version"],
        order["totals"],
        order["lines"],
    )
    assert room_nights(api, hotel) == nights
    assert used(api, hotel, "res_suite", "2026-12-25") == 0
    made = move(api, hotel, order["id"], "S1", expected_total=12000 + 35000, **asked)
    assert made.status_code == 200, made.body
    assert made.data["totals"]["total"] == 12000 + 35000


def test_a_room_of_the_same_type_keeps_the_total_the_desk_sends(api, hotel):
    forbid_server_errors(api)
    order = book(api, hotel, nights=2)
    made = move(api, hotel, order["id"], "101", expected_total=order["totals"]["total"])
    assert made.status_code == 200, made.body
    refused = move(api, hotel, order["id"], "102", expected_total=order["totals"]["total"] + 1)
    assert_error(refused, 409, "price_changed")
    assert [r["room"] for r in read(api, hotel, order["id"])["lines"][0]["rooms"]] == ["101"]
