"""The SQS queues and their dead-letter queues, one pair per `chalicelib.queues.ALL_QUEUES` entry.

Queue names are physical names, not CloudFormation-generated ones: the Chalice handlers subscribe
by name (`on_sqs_message(queue=spec.name)`) and the message bus looks queues up by name.

Every queue is kept when CloudFormation would delete it (`RemovalPolicy.RETAIN`), as the tables,
the buckets, the secrets and the user pool are (data.py, identity.py): a queue carries work not
yet done (a customers import's rows on the bulk queue, whose file is then refused as already
imported; a dead letter waiting to be redriven), and an automatic rollback of a failed upgrade
or a stack deleted by mistake would drop it. A retained queue keeps its name: a stack made again
under the same names needs it adopted or deleted by hand first (docs/DEPLOY.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from chalicelib.queues import ALL_QUEUES, RELAY_FAILURES, QueueSpec

# A dead letter waits the longest SQS allows, for someone to look at it and redrive it.
DLQ_RETENTION = Duration.days(14)


@dataclass(frozen=True)
class QueuePair:
    spec: QueueSpec
    queue: sqs.Queue
    dlq: sqs.Queue


def _construct_id(spec: QueueSpec) -> str:
    return "".join(part.capitalize() for part in spec.name.replace("_", "-").split("-"))


def build_queues(scope: Construct, specs: tuple[QueueSpec, ...] = ALL_QUEUES) -> list[QueuePair]:
    pairs = []
    for spec in specs:
        base = _construct_id(spec)
        dlq = sqs.Queue(
            scope,
            f"{base}Dlq",
            queue_name=spec.dlq_name,
            retention_period=DLQ_RETENTION,
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        queue = sqs.Queue(
            scope,
            base,
            queue_name=spec.name,
            visibility_timeout=Duration.seconds(spec.visibility_timeout),
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=dlq, max_receive_count=spec.max_receive_count
            ),
            removal_policy=RemovalPolicy.RETAIN,
        )
        pairs.append(QueuePair(spec, queue, dlq))
    return pairs


def build_relay_failures(scope: Construct) -> sqs.Queue:
    """The on-failure destination of the relay's event source mappings: what Lambda gives up on
    after the mapping's retries (a record's position in its stream, not the record; the event
    item stays in the table for 90 days to relay again). No consumer: a person looks."""
    return sqs.Queue(
        scope,
        "RelayFailures",
        queue_name=RELAY_FAILURES,
        retention_period=DLQ_RETENTION,
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
        removal_policy=RemovalPolicy.RETAIN,
    )
