"""moto's server for the local stack (`MotoServer` in local/emulators.py runs this file), with
two fixes to moto 5.2.5: its SQS, and its S3 keys' restore state.

`receive_message` checks each message's retention through `get_queue_attributes`, which counts
every message of the queue to answer, so one receive from a queue of n messages costs n^2 (a
py-spy dump of a soak's moto server showed it there: 2,300 messages, seconds a receive), and a
backlog on the local stack feeds itself: the workers receive ever more slowly the more is
waiting. The retention is read off the queue instead, which is what that attribute is. The same
answer for every message (tests/unit/test_local_moto_server.py).

An S3 key's restore status (`s3::keyrestore`: none, in progress, restored) advances each time
it is read, and on reaching "restored" looks up the key's bucket; a multipart upload's parts
are keys of no bucket, so once a report export had uploaded in parts, reading moto's state
(`/moto-api/data.json`, which local/mailbox.py reads for the e-mails sent) walked each part
to "restored" and failed with NoSuchBucket: a 500, and no mailbox. Nothing here restores
objects from an archive, so the status is made never to advance on reading.

That state is read while the server keeps serving the workers on other threads, and moto walks
live dicts (an SQS queue's messages, SES's sent mail) with no lock: a change in the middle raises
RuntimeError ("dictionary changed size during iteration") and the read answers 500 (seen once
in an e2e test's wait for an e-mail on a loaded machine). The read is made again, up to five
times: a snapshot taken while nothing changed is as good as any.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from moto.core.utils import unix_time
from moto.moto_api import state_manager
from moto.moto_api._internal.responses import MotoAPIResponse
from moto.server import main
from moto.sqs.models import Message, SQSBackend


def valid_by_retention(self: SQSBackend, queue_name: str, message: Message) -> bool:
    """Whether `message` is still within its queue's retention period (moto's rule)."""
    queue = self.get_queue(queue_name)
    retention = int(getattr(queue, "message_retention_period"))  # noqa: B009 - set by name
    return retention + float(message.sent_timestamp or 0) / 1000 > unix_time()


NEVER = {"progression": "manual", "times": 2**62}  # reads before a status advances


READS = 5  # attempts at a snapshot of moto's state


def read_again_on_change(read: Callable[..., Any]) -> Callable[..., Any]:
    """`read` (moto's `/moto-api/data.json`), made again when another thread changed a model
    while it was walked."""

    def model_data(self: MotoAPIResponse, *args: Any) -> Any:
        for attempt in range(1, READS + 1):
            try:
                return read(self, *args)
            except RuntimeError:
                if attempt == READS:
                    raise
                time.sleep(0.02 * attempt)
        raise AssertionError("unreachable")

    model_data.__wrapped__ = read  # type: ignore[attr-defined]
    return model_data


def patch() -> None:
    SQSBackend.is_message_valid_based_on_retention_period = valid_by_retention  # type: ignore[method-assign]
    if not hasattr(MotoAPIResponse.model_data, "__wrapped__"):
        MotoAPIResponse.model_data = read_again_on_change(MotoAPIResponse.model_data)  # type: ignore[method-assign]
    state_manager.set_transition("s3::keyrestore", NEVER)


if __name__ == "__main__":
    patch()
    main()
    sys.exit(0)
