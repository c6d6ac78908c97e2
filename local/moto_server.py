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
"""

from __future__ import annotations

import sys

from moto.core.utils import unix_time
from moto.moto_api import state_manager
from moto.server import main
from moto.sqs.models import Message, SQSBackend


def valid_by_retention(self: SQSBackend, queue_name: str, message: Message) -> bool:
    """Whether `message` is still within its queue's retention period (moto's rule)."""
    queue = self.get_queue(queue_name)
    retention = int(getattr(queue, "message_retention_period"))  # noqa: B009 - set by name
    return retention + float(message.sent_timestamp or 0) / 1000 > unix_time()


NEVER = {"progression": "manual", "times": 2**62}  # reads before a status advances


def patch() -> None:
    SQSBackend.is_message_valid_based_on_retention_period = valid_by_retention  # type: ignore[method-assign]
    state_manager.set_transition("s3::keyrestore", NEVER)


if __name__ == "__main__":
    patch()
    main()
    sys.exit(0)
