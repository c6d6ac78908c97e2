"""Events, notifications, reminders and templates over the API, with the very handlers Lambda
invokes for the events and reminders queues (chalice.test.Client, fakes behind)."""

from __future__ import annotations

import json

import pytest

from chalicelib.pipeline.groups import BULK
from chalicelib.queues import EVENTS, HOLD_EXPIRY, MESSAGE_EVENTS, PAYMENT_EVENTS, REMINDERS
from tests.api.support import assert_error, fields_named, snapshot
from tests.builders import haircut, stylist

TEMPLATE = "/v1/templates/confirmed/email/en"


@pytest.fixture
def salon(api):
    tenant = api.signup("salon")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(stylist("res_a", "Alex"), expected_rev=None)
    data.catalog.put_offering(haircut(), expected_rev=None)
    return tenant


def book(api, tenant, *, locale=None, start="2026-12-01T10:00"):
    customer = {"name": "Ada", "email": "ada@example.com", "phone": "+4915112345678"}
    if locale:
        customer["locale"] = locale
    body = {"customer": customer, "lines": [{"offering_id": "off_cut", "start": start}]}
    r = api.call("POST", "/v1/orders", auth=tenant["secret_key"], body=body)
    assert r.status_code == 201, r.body
    api.container.bus.take(HOLD_EXPIRY.name)
    return r.data


def invoke(api, handler, queue, bodies):
    event = api.client.events.generate_sqs_event(
        message_bodies=[b if isinstance(b, str) else json.dumps(b) for b in bodies],
        queue_name=queue,
    )
    for i, record in enumerate(event["Records"]):
        record["messageId"] = f"msg-{i}"
    return api.client.lambda_.invoke(handler, event).payload


# Each consumer group's queue and the handler Lambda runs on it (pipeline/groups.py).
GROUP_HANDLERS = {
    EVENTS.name: "dispatch_events",
    MESSAGE_EVENTS.name: "dispatch_message_events",
    PAYMENT_EVENTS.name: "dispatch_payment_events",
    BULK.queue.name: "dispatch_bulk_events",
}


def deliver_events(api):
    """The events through every group's dispatcher, then the notices they put on the reminders
    queue (a hold's "held" message, a minute later, as though the minute had passed)."""
    failures = []
    for queue, handler in GROUP_HANDLERS.items():
        bodies = api.container.relayed_events(queue)
        if bodies:
            failures += invoke(api, handler, queue, bodies)["batchItemFailures"]
    deliver_notices(api)
    return {"batchItemFailures": failures}


def deliver_notices(api):
    notices = api.container.bus.take(REMINDERS.name)
    if notices:
        assert invoke(api, "send_reminders", REMINDERS.name, notices) == {"batchItemFailures": []}


def test_the_same_events_delivered_three_times_email_the_customer_once(api, salon):
    order = book(api, salon)
    r = api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=salon["secret_key"])
    assert r.status_code == 200, r.body
    messages = api.container.relayed_events(MESSAGE_EVENTS.name)
    # The hold's "held" notice is the bookkeeping group's: its event does not come here.
    assert [m["event"]["name"] for m in messages] == ["OrderConfirmed"]
    bookkeeping = api.container.relayed_events()
    assert invoke(api, "dispatch_events", EVENTS.name, bookkeeping) == {"batchItemFailures": []}
    # The same events three times in one batch and again later: one message each.
    handler = "dispatch_message_events"
    assert invoke(api, handler, MESSAGE_EVENTS.name, messages * 3) == {"batchItemFailures": []}
    invoke(api, handler, MESSAGE_EVENTS.name, messages)
    # Confirmed before the hold's event was handled: "held until ..." is no longer true.
    [subject] = [e.subject for e in api.container.mailer.sent]
    assert subject.startswith("Confirmed: Salon")
    assert len(api.container.sms.sent) == 1
    assert len(api.container.reminders.schedules) == 2


