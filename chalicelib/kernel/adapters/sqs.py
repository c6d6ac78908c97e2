"""SQS as the message bus."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.domain.errors import TransientFailure
from chalicelib.kernel.services.messaging_ports import MessageBus


class SqsMessageBus(MessageBus):
    def __init__(self, client: Any) -> None:
        self._client = client
        self._urls: dict[str, str] = {}

    def send(self, queue_name: str, body: dict[str, Any], *, delay_seconds: int = 0) -> None:
        try:
            self._client.send_message(
                QueueUrl=self._url(queue_name),
                MessageBody=json.dumps(body, separators=(",", ":"), sort_keys=True),
                DelaySeconds=delay_seconds,
            )
        except ClientError as exc:
            raise TransientFailure(
                "The message queue is unavailable; try again shortly.",
                aws_code=exc.response["Error"]["Code"],
            ) from exc

    def _url(self, queue_name: str) -> str:
        if queue_name not in self._urls:
            self._urls[queue_name] = self._client.get_queue_url(QueueName=queue_name)["QueueUrl"]
        return self._urls[queue_name]
