"""Template limits over the API: size, `str.format`, the work a rendering may do, and what the
tenant sees when a stored template gives way to the built-in one at send time."""

from __future__ import annotations

import time

import pytest

from tests.api.support import assert_error, forbid_server_errors, snapshot
from tests.api.test_notifications_api import book, deliver_events, salon  # noqa: F401

SMS = "/v1/templates/held/sms/en"
EMAIL = "/v1/templates/confirmed/email/en"


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def test_a_one_megabyte_template_is_refused(api, salon):  # noqa: F811
    before = snapshot(api.container)
    r = api.call("PUT", SMS, auth=salon["secret_key"], body={"text": "x" * 1_000_000})
    assert_error(r, 422, "validation_failed")
    parts = {"subject": "x", "text": "t" * 12_000, "html": "h" * 12_000}
    r = api.call("PUT", EMAIL, auth=salon["secret_key"], body=parts)
    assert assert_error(r, 422, "template_too_large")["details"]["limit"] == 20_000
    assert snapshot(api.container) == before


@pytest.mark.parametrize(
    "text",
    [
        "{{ '{:>300000000}'.format(1)|length }}",
        "{% for a in customer.name.ljust(9000) %}{% for b in customer.name.ljust(9000) %}"
        "{% endfor %}{% endfor %}",
    ],
)
def test_a_template_that_would_exhaust_the_worker_is_refused_quickly(api, salon, text):  # noqa: F811
    started = time.perf_counter()
    r = api.call("PUT", SMS, auth=salon["secret_key"], body={"text": text})
    assert_error(r, 422, "template_refused")
    assert time.perf_counter() - started < 2


def test_the_tenant_reads_in_its_audit_log_that_its_template_gave_way(api, salon):  # noqa: F811
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(salon["tenant_id"])
    )
    heavy = "{% for a in order.reference.ljust(5000) %}{{ a ~ a }}{% endfor %}"
    data.templates.put("held", "sms", "en", {"text": heavy}, "2026-11-24T09:00Z")
    book(api, salon)
    assert deliver_events(api) == {"batchItemFailures": []}
    [(_, text)] = api.container.sms.sent
    assert "held for" in text  # the built-in template
    entries = api.call("GET", "/v1/audit", auth=salon["secret_key"]).data["data"]
    [told] = [e for e in entries if e["action"] == "template.fallback"]
    assert told["target"] == "template:held/sms/en" and "operations" in told["details"]["reason"]


@pytest.mark.parametrize("text", ["Hello\x00", "Ding\x07 {{ customer.name }}", "a\x1bb"])
def test_a_template_with_a_control_character_is_refused(api, salon, text):  # noqa: F811
    """A NUL or a bell in a message stops a mail server or an SMS gateway at send time; line
    breaks and tabs are text."""
    before = snapshot(api.container)
    body = {"subject": "Hi", "text": text, "html": "<p>Hello</p>"}
    r = api.call("PUT", EMAIL, auth=salon["secret_key"], body=body)
    assert_error(r, 422, "validation_failed")
    assert snapshot(api.container) == before
    ok = {"subject": "Hi", "text": "Hello\r\n\tthere {{ customer.name }}", "html": "<p>Hi</p>"}
    assert api.call("PUT", EMAIL, auth=salon["secret_key"], body=ok).status_code == 200


def test_a_text_message_is_never_cut_its_link_with_it(api, salon):  # noqa: F811
    """An outside tester's own confirmation text came to 520 characters and went out cut at
    480, inside its manage link: refused when saved (with a sample booking), and one longer
    with a real booking's words gives way to the built-in text, the tenant told."""
    before = snapshot(api.container)
    long = "Please read this. " * 30 + "Manage: {{ order.manage_url }}"
    said = assert_error(
        api.call("PUT", SMS, auth=salon["secret_key"], body={"text": long}), 422, "sms_too_long"
    )
    assert said["details"]["limit"] == 480 and said["details"]["size"] > 480
    assert snapshot(api.container) == before
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(salon["tenant_id"])
    )
    data.templates.put("held", "sms", "en", {"text": long}, "2026-11-24T09:00Z")
    book(api, salon)
    assert deliver_events(api) == {"batchItemFailures": []}
    [(_, text)] = api.container.sms.sent
    assert "held for" in text and len(text) <= 480  # the built-in text, whole
    entries = api.call("GET", "/v1/audit", auth=salon["secret_key"]).data["data"]
    [told] = [e for e in entries if e["action"] == "template.fallback"]
    assert told["target"] == "template:held/sms/en" and "480" in told["details"]["reason"]
    short = {"text": "{{ business.name }}: held. {{ order.manage_url }}"}
    assert api.call("PUT", SMS, auth=salon["secret_key"], body=short).status_code == 200


def test_both_shapes_at_once_are_refused_saying_so(api, salon):  # noqa: F811
    """An outside tester sent `parts` and a top-level `subject` and read "text: Field
    required; parts: This request takes no field by that name"."""
    body = {"subject": "Hi", "parts": {"subject": "Hi", "text": "x", "html": "<p>x</p>"}}
    r = api.call("PUT", EMAIL, auth=salon["secret_key"], body=body)
    [field] = assert_error(r, 422, "validation_failed")["details"]["fields"]
    assert field["field"] == "(body)" and field["message"].endswith("not both"), field