def test_an_event_relayed_before_the_fan_out_still_reaches_every_group(api, salon):
    """A message the relay sent before events were fanned out names no group and sits on the
    bookkeeping queue (in flight at the deploy, or redriven from its dead-letter queue): that
    dispatcher hands the other groups' work to their queues."""
    order = book(api, salon)
    api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=salon["secret_key"])
    legacy = [{k: v for k, v in m.items() if k != "group"} for m in api.container.relayed_events()]
    api.container.bus.take(MESSAGE_EVENTS.name)  # as though the old relay had sent none there
    assert invoke(api, "dispatch_events", EVENTS.name, legacy) == {"batchItemFailures": []}
    forwarded = api.container.bus.take(MESSAGE_EVENTS.name)
    assert [(m["event"]["name"], m["group"]) for m in forwarded] == [
        ("OrderConfirmed", "messages"),
    ]
    handler = "dispatch_message_events"
    assert invoke(api, handler, MESSAGE_EVENTS.name, forwarded) == {"batchItemFailures": []}
    assert [e.subject[:10] for e in api.container.mailer.sent] == ["Confirmed:"]


def test_a_poison_event_fails_alone(api, salon):
    order = book(api, salon)
    api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=salon["secret_key"])
    good = api.container.relayed_events(MESSAGE_EVENTS.name)
    result = invoke(
        api, "dispatch_message_events", MESSAGE_EVENTS.name, ["not json", *good, {"tenant_id": 1}]
    )
    assert result == {
        "batchItemFailures": [{"itemIdentifier": "msg-0"}, {"itemIdentifier": "msg-2"}]
    }
    assert [e.subject[:10] for e in api.container.mailer.sent] == ["Confirmed:"]


def test_a_due_reminder_is_sent_by_the_reminders_handler_once(api, salon):
    order = book(api, salon)
    api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=salon["secret_key"])
    deliver_events(api)
    api.container.clock.advance(6 * 86400)
    due = api.container.reminders.due(api.container.now())
    assert [p["offset_minutes"] for p in due] == [1440]
    for _ in range(2):
        assert invoke(api, "send_reminders", REMINDERS.name, due) == {"batchItemFailures": []}
    reminders = [e for e in api.container.mailer.sent if e.subject.startswith("Reminder")]
    assert len(reminders) == 1


def test_the_reminder_offsets_are_a_tenant_setting(api, salon):
    r = api.call(
        "PATCH",
        "/v1/tenant",
        auth=salon["secret_key"],
        body={"reminder_offsets_minutes": [180, 2880]},
    )
    assert r.data["settings"]["reminder_offsets_minutes"] == [2880, 180]
    order = book(api, salon)
    api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=salon["secret_key"])
    deliver_events(api)
    offsets = sorted(p["offset_minutes"] for _, p in api.container.reminders.schedules.values())
    assert offsets == [180, 2880]


def test_a_manager_reads_replaces_and_resets_a_template(api, salon):
    r = api.call("GET", TEMPLATE, auth=salon["secret_key"])
    assert r.status_code == 200 and r.data["source"] == "builtin"
    assert set(r.data["parts"]) == {"subject", "text", "html"}
    mine = {"subject": "Booked: {{ order.when }}", "text": "See you", "html": "<p>See you</p>"}
    token = api.staff_token(salon, "manager")
    r = api.call("PUT", TEMPLATE, auth=token, body=mine)
    assert r.status_code == 200, r.body
    read = api.call("GET", TEMPLATE, auth=token).data
    assert {k: v for k, v in read.items() if k != "placeholders"} == {
        "kind": "confirmed",
        "channel": "email",
        "locale": "en",
        "source": "tenant",
        "parts": mine,
    }
    order = book(api, salon)
    api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=salon["secret_key"])
    deliver_events(api)
    assert api.container.mailer.sent[-1].subject == "Booked: Tuesday 1 December 2026, 10:00"
    listed = api.call("GET", "/v1/templates", auth=token).data
    assert listed["overridden"] == ["confirmed/email/en"]
    assert api.call("DELETE", TEMPLATE, auth=token).status_code == 204
    assert_error(api.call("DELETE", TEMPLATE, auth=token), 404, "template_not_found")
    assert api.call("GET", TEMPLATE, auth=token).data["source"] == "builtin"


