"""SQS as the message bus.

`send_batch` sends SendMessageBatch requests of at most 10 messages and 256 KiB each (the
queue's limits), and reports the messages SQS did not take, entry by entry or a whole request
that failed, so the caller retries only those."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.domain.errors import TransientFailure
from chalicelib.kernel.services.messaging_ports import SEND_BATCH_LIMIT, MessageBus

BATCH_MESSAGES = SEND_BATCH_LIMIT
BATCH_BYTES = 256 * 1024


def _encode(body: dict[str, Any]) -> str:
    return json.dumps(body, separators=(",", ":"), sort_keys=True)


def batches(encoded: list[str]) -> list[list[int]]:
    """Positions grouped into requests: at most 10 messages and 256 KiB a request."""
    groups: list[list[int]] = []
    size = 0
    for position, text in enumerate(encoded):
        length = len(text.encode())
        if not groups or len(groups[-1]) == BATCH_MESSAGES or size + length > BATCH_BYTES:
            groups.append([])
            size = 0
        groups[-1].append(position)
        size += length
    return groups


class SqsMessageBus(MessageBus):
    def __init__(self, client: Any) -> None:
        self._client = client
        self._urls: dict[str, str] = {}

    def send(self, queue_name: str, body: dict[str, Any], *, delay_seconds: int = 0) -> None:
        try:
            self._client.send_message(
                QueueUrl=self._url(queue_name),
                MessageBody=_encode(body),
                DelaySeconds=delay_seconds,
            )
        except ClientError as exc:
            raise TransientFailure(
                "The message queue is unavailable; try again shortly.",
                aws_code=exc.response["Error"]["Code"],
            ) from exc

    def send_batch(self, queue_name: str, bodies: list[dict[str, Any]]) -> list[int]:
        encoded = [_encode(body) for body in bodies]
        failed: list[int] = []
        for group in batches(encoded):
            entries = [{"Id": str(p), "MessageBody": encoded[p]} for p in group]
            try:
                answer = self._client.send_message_batch(
                    QueueUrl=self._url(queue_name), Entries=entries
                )
            except ClientError:
                failed += group
                continue
            failed += [int(entry["Id"]) for entry in answer.get("Failed", [])]
        return sorted(failed)

    def _url(self, queue_name: str) -> str:
        if queue_name not in self._urls:
            self._urls[queue_name] = self._client.get_queue_url(QueueName=queue_name)["QueueUrl"]
        return self._urls[queue_name]
