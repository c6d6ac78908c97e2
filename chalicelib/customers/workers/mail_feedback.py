"""The mail service's bounce and complaint notifications (SES -> SNS -> the feedback queue),
one function per record: customers/services/mail_feedback.py applies each.

A record that is not an SNS notification of an SES event can never be read: it goes to the
dead-letter queue at once (sent there, then taken off this queue), so it neither blocks the
records beside it nor goes round five times first. One that fails otherwise (the table
throttled) fails alone (a partial batch response) and is retried.
"""

from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.customers.domain.mail_feedback import read_feedback
from chalicelib.customers.services.mail_feedback import FeedbackDeps, handle_feedback
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.observability import logger, metrics
from chalicelib.queues import MAIL_FEEDBACK

bp = Blueprint(__name__)


def handle_record(record: Any) -> None:
    c = bootstrap.container()
    try:
        feedback = read_feedback(record.body)
    except InvalidInput as exc:
        logger.error("unreadable mail feedback: dead-lettered", extra={"why": exc.message})
        c.bus.send(MAIL_FEEDBACK.dlq_name, _as_sent(record.body))
        metrics.add_metric(name="MailFeedbackUnreadable", unit="Count", value=1)
        return
    deps = FeedbackDeps(platform=c.platform, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    outcome = handle_feedback(feedback, deps)
    logger.info(
        "mail feedback",
        extra={
            "outcome": outcome,
            "kind": feedback.kind.value,
            "ses_message_id": feedback.message_id,
            "tenant_id": feedback.tenant_id,
            "campaign_id": feedback.campaign_id,
        },
    )
    if outcome.startswith("unknown"):
        metrics.add_metric(name="MailFeedbackDropped", unit="Count", value=1)


def _as_sent(body: str) -> dict[str, Any]:
    """The body as it came (a redrive puts it back as it was), when it is a JSON object."""
    try:
        doc = json.loads(body)
    except ValueError:
        doc = None
    return doc if isinstance(doc, dict) else {"unreadable": body}


@bp.on_sqs_message(queue=MAIL_FEEDBACK.name, batch_size=MAIL_FEEDBACK.batch_size)
def read_mail_feedback(event: Any) -> dict[str, Any]:
    result = process_sqs_batch(event, handle_record)
    metrics.flush_metrics()
    return result