def test_a_template_read_edited_and_written_back_in_its_read_shape_is_saved(api, salon):
    """GET answers `parts`; PUT takes them so too (and at the top level, as above)."""
    token = api.staff_token(salon, "manager")
    read = api.call("GET", TEMPLATE, auth=token).data
    edited = {"parts": {**read["parts"], "subject": "Booked: {{ order.when }}"}}
    r = api.call("PUT", TEMPLATE, auth=token, body=edited)
    assert r.status_code == 200, r.body
    assert api.call("GET", TEMPLATE, auth=token).data["parts"] == edited["parts"]
    body = api.call("GET", "/v1/openapi.json").data["components"]["schemas"]["TemplateIn"]
    assert set(body["properties"]) == {"subject", "text", "html", "parts"}
    assert [shape["required"] for shape in body["oneOf"]] == [["text"], ["parts"]]
    assert body["properties"]["parts"]["required"] == ["text"]


def test_a_template_lists_what_it_may_print_and_an_unknown_name_is_refused(api, salon):
    """The console lists the placeholders beside its editor: each one renders when saved, the
    kind's own part is there (a reminder's `reminder.in_time`), another kind's is not, and a
    name not on the list is 422 with nothing stored."""
    key = salon["secret_key"]
    names = api.call("GET", "/v1/templates/reminder/email/en", auth=key).data["placeholders"]
    assert {"customer.name", "order.when", "order.lines[].name", "reminder.in_time"} <= set(names)
    assert not any(n.startswith("cancellation.") for n in names)
    printed = " ".join("{{ " + n + " }}" for n in names if "[]" not in n)
    # All of them at once: an e-mail's text (a text message is at most 480 characters).
    body = {"subject": "Reminder", "text": printed, "html": "<p>Soon</p>"}
    r = api.call("PUT", "/v1/templates/reminder/email/en", auth=key, body=body)
    assert r.status_code == 200, r.body
    assert r.data["placeholders"] == names
    r = api.call("PUT", TEMPLATE, auth=key,
                 body={"subject": "{{ order.start_time }}", "text": "x", "html": "y"})  # fmt: skip
    assert_error(r, 422, "template_refused")
    assert "start_time" in r.data["error"]["message"]
    assert api.call("GET", TEMPLATE, auth=key).data["source"] == "builtin"


def test_an_unknown_placeholder_is_named_as_written(api, salon):
    """An outside tester's `{{ customer.shoe_size }}` was refused as "'dict object' has no
    attribute 'shoe_size'": the refusal names the placeholder as written, and the part, so the
    console marks that field."""
    body = {"subject": "Hi {{ customer.shoe_size }}", "text": "x", "html": "y"}
    r = api.call("PUT", TEMPLATE, auth=salon["secret_key"], body=body)
    error = assert_error(r, 422, "template_refused")
    assert error["message"].endswith("unknown placeholder customer.shoe_size"), error
    assert "dict object" not in error["message"]
    assert (error["details"]["part"], error["details"]["placeholder"]) == (
        "subject",
        "customer.shoe_size",
    )


@pytest.mark.parametrize(
    "text",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ request.environ }}",
        "{{ lipsum.__globals__.os.popen('id').read() }}",
        "{% for x in range(99999999) %}{% endfor %}",
        "{{ order.when",
    ],
)
def test_a_template_that_tries_to_run_code_is_422_and_stores_nothing(api, salon, text):
    before = snapshot(api.container)
    r = api.call(
        "PUT", "/v1/templates/reminder/sms/zh-Hans", auth=salon["secret_key"], body={"text": text}
    )
    assert_error(r, 422, "template_refused")
    assert snapshot(api.container) == before


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("/v1/templates/birthday/email/en", {"text": "x"}, 404, "template_not_found"),
        ("/v1/templates/held/fax/en", {"text": "x"}, 404, "template_not_found"),
        ("/v1/templates/held/sms/de", {"text": "x"}, 404, "template_not_found"),
        ("/v1/templates/held/email/en", {"text": "x"}, 422, "template_parts"),
        ("/v1/templates/held/sms/en", {"text": "x", "html": "y"}, 422, "template_parts"),
        ("/v1/templates/held/sms/en", {"text": ""}, 422, "validation_failed"),
        ("/v1/templates/held/sms/en", {"text": "x", "code": "y"}, 422, "validation_failed"),
        (
            "/v1/templates/held/sms/en",
            {"parts": {"text": "x"}, "text": "x"},
            422,
            "validation_failed",
        ),
        ("/v1/templates/held/sms/en", {"parts": {"text": ""}}, 422, "validation_failed"),
        ("/v1/templates/held/sms/en", {"parts": "x"}, 422, "validation_failed"),
    ],
)
def test_bad_template_requests_get_4xx(api, salon, path, body, status, code):
    assert_error(api.call("PUT", path, auth=salon["secret_key"], body=body), status, code)


