"""The wiring of a tenant table's change stream to the event relay on AWS: one Lambda event
source mapping per tenant table, made by the provisioning worker (docs/SCALING.md says why a
stream per table rather than one Kinesis stream for every table).

The mapping takes only the new images of event items (`EVENT_FILTER`, in
kernel/adapters/event_items.py: nothing else invokes the relay or is billed), keeps each shard's
order (one batch at a time per shard), retries a failed batch from the record the relay reports
(`ReportBatchItemFailures`), halves a batch that keeps failing to find a poison record
(`BisectBatchOnFunctionError`), and once a record is `MAX_RECORD_AGE_SECONDS` old sends what still
fails to the relay's dead-letter queue instead of blocking the shard. It starts at the oldest
record, so an event written before the mapping existed (a tenant's first booking racing its
provisioning) is relayed too.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.event_items import EVENT_FILTER

BATCH_SIZE = 100
# The relay fails only when SQS does (a record it cannot read it skips): keep retrying a failed
# batch for hours, then give up on it to the failure queue (whose depth raises an alarm, as
# does the relay's iterator age long before).
MAX_RECORD_AGE_SECONDS = 6 * 3600


class LambdaEventSources:
    def __init__(self, client: Any, *, function_name: str, on_failure_arn: str) -> None:
        self._client = client
        self._function = function_name
        self._on_failure = on_failure_arn

    def ensure(self, stream_arn: str) -> None:
        """Map the stream to the relay, once: a repeated call (a retried provisioning
        message) finds the mapping and changes nothing."""
        try:
            existing = self._client.list_event_source_mappings(
                EventSourceArn=stream_arn, FunctionName=self._function
            )["EventSourceMappings"]
        except ClientError as exc:
            reraise(exc)
        if existing:
            return
        try:
            self._client.create_event_source_mapping(**self.mapping(stream_arn))
        except ClientError as exc:
            # Two deliveries of the same message raced: the other one made it.
            if exc.response["Error"]["Code"] != "ResourceConflictException":
                reraise(exc)

    def mapping(self, stream_arn: str) -> dict[str, Any]:
        return {
            "EventSourceArn": stream_arn,
            "FunctionName": self._function,
            "Enabled": True,
            "StartingPosition": "TRIM_HORIZON",
            "BatchSize": BATCH_SIZE,
            "MaximumBatchingWindowInSeconds": 0,
            "ParallelizationFactor": 1,
            "BisectBatchOnFunctionError": True,
            "MaximumRetryAttempts": -1,
            "MaximumRecordAgeInSeconds": MAX_RECORD_AGE_SECONDS,
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "FilterCriteria": {"Filters": [{"Pattern": json.dumps(EVENT_FILTER)}]},
            "DestinationConfig": {"OnFailure": {"Destination": self._on_failure}},
        }
