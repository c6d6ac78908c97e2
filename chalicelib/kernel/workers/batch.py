"""One SQS record at a time, with Powertools' batch processor (partial batch responses)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from chalicelib.observability import logger


@lru_cache(maxsize=1)
def _processor() -> Any:
    # Imported on first use: Powertools' batch utilities cost ~30 ms of cold start, which
    # HTTP-only containers should not pay.
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType

    return BatchProcessor(event_type=EventType.SQS)


def process_sqs_batch(event: Any, record_handler: Callable[[Any], None]) -> dict[str, Any]:
    """Run `record_handler` on each record; answer {"batchItemFailures": [...]} for the
    failed ones so only they are retried (and, after maxReceiveCount, dead-lettered)."""
    from aws_lambda_powertools.utilities.batch import process_partial_response

    def one_record(record: Any) -> None:
        # Log keys are per record: a tenant one record appended must not label the next.
        logger.clear_state()
        logger.append_keys(message_id=record.message_id)
        try:
            record_handler(record)
        finally:
            logger.clear_state()

    return dict(
        process_partial_response(
            event=event.to_dict(), record_handler=one_record, processor=_processor()
        )
    )