def test_staff_and_publishable_keys_may_not_touch_templates(api, salon):
    staff = api.staff_token(salon, "staff")
    assert_error(api.call("GET", TEMPLATE, auth=staff), 403)
    assert_error(api.call("PUT", TEMPLATE, auth=salon["publishable_key"], body={"text": "x"}), 403)


def test_one_tenants_template_never_reaches_another_tenants_customers(api, salon):
    other = api.signup("other-salon")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(other["tenant_id"])
    )
    data.catalog.put_resource(stylist("res_a", "Alex"), expected_rev=None)
    data.catalog.put_offering(haircut(), expected_rev=None)
    body = {"subject": "SALON ONLY", "text": "x", "html": "x"}
    api.call("PUT", "/v1/templates/held/email/en", auth=salon["secret_key"], body=body)
    book(api, other)
    deliver_events(api)
    [email] = api.container.mailer.sent
    assert email.subject != "SALON ONLY" and email.tags["tenant"] == other["tenant_id"]
    assert api.call("GET", "/v1/templates", auth=other["secret_key"]).data["overridden"] == []


@pytest.mark.parametrize(
    "subject",
    ["a\nBcc: x@y.z", "a\r\nBcc: x@y.z", "a\x00b", "a\u2028b", "a\u202eb", "a\tb"],
)
def test_a_template_subject_with_a_control_character_is_422_naming_the_subject(api, salon, subject):
    before = snapshot(api.container)
    body = {"subject": subject, "text": "x", "html": "x"}
    r = api.call("PUT", TEMPLATE, auth=salon["secret_key"], body=body)
    assert "subject" in fields_named(assert_error(r, 422, "validation_failed"))
    assert snapshot(api.container) == before


def test_a_subject_that_renders_a_line_break_is_sent_on_one_line(api, salon):
    # The source is one line; the rendering is not: Jinja turns the escapes into characters.
    subject = 'Booked {{ customer.name }}{{ "\\r\\nBcc: x@y.z\\x07\\u2028\\u202e" }} end'
    body = {"subject": subject, "text": "x", "html": "x"}
    assert api.call("PUT", TEMPLATE, auth=salon["secret_key"], body=body).status_code == 200
    order = book(api, salon)
    api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=salon["secret_key"])
    deliver_events(api)
    [sent] = [e for e in api.container.mailer.sent if e.subject.startswith("Booked")]
    assert sent.subject == "Booked Ada Bcc: x@y.z end"


def test_a_template_with_the_wrong_parts_is_told_so_in_plain_english(api, salon):
    r = api.call("PUT", "/v1/templates/held/email/en", auth=salon["secret_key"], body={"text": "x"})
    assert assert_error(r, 422, "template_parts")["message"].startswith(
        "An e-mail template has exactly these parts"
    )
    r = api.call("PUT", "/v1/templates/held/sms/en", auth=salon["secret_key"], body=TWO_PARTS)
    assert assert_error(r, 422, "template_parts")["message"].startswith(
        "An SMS template has exactly these parts"
    )


TWO_PARTS = {"text": "x", "html": "y"}


def stream_event(api):
    return {"Records": api.container.stream.records()}


def test_the_relay_handler_sends_the_streams_events_to_the_events_queue(api, salon):
    order = book(api, salon)
    event = stream_event(api)
    assert api.client.lambda_.invoke("relay_events", event).payload == {"batchItemFailures": []}
    [message] = api.container.bus.take(EVENTS.name)
    assert message["tenant_id"] == salon["tenant_id"]
    assert (message["event"]["name"], message["event"]["order_id"]) == ("OrderHeld", order["id"])


def test_the_relay_handler_reports_the_first_record_it_could_not_send(api, salon):
    book(api, salon)
    book(api, salon, start="2026-12-01T11:00")
    event = stream_event(api)
    api.container.bus.fail_batch_positions = {1}
    second = event["Records"][1]["dynamodb"]["SequenceNumber"]
    assert api.client.lambda_.invoke("relay_events", event).payload == {
        "batchItemFailures": [{"itemIdentifier": second}]
    }
    assert len(api.container.bus.take(EVENTS.name)) == 1


