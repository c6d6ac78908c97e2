"""Segments and campaigns over DynamoDB Local, through the real adapters and the unit of work's
writer: customers are walked through the sharded keys-only listing (gsi6 `CUSALL#<n>`, no
Scan); a campaign retried after a crash half-way e-mails nobody twice (the claim is a
conditional put made before the e-mail); the unsubscribe link withdraws consent and a second
campaign skips them; a booking within the window is credited once however often its event is
handled. The e-mails go to a recording mailer (tests/fakes.py), not to moto's SES."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from chalicelib import bootstrap
from chalicelib.customers.domain.campaigns import Wording
from chalicelib.customers.domain.figures import CustomerFigures
from chalicelib.customers.domain.mail_feedback import read_feedback
from chalicelib.customers.domain.records import Consent, ConsentSource, CustomerRecord, Profile
from chalicelib.customers.domain.segments import Op, Rule, RuleKind
from chalicelib.customers.services import campaigns, records, segments
from chalicelib.customers.services.campaign_bookings import CreditCampaigns
from chalicelib.customers.services.campaign_send import run_send
from chalicelib.customers.services.mail_feedback import FeedbackDeps, handle_feedback
from chalicelib.kernel.domain.customer_ids import customer_id_for
from chalicelib.kernel.domain.events import OrderConfirmed
from chalicelib.kernel.services.context import system_context
from chalicelib.settings import Settings
from tests.fakes import FakeBus, FakeMailer
from tests.integration.test_takings_live import confirmed_order
from tests.ses_feedback import feedback_body

NAMES = [f"Guest{n:02d}" for n in range(12)]
WORDING = {"en": Wording("Hello {{ first_name }}", "Come back to {{ business }}.")}


class Crash(Exception):
    pass


@dataclass
class Deps:
    settings: Settings
    manage_token_secret: object
    mailer: FakeMailer = field(default_factory=FakeMailer)
    bus: FakeBus = field(default_factory=FakeBus)


@pytest.fixture
def world(live):
    tenant = live.signup("campaigns")
    live.provision(tenant["tenant_id"])
    c = bootstrap.container()
    t = c.platform.get_tenant(tenant["tenant_id"])
    ctx = system_context(t, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    for i, name in enumerate([*NAMES, "Ada"]):
        email = f"{name.lower()}@example.com"
        record = CustomerRecord(
            id=customer_id_for(email),
            profile=Profile(name=name, email=email),
            created_at=ctx.now(),
            updated_at=ctx.now(),
            figures=CustomerFigures(visits=2 + i % 3, last_visit="2026-01-01T10:00Z"),
            consent=Consent(granted=i % 4 != 3, source=ConsentSource.IMPORT, at=ctx.now()),
        )
        records.put(ctx, record, before=None)
    deps = Deps(settings=c.settings, manage_token_secret=c.manage_token_secret)
    return live, tenant, ctx, deps


def _campaign(ctx, deps, campaign_id, segment_id="seg_live"):
    if ctx.data.campaigns.segment(segment_id) is None:
        segments.create(
            ctx, segment_id, "Twice or more", [Rule(RuleKind.VISITS, op=Op.GE, number=2)]
        )
    made = campaigns.create(
        ctx, campaign_id, name="Back", segment_id=segment_id, wordings=WORDING, follow_days=7
    )
    campaigns.send(ctx, made.id, bus=deps.bus)
    return made


def test_every_customer_is_walked_through_the_listing_and_counted(world):
    _, _, ctx, _ = world
    segment = segments.create(ctx, "seg_all", "All", [Rule(RuleKind.VISITS, op=Op.GE, number=0)])
    count = segments.count(ctx, segment)
    assert (count.matched, count.read, count.complete) == (13, 13, True)
    assert len(segments.count(ctx, segment, budget=5).preview) == 5
    assert not segments.count(ctx, segment, budget=5).complete


def test_a_campaign_retried_after_a_crash_half_way_emails_nobody_twice(world, monkeypatch):
    _, _, ctx, deps = world
    made = _campaign(ctx, deps, "cmp_crash")
    real = deps.mailer.send
    tries: list[str] = []

    def dies_on_the_fifth(email):
        tries.append(email.to)
        if len(tries) == 5:
            raise Crash()
        return real(email)

    monkeypatch.setattr(deps.mailer, "send", dies_on_the_fifth)
    with pytest.raises(Crash):
        run_send(ctx, made.id, deps, budget_seconds=60)
    monkeypatch.setattr(deps.mailer, "send", real)
    assert run_send(ctx, made.id, deps, budget_seconds=60) == "done"
    assert run_send(ctx, made.id, deps, budget_seconds=60) == "done"  # delivered again
    sent = [e.to for e in deps.mailer.sent]
    consenting = 13 - 3  # every fourth customer did not agree
    assert len(sent) == len(set(sent)) == consenting - 1
    assert tries[4] not in sent
    counts = campaigns.get(ctx, made.id).counts
    assert (counts.recipients, counts.sent) == (consenting, consenting - 1)


def test_the_unsubscribe_link_withdraws_consent_and_a_second_campaign_skips_them(world):
    live, _, ctx, deps = world
    first = _campaign(ctx, deps, "cmp_one")
    run_send(ctx, first.id, deps, budget_seconds=60)
    url = dict(deps.mailer.to("ada@example.com")[0].headers)["List-Unsubscribe"].strip("<>")
    path = url[url.index("/v1/unsubscribe/") :]
    for _ in range(2):
        r = live.client.http.post(
            path,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            body="List-Unsubscribe=One-Click",
        )
        assert r.status_code == 200, r.body
    ada = ctx.data.customers.get(customer_id_for("ada@example.com"))
    assert ada is not None and ada.consent is not None
    assert (ada.consent.granted, ada.consent.source.value) == (False, "unsubscribe_link")
    assert campaigns.get(ctx, first.id).counts.unsubscribed == 1
    deps.mailer.sent.clear()
    second = _campaign(ctx, deps, "cmp_two")
    run_send(ctx, second.id, deps, budget_seconds=60)
    assert "ada@example.com" not in {e.to for e in deps.mailer.sent}
    assert len(deps.mailer.sent) == 9


def test_a_booking_within_the_window_is_counted_once(world):
    live, tenant, ctx, deps = world
    made = _campaign(ctx, deps, "cmp_book")
    run_send(ctx, made.id, deps, budget_seconds=60)
    order = confirmed_order(live, tenant)  # Ada books after the e-mail
    event = OrderConfirmed(
        id="evt_live_confirmed",
        at=ctx.now(),
        order_id=order["id"],
        status="confirmed",
        version=2,
        start=order["lines"][0]["start"],
        actor="secret_key:x",
        previous_status="held",
    )
    for _ in range(3):  # delivered three times
        CreditCampaigns().handle(ctx, event, deps)
    assert campaigns.get(ctx, made.id).counts.bookings == 1


def test_an_ses_bounce_settles_the_claim_once_and_the_next_campaign_skips_the_address(world):
    # SES's notification in its documented shape (tests/fixtures/ses/), through the real
    # adapters: the claim's conditional update, the campaign's counts, the record's mark.
    _, tenant, ctx, deps = world
    made = _campaign(ctx, deps, "cmp_bounce")
    run_send(ctx, made.id, deps, budget_seconds=60)
    c = bootstrap.container()
    feedback_deps = FeedbackDeps(
        platform=c.platform, data_factory=c.tenant_data, now=c.now, new_id=c.new_id
    )
    ada = customer_id_for("ada@example.com")
    for n in range(3):
        body = feedback_body(
            to="ada@example.com",
            tenant=tenant["tenant_id"],
            campaign=made.id,
            customer=ada,
            notification_id=f"sns-{n}",
        )
        assert handle_feedback(read_feedback(body), feedback_deps) == "applied"
    counts = campaigns.get(ctx, made.id).counts
    assert (counts.recipients, counts.sent, counts.bounced) == (10, 9, 1)
    claims = ctx.data.campaigns.claims_of(ada)
    assert [cl.state for cl in claims if cl.campaign_id == made.id] == ["bounced"]
    record = ctx.data.customers.get(ada)
    assert record is not None and record.email_bouncing
    deps.mailer.sent.clear()
    second = _campaign(ctx, deps, "cmp_after_bounce")
    run_send(ctx, second.id, deps, budget_seconds=60)
    assert "ada@example.com" not in {e.to for e in deps.mailer.sent}
    assert len(deps.mailer.sent) == 9


def test_only_a_draft_is_deleted_on_dynamodb_local(world):
    _, _, ctx, deps = world
    sent = _campaign(ctx, deps, "cmp_kept")  # sending
    draft = campaigns.create(
        ctx, "cmp_draft", name="Draft", segment_id="seg_live", wordings=WORDING, follow_days=7
    )
    assert ctx.data.campaigns.delete_draft(sent.id) is False
    assert ctx.data.campaigns.campaign(sent.id) is not None
    assert ctx.data.campaigns.delete_draft(draft.id) is True
    assert ctx.data.campaigns.campaign(draft.id) is None
    assert [c.id for c in ctx.data.campaigns.campaigns()] == [sent.id]  # gone from the list
