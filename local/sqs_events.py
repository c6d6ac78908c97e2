"""The SQS side of the local worker loop: each `@app.on_sqs_message` registration and its queue,
the records Lambda hands a handler, and which messages a partial batch response says failed
(an identifier that is empty or not in the batch fails the whole batch, as on AWS).
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from chalice.app import SQSEventConfig

log = logging.getLogger("reservoir.local.worker")

SQS_MAX_BATCH = 10  # ReceiveMessage returns at most 10 messages


@dataclass
class QueueHandler:
    """One `@app.on_sqs_message` registration and its queue."""

    name: str
    queue_name: str
    batch_size: int
    handler: Callable[[dict[str, Any], Any], Any]
    queue_url: str | None = None
    queue_arn: str | None = None
    visibility_timeout: int = 30


def queue_name(config: SQSEventConfig) -> str:
    if config.queue:
        return config.queue
    assert config.queue_arn, "chalice requires queue or queue_arn"
    return config.queue_arn.rsplit(":", 1)[-1]


def _lambda_message_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    """ReceiveMessage's MessageAttributes -> the camel-cased shape of Lambda's SQS records."""
    converted = {}
    for name, value in attributes.items():
        entry: dict[str, Any] = {
            "dataType": value["DataType"],
            "stringListValues": [],
            "binaryListValues": [],
        }
        if "StringValue" in value:
            entry["stringValue"] = value["StringValue"]
        if "BinaryValue" in value:
            entry["binaryValue"] = base64.b64encode(value["BinaryValue"]).decode("ascii")
        converted[name] = entry
    return converted


def sqs_record(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    """One message from ReceiveMessage as a record of Lambda's SQS event."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": dict(message.get("Attributes", {})),
        "messageAttributes": _lambda_message_attributes(message.get("MessageAttributes", {})),
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


def failed_message_ids(response: Any, batch_ids: Iterable[str]) -> set[str]:
    """Which messages of a batch failed, read from a handler's return value like Lambda does."""
    batch = set(batch_ids)
    if not isinstance(response, dict) or not response.get("batchItemFailures"):
        return set()
    failed = set()
    for failure in response["batchItemFailures"]:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if not identifier or identifier not in batch:
            log.warning("batchItemFailures names %r, not in the batch: the batch fails", identifier)
            return batch
        failed.add(identifier)
    return failed
