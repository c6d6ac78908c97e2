"""The mail service's bounces and complaints: an SES configuration set that every send names
(`mail_configuration_set`), whose event destination is an SNS topic, and the feedback queue
(`chalicelib.queues.MAIL_FEEDBACK`, with its dead-letter queue: queues.py) subscribed to it.
The worker `ReadMailFeedback` consumes the queue (chalicelib/customers/workers/
mail_feedback.py).

The subscription keeps SNS's envelope (not raw delivery): the worker reads the SES event from
its `Message`, and the envelope's MessageId names the delivery. The topic is not encrypted
with a customer key: SES would need that key's use granted to publish, and what it carries is
an address and ids, as the queue keeps them (SQS-managed encryption)."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_iam as iam
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct


@dataclass(frozen=True)
class MailFeedback:
    configuration_set_name: str
    topic: sns.Topic


def build_mail_feedback(scope: Construct, *, stage: str, queue: sqs.IQueue) -> MailFeedback:
    name = f"reservoir-{stage}"
    configuration_set = ses.ConfigurationSet(
        scope, "MailConfigurationSet", configuration_set_name=name
    )
    topic = sns.Topic(scope, "MailFeedbackTopic", display_name="Reservoir mail feedback")
    configuration_set.add_event_destination(
        "MailFeedbackDestination",
        destination=ses.EventDestination.sns_topic(topic),
        events=[ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    )
    # SES publishes as its service, for this account's configuration set only.
    topic.add_to_resource_policy(
        iam.PolicyStatement(
            actions=["sns:Publish"],
            principals=[iam.ServicePrincipal("ses.amazonaws.com")],
            resources=[topic.topic_arn],
            conditions={"StringEquals": {"AWS:SourceAccount": topic.stack.account}},
        )
    )
    topic.add_subscription(subscriptions.SqsSubscription(queue, raw_message_delivery=False))
    return MailFeedback(name, topic)
