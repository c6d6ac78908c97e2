"""SES bounce and complaint notifications (customers/services/mail_feedback.py) in their real
shape (tests/fixtures/ses/), on the fakes: a permanent bounce of a campaign's e-mail settles
that customer's claim as bounced and counts it once however often it is delivered, marks the
customer's e-mail so the next campaign skips it; a complaint withdraws consent (source
`complaint`); a transient bounce changes nothing; a notification of an unknown tenant or
campaign is dropped; a body that is not a notification is refused as malformed."""

from __future__ import annotations

import json

import pytest

from chalicelib.customers.domain.mail_feedback import FeedbackKind, read_feedback
from chalicelib.customers.domain.records import Profile
from chalicelib.customers.services import campaigns
from chalicelib.customers.services.campaign_send import run_send
from chalicelib.customers.services.mail_feedback import FeedbackDeps, handle_feedback
from chalicelib.customers.services.records import bumped
from chalicelib.kernel.domain.customer_ids import customer_id_for
from chalicelib.kernel.domain.errors import InvalidInput
from tests.ses_feedback import event, feedback_body
from tests.unit.test_campaign_send import WORDING, campaign
from tests.unit.test_campaign_send import stage as stage  # noqa: F401  (the fixture)

ADA = "ada@example.com"


def deps(stage) -> FeedbackDeps:
    c = stage.c
    return FeedbackDeps(platform=c.platform, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)


def sent_campaign(stage, cid="cmp_1"):
    made = campaign(stage, cid) if cid == "cmp_1" else _second(stage, cid)
    assert run_send(stage.system, made.id, stage.c, budget_seconds=60) == "done"
    return made


def _second(stage, cid):
    made = campaigns.create(
        stage.ctx, cid, name="Again", segment_id="seg_1", wordings=WORDING, follow_days=7
    )
    campaigns.send(stage.ctx, made.id, bus=stage.c.bus)
    return made


def bounce_of(stage, made, to=ADA, **kw):
    return read_feedback(
        feedback_body(
            to=to,
            tenant=stage.tenant.id,
            campaign=made.id,
            customer=customer_id_for(to),
            **kw,
        )
    )


def test_the_documented_bounce_is_read_with_its_tags_and_recipient():
    body = feedback_body(to="x@example.com", tenant="ten_1", campaign="cmp_9", customer="cus_1")
    f = read_feedback(body)
    assert (f.kind, f.permanent, f.recipients) == (FeedbackKind.BOUNCE, True, ("x@example.com",))
    assert (f.tenant_id, f.campaign_id, f.customer_id) == ("ten_1", "cmp_9", "cus_1")
    assert (f.message_id, f.notification_id) == ("ses-msg-1", "sns-1")
    assert f.tag("ses:configuration-set") == "reservoir-prod"
    complaint = read_feedback(feedback_body("complaint_event", to="x@example.com"))
    assert (complaint.kind, complaint.permanent) == (FeedbackKind.COMPLAINT, False)
    # An identity's own notification (`notificationType`) is read too; it carries no tags.
    legacy = read_feedback(feedback_body("bounce_notification", to="x@example.com"))
    assert (legacy.kind, legacy.permanent, legacy.tenant_id) == (FeedbackKind.BOUNCE, True, "")


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps(["a list"]),
        json.dumps({"Type": "Notification", "MessageId": "m"}),  # no Message
        json.dumps({"MessageId": "m", "Message": "not json"}),
        json.dumps({"MessageId": "m", "Message": json.dumps({"eventType": "Bounce"})}),
        json.dumps(
            {
                "MessageId": "m",
                "Message": json.dumps(
                    {**event("bounce_event"), "bounce": {"bounceType": "Permanent"}}
                ),
            }
        ),
    ],
)
def test_a_body_that_is_no_ses_notification_is_malformed(body):
    with pytest.raises(InvalidInput) as refused:
        read_feedback(body)
    assert refused.value.code == "malformed_feedback"


