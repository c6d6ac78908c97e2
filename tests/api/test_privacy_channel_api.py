"""An erase reaches a channel manager's reservation: the messages it keeps (`CHRES#`: the one
applied to its order) named the guest, and a reviewer found them whole after the erase."""

from __future__ import annotations

import urllib.parse

from tests.api.support import deliver_events_times, forbid_server_errors, tenant_data
from tests.api.test_channel_inbound_api import CONN, hotel, message, post  # noqa: F401


def test_the_reservations_kept_message_names_the_erased_customer_not_the_guest(
    api,
    hotel,  # noqa: F811 - the fixture
):
    forbid_server_errors(api)
    guest = {"name": "Ana Lima", "email": "ana@example.com", "phone": "+351912345678"}
    made = post(api, hotel, message("e1", guest=guest))
    assert made.status_code == 200, made.body
    order_id = made.data["order_id"]
    assert post(api, hotel, message("e2", kind="reservation.cancelled")).status_code == 200
    deliver_events_times(api, 1)
    ref = urllib.parse.quote("ana@example.com", safe="")
    confirm = {"confirm": "ana@example.com"}
    owner = api.owner_token(hotel)
    erased = api.call("POST", f"/v1/customers/{ref}/erase", auth=owner, body=confirm)
    assert erased.status_code == 200 and erased.data["done"], erased.body
    state = tenant_data(api, hotel).inbound.state(CONN, "BDC-77")
    assert state is not None and state.applied is not None
    kept = repr(state)
    assert "Ana Lima" not in kept and "ana@example.com" not in kept and "912345678" not in kept
    assert state.applied.reservation.guest.email == f"{order_id}@erased.invalid"
    again = api.call("POST", f"/v1/customers/{ref}/erase", auth=owner, body=confirm)
    assert again.status_code in (200, 404), again.body  # nothing of hers is left to find
