"""Privacy through the API where the customers' records meet it: a phone on two customers'
records is refused with their ids (staff choose one by id), and a note's idempotency record,
which remembers the note's text for 24 h, loses it when its customer is erased."""

from __future__ import annotations

import json

from tests.api.support import assert_error, forbid_server_errors, tenant_data
from tests.api.test_customers_api import ADA, ADA_ID, TWIN_ID, known  # noqa: F401 - a fixture
from tests.api.test_notifications_api import salon  # noqa: F401 - a fixture
from tests.api.test_privacy_api import erase, export


def _cancel_all(api, tenant, email: str) -> None:
    orders = tenant_data(api, tenant).orders.orders.values()
    for order_id in [o.id for o in orders if o.customer.email.lower() == email.lower()]:
        r = api.call("POST", f"/v1/orders/{order_id}/cancel", auth=tenant["secret_key"], body={})
        assert r.status_code == 200, r.body


def test_a_phone_on_two_customers_records_is_refused_with_their_ids(api, known):  # noqa: F811
    forbid_server_errors(api)
    owner = api.owner_token(known)

    refused = assert_error(export(api, owner, ADA["phone"]), 409, "phone_names_several_customers")
    assert refused["details"]["customer_ids"] == sorted([ADA_ID, TWIN_ID])
    again = erase(api, owner, ADA["phone"], confirm=ADA["phone"])
    assert_error(again, 409, "phone_names_several_customers")

    by_id = export(api, owner, ADA_ID)  # staff choose one by id
    assert (by_id.status_code, by_id.data["customer_id"], by_id.data["orders"]) == (201, ADA_ID, 2)


def test_an_erase_scrubs_the_text_a_notes_idempotency_record_remembers(api, known):  # noqa: F811
    forbid_server_errors(api)
    owner = api.owner_token(known)
    note = api.call(
        "POST",
        f"/v1/customers/{ADA_ID}/notes",
        auth=known["secret_key"],
        body={"text": "Allergic to lavender, mother of Byron"},
        headers={"Idempotency-Key": "note-1"},
    )
    assert note.status_code == 201 and note.data["customer_id"] == ADA_ID
    _cancel_all(api, known, ADA["email"])

    r = erase(api, owner, ADA["email"], confirm=ADA["email"])

    assert r.status_code == 200 and r.data["done"], r.body
    remembered = json.dumps(tenant_data(api, known).idempotency.records)
    assert "lavender" not in remembered and "Byron" not in remembered
    assert "note_" in remembered  # the record stays (a retry is answered), its text gone
