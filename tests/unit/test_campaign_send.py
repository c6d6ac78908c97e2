"""A campaign's job on the fakes (customers/services/campaign_send.py): only consenting members
of the segment are e-mailed, each once even when the job dies half-way and runs again; a refusal
is a bounce; the unsubscribe link withdraws consent once and a later campaign skips them; a
booking within the window is credited once however often its event is delivered."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from chalicelib.booking.domain.orders import Customer
from chalicelib.booking.services import orders as order_service
from chalicelib.customers.domain.campaigns import Wording, read_unsubscribe_token
from chalicelib.customers.domain.figures import CustomerFigures
from chalicelib.customers.domain.records import Consent, ConsentSource, CustomerRecord, Profile
from chalicelib.customers.domain.segments import Op, Rule, RuleKind
from chalicelib.customers.services import campaigns, segments
from chalicelib.customers.services.campaign_send import run_send
from chalicelib.kernel.domain.customer_ids import customer_id_for
from chalicelib.queues import CAMPAIGNS
from tests.stage import Stage

REGULARS = [Rule(RuleKind.VISITS, op=Op.GE, number=2)]
WORDING = {
    "en": Wording("We miss you, {{ first_name }}", "Hello {{ first_name }},\n\nCome back soon."),
    "zh-Hans": Wording("{{ first_name }}，好久不见", "{{ name }}您好，欢迎再来。"),
}


class Crash(Exception):
    """The process dying between a claim and its e-mail."""


def seed(stage: Stage, name: str, *, visits: int = 3, consent: bool = True, lang: str = "") -> str:
    email = f"{name.lower()}@example.com"
    cid = customer_id_for(email)
    stage.data.customers.records[cid] = CustomerRecord(
        id=cid,
        profile=Profile(name=f"{name} Smith", email=email, language=lang),
        created_at="2026-01-01T00:00Z",
        updated_at="2026-01-01T00:00Z",
        figures=CustomerFigures(visits=visits, last_visit="2026-06-01T10:00Z"),
        consent=Consent(granted=consent, source=ConsentSource.BOOKING_FORM, at="2026-01-01"),
    )
    return cid


def campaign(stage: Stage, cid: str = "cmp_1", follow_days: int = 7):
    segments.create(stage.ctx, "seg_1", "Regulars", REGULARS)
    made = campaigns.create(
        stage.ctx,
        cid,
        name="Come back",
        segment_id="seg_1",
        wordings=WORDING,
        follow_days=follow_days,
    )
    campaigns.send(stage.ctx, made.id, bus=stage.c.bus)
    assert stage.c.bus.take(CAMPAIGNS.name) == [
        {"tenant_id": stage.tenant.id, "campaign_id": made.id}
    ]
    return made


@pytest.fixture
def stage():
    s = Stage()
    for name in ("Ada", "Bo", "Cy", "Di", "Ed"):
        seed(s, name)
    seed(s, "Fay", consent=False)  # a regular who never agreed
    seed(s, "Gus", visits=1)  # agreed, but not a regular
    return s


def test_only_consenting_members_are_emailed_once_each_in_their_language(stage):
    seed(stage, "Wang", lang="zh-Hans")
    made = campaign(stage)
    assert run_send(stage.system, made.id, stage.c, budget_seconds=60) == "done"
    sent = sorted(e.to for e in stage.c.mailer.sent)
    assert sent == [f"{n}@example.com" for n in ("ada", "bo", "cy", "di", "ed", "wang")]
    ada = stage.c.mailer.to("ada@example.com")[0]
    assert ada.subject == "We miss you, Ada" and "Hello Ada," in ada.text
    assert stage.c.mailer.to("wang@example.com")[0].subject == "Wang，好久不见"
    assert ada.tags["campaign"] == made.id
    assert ada.tags["customer"] == customer_id_for("ada@example.com")
    headers = dict(ada.headers)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].strip("<>") in ada.text
    after = campaigns.get(stage.ctx, made.id)
    assert after.status.value == "sent"
    assert (after.counts.recipients, after.counts.sent, after.counts.bounced) == (6, 6, 0)
    # Sent is sent: running the job again (a message delivered twice) e-mails nobody.
    assert run_send(stage.system, made.id, stage.c, budget_seconds=60) == "done"
    assert len(stage.c.mailer.sent) == 6
    sent_events = [e for e in stage.data.orders.events if e.name == "CampaignSent"]
    assert [e.data["sent"] for e in sent_events] == [6]


def test_a_campaign_retried_after_a_crash_half_way_emails_nobody_twice(stage, monkeypatch):
    made = campaign(stage)
    real = stage.c.mailer.send
    calls = []

    def dies_on_the_third(email):
        calls.append(email.to)
        if len(calls) == 3:
            raise Crash()  # claimed, then the process died before the e-mail left
        return real(email)

    monkeypatch.setattr(stage.c.mailer, "send", dies_on_the_third)
    with pytest.raises(Crash):
        run_send(stage.system, made.id, stage.c, budget_seconds=60)
    lost = calls[2]
    monkeypatch.setattr(stage.c.mailer, "send", real)
    assert run_send(stage.system, made.id, stage.c, budget_seconds=60) == "done"
    sent = [e.to for e in stage.c.mailer.sent]
    assert len(sent) == len(set(sent)) == 4  # every member but the one lost, once
    assert lost not in sent
    counts = campaigns.get(stage.ctx, made.id).counts
    assert (counts.recipients, counts.sent) == (5, 4)  # the lost one stays claimed


def test_a_job_out_of_time_sends_the_rest_on_and_resumes_where_it_stopped(stage):
    made = campaign(stage)
    ticks = iter(range(100))
    outcome = run_send(
        stage.system, made.id, stage.c, budget_seconds=2.5, clock=lambda: next(ticks)
    )
    assert outcome == "continued"
    assert stage.c.bus.take(CAMPAIGNS.name) == [
        {"tenant_id": stage.tenant.id, "campaign_id": made.id}
    ]
    assert campaigns.get(stage.ctx, made.id).cursor  # where it stopped
    assert run_send(stage.system, made.id, stage.c, budget_seconds=60) == "done"
    sent = [e.to for e in stage.c.mailer.sent]
    assert len(sent) == len(set(sent)) == 5


def test_a_refused_email_is_a_bounce_and_a_passing_failure_is_given_back(stage):
    made = campaign(stage)
    stage.c.mailer.refuse.add("bo@example.com")
    stage.c.mailer.fail_next = 1  # the first send: "try later"
    with pytest.raises(Exception, match="outage"):
        run_send(stage.system, made.id, stage.c, budget_seconds=60)
    assert campaigns.get(stage.ctx, made.id).counts.recipients == 0  # given back
    assert run_send(stage.system, made.id, stage.c, budget_seconds=60) == "done"
    counts = campaigns.get(stage.ctx, made.id).counts
    assert (counts.recipients, counts.sent, counts.bounced) == (5, 4, 1)


def test_a_campaign_sends_once(stage):
    made = campaign(stage)
    with pytest.raises(Exception) as again:
        campaigns.send(stage.ctx, made.id, bus=stage.c.bus)
    assert getattr(again.value, "code", "") == "campaign_not_draft"


def _token(stage: Stage, address: str) -> str:
    email = stage.c.mailer.to(address)[-1]
    return dict(email.headers)["List-Unsubscribe"].strip("<>").rsplit("/", 1)[1]


def test_the_unsubscribe_link_withdraws_consent_once_and_the_next_campaign_skips_them(stage):
    made = campaign(stage)
    run_send(stage.system, made.id, stage.c, budget_seconds=60)
    token = _token(stage, "ada@example.com")
    who = read_unsubscribe_token(stage.c.manage_token_secret.get(), token)
    assert who is not None and who.customer_id == customer_id_for("ada@example.com")
    for _ in range(2):  # a second click changes nothing
        ctx, opened = campaigns.open_unsubscribe(
            token,
            secret=stage.c.manage_token_secret,
            platform=stage.c.platform,
            data_factory=stage.c.tenant_data,
            now=stage.c.now,
            new_id=stage.c.new_id,
        )
        campaigns.unsubscribe(ctx, opened)
    ada = stage.data.customers.get(who.customer_id)
    assert ada is not None and ada.consent is not None
    assert (ada.consent.granted, ada.consent.source.value) == (False, "unsubscribe_link")
    assert ada.consent.at == stage.c.now()
    assert campaigns.get(stage.ctx, made.id).counts.unsubscribed == 1
    assert [e.name for e in stage.data.orders.events].count("CustomerUnsubscribed") == 1

    second = campaigns.create(
        stage.ctx, "cmp_2", name="Again", segment_id="seg_1", wordings=WORDING, follow_days=7
    )
    campaigns.send(stage.ctx, second.id, bus=stage.c.bus)
    stage.c.mailer.sent.clear()
    run_send(stage.system, second.id, stage.c, budget_seconds=60)
    assert sorted(e.to for e in stage.c.mailer.sent) == [
        f"{n}@example.com" for n in ("bo", "cy", "di", "ed")
    ]


def test_a_booking_within_the_window_is_credited_once_however_often_delivered(stage):
    made = campaign(stage, follow_days=7)
    run_send(stage.system, made.id, stage.c, budget_seconds=60)
    stage.drain()
    stage.shop.clock.advance(3 * 86400)
    ada = Customer(name="Ada Smith", email="ada@example.com")
    order = stage.book(customer=ada, start=datetime(2026, 12, 10, 10, 0))
    order_service.confirm(stage.ctx, order.id)
    messages = [m for m in stage.events_queue() if m["event"]["name"] == "OrderConfirmed"]
    for _ in range(3):
        stage.deliver(messages)
    assert campaigns.get(stage.ctx, made.id).counts.bookings == 1
    # Past the window: not credited.
    stage.shop.clock.advance(8 * 86400)
    late = stage.book(customer=ada, start=datetime(2026, 12, 20, 10, 0))
    order_service.confirm(stage.ctx, late.id)
    stage.drain()
    assert campaigns.get(stage.ctx, made.id).counts.bookings == 1


def test_a_merged_away_customer_is_not_walked(stage):
    loser = customer_id_for("ed@example.com")
    record = stage.data.customers.records[loser]
    stage.data.customers.records[loser] = replace(record, merged_into="cus_other")
    made = campaign(stage)
    run_send(stage.system, made.id, stage.c, budget_seconds=60)
    assert "ed@example.com" not in {e.to for e in stage.c.mailer.sent}


def test_a_campaign_whose_message_was_lost_is_sent_on_by_a_reader_once(stage):
    made = campaign(stage)  # its message is taken off the queue: lost
    assert campaigns.read(stage.ctx, made.id, bus=stage.c.bus).status.value == "sending"
    assert stage.c.bus.take(CAMPAIGNS.name) == []  # too soon to call it lost
    stage.shop.clock.advance(7 * 60)
    campaigns.read(stage.ctx, made.id, bus=stage.c.bus)
    campaigns.read(stage.ctx, made.id, bus=stage.c.bus)  # a second reader: nothing more
    again = stage.c.bus.take(CAMPAIGNS.name)
    assert again == [{"tenant_id": stage.tenant.id, "campaign_id": made.id}]
    assert run_send(stage.system, made.id, stage.c, budget_seconds=60) == "done"
    assert len(stage.c.mailer.sent) == 5


def test_a_booking_brought_over_by_an_import_is_not_credited_to_a_campaign(stage):
    from chalicelib.booking.domain.orders import Channel
    from chalicelib.booking.services.booking import HoldInput, hold_order
    from chalicelib.booking.services.line_planning import LineInput

    made = campaign(stage, follow_days=7)
    run_send(stage.system, made.id, stage.c, budget_seconds=60)
    stage.drain()
    ada = Customer(name="Ada Smith", email="ada@example.com")
    line = LineInput("off_cut", start=datetime(2026, 12, 10, 10, 0))
    held = hold_order(
        stage.ctx, stage.shop.cache, HoldInput(ada, [line], Channel.IMPORT), order_id="ord_imp"
    )
    order_service.confirm(stage.ctx, held.id)
    stage.drain()
    assert campaigns.get(stage.ctx, made.id).counts.bookings == 0


def test_a_refused_template_names_its_language_and_part_and_nothing_is_made(stage):
    """Two languages have two subjects: an outside tester's refusal named neither which one
    nor how a placeholder is written."""
    from chalicelib.kernel.domain.errors import InvalidInput

    segments.create(stage.ctx, "seg_1", "Regulars", REGULARS)
    wordings = {**WORDING, "zh-Hans": Wording("你好 {{ first_name", "正文")}
    with pytest.raises(InvalidInput) as refused:
        campaigns.create(
            stage.ctx, "cmp_1", name="Hi", segment_id="seg_1", wordings=wordings, follow_days=7
        )
    said = refused.value
    assert said.code == "template_refused"
    assert said.message.startswith("The Chinese subject is refused: unexpected end of template")
    assert said.message.endswith(". A placeholder is written {{ first_name }}.")
    assert (said.details["language"], said.details["part"]) == ("zh-Hans", "subject")
    with pytest.raises(Exception, match="No such campaign"):
        campaigns.get(stage.ctx, "cmp_1")