def test_the_relay_handler_skips_records_that_are_no_event_and_an_empty_batch(api, salon):
    book(api, salon)
    [record] = stream_event(api)["Records"]
    modify = {**record, "eventName": "MODIFY"}
    assert api.client.lambda_.invoke("relay_events", {"Records": [modify]}).payload == {
        "batchItemFailures": []
    }
    assert api.client.lambda_.invoke("relay_events", {}).payload == {"batchItemFailures": []}
    assert api.container.bus.take(EVENTS.name) == []


def test_an_event_from_a_table_that_is_not_its_tenants_fails_and_does_nothing(api, salon):
    book(api, salon)
    [message] = api.container.relayed_events()
    assert message["table"] == f"reservoir-tenant-{salon['tenant_id']}"
    stray = {**message, "table": "reservoir-tenant-someone-else"}
    result = invoke(api, "dispatch_events", EVENTS.name, [stray, message])
    assert result == {"batchItemFailures": [{"itemIdentifier": "msg-0"}]}
    assert len(api.container.bus.take(REMINDERS.name)) == 1  # the good record's notice only


def test_a_confirmation_tells_the_customer_how_to_reach_the_business(api, salon):
    """The contact the business gave (PATCH /v1/tenant) in the e-mail's text, its links in the
    HTML, the address as the calendar entry's place, and replies going to its e-mail."""
    about = {
        "business": {
            "email": "hello@salon.example",
            "phone": "+1 212 555 0142",
            "address": {
                "lines": ["214 Orchard Street"],
                "city": "New York, NY",
                "postcode": "10002",
                "country": "US",
            },
        }
    }
    r = api.call("PATCH", "/v1/tenant", auth=salon["secret_key"], body=about)
    assert r.status_code == 200, r.body
    order = book(api, salon)
    api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=salon["secret_key"])
    assert deliver_events(api) == {"batchItemFailures": []}

    [mail] = [m for m in api.container.mailer.sent if m.subject.startswith("Confirmed")]
    assert "Address: 214 Orchard Street, New York, NY 10002\n" in mail.text
    assert "Phone: +1 212-555-0142\n" in mail.text
    assert "E-mail: hello@salon.example\n" in mail.text
    assert '<a href="tel:+12125550142">+1 212-555-0142</a>' in mail.html
    assert mail.reply_to == "hello@salon.example"
    [ics] = [a for a in mail.attachments if a.filename == "booking.ics"]
    unfolded = ics.data.decode().replace("\r\n ", "")
    assert "LOCATION:Salon Ltd\\, 214 Orchard Street\\, New York\\, NY 10002" in unfolded


def test_a_business_that_gave_no_contact_has_no_empty_contact_lines(api, salon):
    order = book(api, salon)
    api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=salon["secret_key"])
    assert deliver_events(api) == {"batchItemFailures": []}

    [mail] = [m for m in api.container.mailer.sent if m.subject.startswith("Confirmed")]
    assert "Address:" not in mail.text and "Phone:" not in mail.text
    assert "tel:" not in mail.html
    assert mail.reply_to == api.container.platform.get_tenant(salon["tenant_id"]).owner_email


def test_two_moves_in_a_row_tell_the_customer_once_where_the_booking_stands(api, salon):
    # Probe4 defect 10: each move's e-mail was made from the order as it stood when the
    # message went, so two moves a second apart sent two e-mails both naming the last time.
    order = book(api, salon)
    path = f"/v1/orders/{order['id']}"
    assert api.call("POST", f"{path}/confirm", auth=salon["secret_key"]).status_code == 200
    deliver_events(api)
    api.container.mailer.sent.clear()
    for start in ("2026-12-02T10:00", "2026-12-03T10:00"):
        moved = api.call(
            "POST",
            f"{path}/reschedule",
            auth=salon["secret_key"],
            headers={"If-Match": "*"},
            body={"lines": [{"offering_id": "off_cut", "start": start}]},
        )
        assert moved.status_code == 200, moved.body

    deliver_events(api)

    changed = [e for e in api.container.mailer.sent if e.to == "ada@example.com"]
    assert len(changed) == 1, [e.subject for e in changed]
    assert "3" in changed[0].text and "December" in changed[0].text
