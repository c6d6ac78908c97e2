"""Notifications: the customer's language, money by minor units, the .ics, tenant templates
in the sandbox, and one message per event however often it is delivered."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from email import message_from_bytes

import pytest
from icalendar import Calendar

from chalicelib.booking.domain.orders import Customer
from chalicelib.booking.services import orders as order_service
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.notifications.adapters.messaging import mime
from chalicelib.notifications.services import sandbox
from chalicelib.notifications.services.content import format_money
from chalicelib.notifications.services.content_times import format_when
from chalicelib.notifications.services.manage import save_template
from chalicelib.notifications.services.reminders import send_reminder
from chalicelib.notifications.services.templates import KINDS, LOCALES, builtin, pick_locale
from chalicelib.pipeline.dispatch import ConsumersFailed
from chalicelib.queues import REMINDERS
from tests.builders import Shop, haircut, stylist
from tests.stage import ADA, Stage

LI = Customer(name="李雷", email="li@example.cn", phone="+8613800000000", locale="zh-Hans-CN")


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (123456, "EUR", "EUR 1,234.56"),
        (1500, "JPY", "JPY 1,500"),
        (12345, "KWD", "KWD 12.345"),
        (5, "USD", "USD 0.05"),
    ],
)
def test_money_is_formatted_by_the_currencys_minor_units(amount, currency, text):
    assert format_money(amount, currency) == text


@pytest.mark.parametrize(
    ("tags", "locale"),
    [
        (("zh-Hans-CN", "en"), "zh-Hans"),
        (("zh", "en"), "zh-Hans"),
        (("zh-TW", "de"), "en"),
        ((None, "zh-Hans"), "zh-Hans"),
        (("fr-FR", None), "en"),
        (("en-GB", "zh-Hans"), "en"),
    ],
)
def test_the_customers_locale_wins_then_the_tenants_then_english(tags, locale):
    assert pick_locale(*tags) == locale


def test_every_kind_has_both_channels_in_both_languages_and_renders():
    from chalicelib.notifications.services.content import sample_context

    for locale in LOCALES:
        for kind in KINDS:
            for channel in ("email", "sms"):
                rendered = sandbox.render(builtin(kind, channel, locale), sample_context(locale))
                assert rendered["text"].strip()


def test_a_held_booking_tells_how_long_it_is_held_in_chinese():
    stage = Stage()
    tenant = stage.tenant  # a Berlin shop that texts Chinese mobiles too
    stage.c.platform.tenants[tenant.id] = replace(
        tenant, settings=replace(tenant.settings, sms_countries=("CN", "DE"))
    )
    stage.book(customer=LI)
    stage.drain()
    [email] = stage.emails(LI.email)
    assert "15 分钟" in email.text and "保留" in email.subject
    assert "至 2026年11月24日 星期二 10:15" in email.text  # Berlin wall clock, held until
    assert "Haircut：2026年12月1日 星期二 10:00" in email.text
    [(phone, text)] = stage.c.sms.sent
    assert phone == LI.phone and "已保留" in text


def test_confirmation_carries_an_ics_in_the_tenants_zone_with_its_vtimezone():
    stage = Stage()
    order = stage.book()
    order_service.confirm(stage.ctx, order.id)
    stage.drain()
    confirmation = stage.emails()[-1]
    assert confirmation.subject == "Confirmed: Shop, Tuesday 1 December 2026, 10:00"
    [ics] = confirmation.attachments
    assert ics.filename == "booking.ics" and ics.content_type.startswith("text/calendar")
    cal = Calendar.from_ical(ics.data)
    [tz] = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/Berlin"
    [event] = cal.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start == datetime.fromisoformat("2026-12-01T10:00:00+01:00")
    assert str(start.tzinfo) == "Europe/Berlin"
    assert event["uid"].startswith(order.id)
    # And the MIME the SES adapter sends: text + HTML alternatives and the calendar part.
    parsed = message_from_bytes(mime(confirmation))
    types = [part.get_content_type() for part in parsed.walk()]
    assert types == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "text/calendar",
    ]


def test_a_cancelled_unpaid_booking_is_told_so_without_a_word_about_refunds():
    shop = Shop(tz="Asia/Tokyo", currency="JPY").add(stylist("res_a", "Alex"), haircut())
    stage = Stage(shop)
    order = stage.book()
    order_service.confirm(stage.ctx, order.id)
    order_service.cancel(stage.ctx, stage.shop.cache, order.id)
    stage.drain()
    cancelled = stage.emails()[-1]
    assert cancelled.subject.startswith("Cancelled: Shop")
    assert "refund" not in cancelled.text.lower() and "refund" not in cancelled.html.lower()


def test_a_failed_payment_tells_the_customer_the_booking_is_still_held():
    from chalicelib.kernel.domain.event_registry import record
    from chalicelib.kernel.domain.events import PaymentFailed
    from chalicelib.pipeline.stream import message

    stage = Stage()
    order = stage.book()
    stage.drain()
    failed = record(
        PaymentFailed(
            id="evt-failed-1",
            at=stage.ctx.now(),
            order_id=order.id,
            status="held",
            version=order.version,
            start=order.start,
            actor="system:reservoir",
            payment_id="pi_1",
            amount=4500,
            code="card_declined",
        )
    )
    stage.deliver([message(stage.tenant.id, failed)] * 2)  # a repeat sends nothing
    notices = [e for e in stage.emails() if e.subject.startswith("Payment not completed")]
    assert len(notices) == 1
    assert "still held" in notices[0].text
    assert len([s for s in stage.c.sms.sent if "did not go through" in s[1]]) == 1


def test_html_escapes_what_the_customer_typed_and_subjects_stay_one_line():
    stage = Stage()
    stage.book(customer=Customer(name="<script>x</script>", email="x@example.com"))
    stage.drain()
    [email] = stage.emails("x@example.com")
    assert "<script>" not in email.html and "&lt;script&gt;" in email.html
    assert "<script>x</script>" in email.text  # plain text is not HTML
    assert "\n" not in email.subject


def test_a_tenant_template_replaces_the_built_in_one():
    stage = Stage()
    save_template(
        stage.ctx,
        "held",
        "email",
        "en",
        {
            "subject": "Hi {{ customer.name }}!",
            "text": "Until {{ hold.until }}",
            "html": "<b>x</b>",
        },
    )
    stage.book()
    stage.drain()
    [email] = stage.emails()
    assert email.subject == "Hi Ada!" and email.html == "<b>x</b>"


def test_a_message_by_email_and_text_reads_the_tenants_templates_once_and_uses_both():
    stage = Stage()
    save_template(stage.ctx, "confirmed", "sms", "en", {"text": "Yes, {{ customer.name }}"})
    save_template(
        stage.ctx, "confirmed", "email", "en", {"subject": "Booked", "text": "t", "html": "h"}
    )
    order = stage.book()
    stage.drain()
    order_service.confirm(stage.ctx, order.id)
    templates = stage.data.templates
    reads: list[str] = []
    original_of_kind, original_get = templates.of_kind, templates.get

    def of_kind(kind: str, locale: str):
        reads.append(kind)
        return original_of_kind(kind, locale)

    def get(*key: str):
        reads.append("get")
        return original_get(*key)

    templates.of_kind, templates.get = of_kind, get  # type: ignore[method-assign]
    stage.drain()
    assert reads == ["confirmed"]  # one read for the e-mail and the text
    assert stage.emails()[-1].subject == "Booked"
    assert stage.c.sms.sent[-1][1] == "Yes, Ada"


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ customer['__class__'] }}",
        "{{ customer.name|attr('__class__') }}",
        "{{ self._TemplateReference__context }}",
        "{{ range.__globals__ }}",
        "{{ lipsum.__globals__['os'] }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{% include '/etc/passwd' %}",
        "{{ 'x' * 1000000000 }}",
        "{{ customer.name.ljust(1000000000) }}",
        "{{ '{:>999999999}'.format(1) }}",
        "{{ customer.nope }}",
        "{% for x in %}",
    ],
)
def test_a_template_that_reaches_for_python_internals_is_refused(source):
    stage = Stage()
    with pytest.raises(InvalidInput) as refused:
        save_template(stage.ctx, "held", "sms", "en", {"text": source})
    assert refused.value.code == "template_refused"
    assert stage.data.templates.list() == {}
    static = "__" in source or "_T" in source or "include" in source or "{% for x in %}" in source
    if static:  # refused by the check of the parsed template, before anything runs
        with pytest.raises(InvalidInput):
            sandbox.static_check("text", source)


def test_a_stored_template_that_fails_when_sending_falls_back_to_the_built_in():
    stage = Stage()
    stage.data.templates.put("held", "sms", "en", {"text": "{{ customer.missing }}"}, "now")
    stage.book()
    stage.drain()
    [(_, text)] = stage.c.sms.sent
    assert "held for" in text


def test_a_failed_sms_is_retried_without_sending_the_email_again():
    stage = Stage()
    order = stage.book()
    stage.drain()
    order_service.confirm(stage.ctx, order.id)
    stage.c.sms.send = _fail  # type: ignore[method-assign]
    [message] = stage.events_queue()
    with pytest.raises(ConsumersFailed):
        stage.deliver([message])
    del stage.c.sms.send
    stage.deliver([message])
    confirmations = [e for e in stage.emails() if e.subject.startswith("Confirmed")]
    assert len(confirmations) == 1
    assert len([s for s in stage.c.sms.sent if "confirmed" in s[1]]) == 1


def test_a_held_message_waits_a_minute_and_is_not_sent_once_the_booking_is_confirmed():
    stage = Stage()
    kept = stage.book()
    confirmed = stage.book(start=datetime(2026, 12, 1, 11, 0))
    for message in stage.events_queue():
        stage.deliver([message])
    notices = stage.c.bus.take(REMINDERS.name)
    assert {n["order_id"] for n in notices} == {kept.id, confirmed.id}
    assert stage.c.bus.delays[REMINDERS.name] == [60, 60]
    assert stage.emails() == []  # nothing yet: the minute is not over
    order_service.confirm(stage.ctx, confirmed.id)  # within the minute
    stage.c.clock.advance(60)
    outcomes = [send_reminder(stage.system, n, stage.c) for n in notices + notices]
    assert outcomes == ["sent", "not_held", "duplicate", "not_held"]
    [held] = stage.emails()
    assert held.subject.startswith("Held") or "held" in held.subject.lower()
    assert kept.id in held.text


def _fail(*args, **kwargs):
    raise TimeoutError("sns down")


def test_when_is_the_tenants_wall_clock_in_both_languages():
    assert format_when("2026-03-29T08:00Z", "Europe/Berlin", "en") == "Sunday 29 March 2026, 10:00"
    assert (
        format_when("2026-03-29T08:00Z", "Asia/Shanghai", "zh-Hans") == "2026年3月29日 星期日 16:00"
    )


def test_notifications_go_to_each_tenants_own_customers_only(monkeypatch):
    stage = Stage()
    stage.book(customer=ADA)
    stage.drain()
    assert {e.to for e in stage.c.mailer.sent} == {ADA.email}
    assert all(e.tags["tenant"] == stage.tenant.id for e in stage.c.mailer.sent)


@pytest.mark.parametrize(
    ("customer", "says"),
    [(ADA, "Shop had to cancel your booking"), (LI, "Shop 不得不取消您")],
)
def test_a_cancellation_by_the_business_says_the_business_cancelled(customer, says):
    from chalicelib.booking.domain.orders import CancelledBy

    stage = Stage()
    order = stage.book(customer=customer)
    order_service.confirm(stage.ctx, order.id)
    order_service.cancel(
        stage.ctx, stage.shop.cache, order.id, reason="flooded salon", by=CancelledBy.BUSINESS
    )
    stage.drain()
    cancelled = stage.emails(customer.email)[-1]
    assert says in cancelled.text and says in cancelled.html
    assert "(cancellation fee" not in cancelled.text and "（取消费" not in cancelled.text
    if customer is ADA:
        [sms] = [text for phone, text in stage.c.sms.sent if phone == ADA.phone][-1:]
        assert says in sms


def test_a_cancellation_by_the_customer_does_not_blame_the_business():
    stage = Stage()
    order = stage.book()
    order_service.confirm(stage.ctx, order.id)
    order_service.cancel(stage.ctx, stage.shop.cache, order.id, reason="ill")
    stage.drain()
    assert "had to cancel" not in stage.emails()[-1].text


def test_a_stay_is_named_by_its_dates_not_a_midnight_time():
    from tests.builders import room_type, stay_offering

    shop = Shop().add(room_type(), stay_offering())
    stage = Stage(shop)
    order = stage.book_stay()
    stage.c.clock.advance(61)  # told of the hold first: its cancellation is news
    order_service.cancel(stage.ctx, stage.shop.cache, order.id)
    stage.drain()
    for email in stage.emails():
        assert "00:00" not in email.subject and "00:00" not in email.text, email.subject
    assert stage.emails()[-1].subject == "Cancelled: Shop, Thursday 24 December 2026"


def test_a_hold_its_customer_gives_back_within_the_minute_is_not_news_to_them():
    """The widget's "Choose another time": no "held" message went yet, so no "cancelled" one
    either; a hold given back later, once they were told of it, is said to be cancelled."""
    from chalicelib.kernel.domain.audit import Actor
    from chalicelib.kernel.services.context import TenantContext

    stage = Stage()
    ctx = stage.ctx
    widget = TenantContext(
        tenant=ctx.tenant,
        actor=Actor(kind="publishable_key", id="pk_1", tenant_id=ctx.tenant.id),
        data_factory=stage.c.tenant_data,
        now=ctx.now,
        new_id=ctx.new_id,
    )
    soon, by_staff, later = (
        stage.book(start=datetime(2026, 12, 1, hour, 0)) for hour in (10, 11, 12)
    )
    order_service.cancel(widget, stage.shop.cache, soon.id)  # the widget's, at once
    order_service.cancel(ctx, stage.shop.cache, by_staff.id)  # staff, for the customer
    stage.c.clock.advance(61)
    order_service.cancel(widget, stage.shop.cache, later.id)
    stage.drain()
    subjects = [(e.subject, e.text) for e in stage.emails()]
    assert not [s for s, text in subjects if soon.id in text]
    for told in (by_staff, later):
        assert [s for s, text in subjects if told.id in text and s.startswith("Cancelled")]


@pytest.mark.parametrize(
    ("minutes", "locale", "said"),
    [
        (1440, "en", "in 1 day"),
        (120, "en", "in 2 hours"),
        (45, "en", "in 45 minutes"),
        (1749, "en", "in 29 hours and 9 minutes"),
        (61, "en", "in 1 hour and 1 minute"),
        (1749, "zh-Hans", "29 小时 9 分钟后"),
    ],
)
def test_a_reminders_lead_is_said_in_hours_and_minutes(minutes, locale, said):
    """An outside tester's reminder said "in 1749 minutes"."""
    from chalicelib.notifications.services.content_times import format_offset

    assert format_offset(minutes, locale) == said