def test_a_permanent_bounce_counts_once_marks_the_email_and_the_next_campaign_skips_it(stage):
    made = sent_campaign(stage)
    assert campaigns.get(stage.ctx, made.id).counts.sent == 5
    for n in range(3):  # SNS and SQS deliver at least once: the same notification thrice
        outcome = handle_feedback(bounce_of(stage, made, notification_id=f"sns-{n}"), deps(stage))
        assert outcome == "applied"
    counts = campaigns.get(stage.ctx, made.id).counts
    assert (counts.recipients, counts.sent, counts.bounced) == (5, 4, 1)
    ada_id = customer_id_for(ADA)
    claim = next(c for c in stage.data.campaigns.claims_of(ada_id) if c.campaign_id == made.id)
    assert claim.state == "bounced"
    ada = stage.data.customers.records[ada_id]
    assert ada.email_bouncing and ada.email_bounce.email == ADA
    assert ada.email_bounce.message_id == "ses-msg-1"
    versions = ada.version
    handle_feedback(bounce_of(stage, made, notification_id="sns-9"), deps(stage))
    assert stage.data.customers.records[ada_id].version == versions  # changed once
    stage.c.mailer.sent.clear()
    second = sent_campaign(stage, "cmp_2")
    sent = sorted(e.to for e in stage.c.mailer.sent)
    assert ADA not in sent and len(sent) == 4
    assert campaigns.get(stage.ctx, second.id).counts.recipients == 4


def test_a_new_email_from_staff_ends_the_bounce(stage):
    made = sent_campaign(stage)
    handle_feedback(bounce_of(stage, made), deps(stage))
    ada_id = customer_id_for(ADA)
    before = stage.data.customers.records[ada_id]
    moved = bumped(
        before, "2026-02-01T00:00Z", profile=Profile(name="Ada", email="ada@new.example")
    )
    assert before.email_bouncing and not moved.email_bouncing


def test_a_transient_bounce_changes_nothing(stage):
    made = sent_campaign(stage)
    f = bounce_of(stage, made, bounce_type="Transient")
    assert handle_feedback(f, deps(stage)) == "passed"
    assert campaigns.get(stage.ctx, made.id).counts.bounced == 0
    assert not stage.data.customers.records[customer_id_for(ADA)].email_bouncing


def test_a_complaint_withdraws_consent_with_its_source_and_time(stage):
    made = sent_campaign(stage)
    body = feedback_body(
        "complaint_event",
        to=ADA,
        tenant=stage.tenant.id,
        campaign=made.id,
        customer=customer_id_for(ADA),
    )
    for _ in range(2):
        assert handle_feedback(read_feedback(body), deps(stage)) == "applied"
    ada = stage.data.customers.records[customer_id_for(ADA)]
    assert ada.consent is not None and not ada.consent.granted
    assert ada.consent.source.value == "complaint" and ada.consent.at == stage.c.now()
    assert campaigns.get(stage.ctx, made.id).counts.bounced == 0  # a complaint is no bounce
    stage.c.mailer.sent.clear()
    sent_campaign(stage, "cmp_2")
    assert ADA not in [e.to for e in stage.c.mailer.sent]


def test_a_bounce_of_another_email_marks_the_customer_its_address_names(stage):
    # A confirmation or reminder names the tenant only: the recipient names the customer.
    f = read_feedback(feedback_body(to="Bo@Example.com", tenant=stage.tenant.id))
    assert handle_feedback(f, deps(stage)) == "applied"
    assert stage.data.customers.records[customer_id_for("bo@example.com")].email_bouncing


def test_notifications_of_an_unknown_tenant_or_campaign_are_dropped(stage):
    made = sent_campaign(stage)
    before = dict(stage.data.customers.records)
    unknown = read_feedback(feedback_body(to=ADA, tenant="ten_gone", campaign=made.id))
    assert handle_feedback(unknown, deps(stage)) == "unknown_tenant"
    untagged = read_feedback(feedback_body("bounce_notification", to=ADA))
    assert handle_feedback(untagged, deps(stage)) == "unknown_tenant"
    other = read_feedback(feedback_body(to=ADA, tenant=stage.tenant.id, campaign="cmp_none"))
    assert handle_feedback(other, deps(stage)) == "unknown_campaign"
    assert stage.data.customers.records == before
    assert campaigns.get(stage.ctx, made.id).counts.bounced == 0
