"""local/moto_server.py: the local stack's moto server reads a message's retention off its
queue instead of counting every message of the queue for it (quadratic receives); the answer is
moto's own for fresh, old and custom-retention queues."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws
from moto.backends import get_backend
from moto.core.utils import unix_time

from local.moto_server import valid_by_retention

ACCOUNT, REGION = "123456789012", "us-east-1"


@pytest.mark.parametrize("retention", [None, "60", "1209600"])
@pytest.mark.parametrize("age_seconds", [0, 59, 61, 345_599, 345_601, 1_209_601])
def test_the_retention_is_judged_as_moto_judges_it(retention, age_seconds):
    with mock_aws():
        sqs = boto3.client("sqs", region_name=REGION)
        attributes = {"MessageRetentionPeriod": retention} if retention else {}
        url = sqs.create_queue(QueueName="q", Attributes=attributes)["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="x")
        backend = get_backend("sqs")[ACCOUNT][REGION]
        [message] = backend.get_queue("q")._messages
        message.sent_timestamp = int((unix_time() - age_seconds) * 1000)
        moto_says = backend.is_message_valid_based_on_retention_period("q", message)
        assert valid_by_retention(backend, "q", message) is moto_says
