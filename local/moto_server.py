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
are keys of no bucket, so once a report export had uploaded in parts, reading moto's whole
state (`/moto-api/data.json`, which local/mailbox.py then read for the e-mails sent) walked
each part to "restored" and failed with NoSuchBucket: a 500, and no mailbox. Nothing here
restores objects from an archive, so the status is made never to advance on reading.

That state is read while the server keeps serving the workers on other threads, and moto walks
live dicts (an SQS queue's messages, SES's sent mail) with no lock: a change in the middle raises
RuntimeError ("dictionary changed size during iteration") and the read answers 500 (seen once
in an e2e test's wait for an e-mail on a loaded machine). The read is made again, up to five
times: a snapshot taken while nothing changed is as good as any. Five were not enough on a
loaded CI machine: the walk covers every model instance moto ever made, every SQS message the
workers ever sent and deleted among them, so it grows longer as a run goes on and the workers
change something all the while. The mailbox asks for only the models it reads
(`?models=ses.RawMessage,sns.SMS`): a sent message is not changed once made, so that walk
races only a message being made (moto lists an instance before its `__init__` has set its
fields; the mailbox skips one without them), and it stays short however long the run. Without
the parameter the answer is moto's own.

Two lookups moto makes on every request are made once: the list of its service packages
(`list_of_moto_modules` lists and stats its own folder, to see whether the Host header names a
service) and a response class's method names (`inspect.getmembers` of the class). A py-spy
profile of an idle `make dev` stack's moto server, whose every request is the worker loop's
receive from one of the queues, found them in a third of its busy samples.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from moto import backends
from moto.core import responses
from moto.core.model_instances import model_data as tracked_models
from moto.core.utils import method_names_from_class, unix_time
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


def public_state(instance: object) -> dict[str, Any]:
    """An instance's public attributes that are JSON, as moto's own walk takes them."""
    state: dict[str, Any] = {}
    for attr in dir(instance):
        if attr.startswith("_"):
            continue
        try:
            value = getattr(instance, attr)
            json.dumps(value)
        except (TypeError, AttributeError, ValueError):
            continue
        state[attr] = value
    return state


def models_state(names: Iterable[str]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """The state of the named models only ("service.Model", as data.json names them)."""
    results: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for name in names:
        service, _, model = name.partition(".")
        tracked = tracked_models.get(service, {}).get(model)
        instances = list(getattr(tracked, "instances_tracked", ()))
        results.setdefault(service, {})[model] = [public_state(i) for i in instances]
    return results


def asked_models(full_url: str) -> list[str]:
    """The models a `?models=a.B,c.D` query names; none when it names none."""
    values = parse_qs(urlsplit(full_url).query).get("models", [])
    names = (name.strip() for value in values for name in value.split(","))
    return [name for name in names if "." in name]


def state_read(read: Callable[..., Any]) -> Callable[..., Any]:
    """moto's `/moto-api/data.json` handler: the models the query names, when it names some;
    else `read` (moto's walk of everything), made again when another thread changed a model
    while it was walked."""

    def model_data(self: MotoAPIResponse, request: Any, full_url: str, *args: Any) -> Any:
        names = asked_models(full_url or "")
        if names:
            body = json.dumps(models_state(names))
            return 200, {"Content-Type": "application/json"}, body
        for attempt in range(1, READS + 1):
            try:
                return read(self, request, full_url, *args)
            except RuntimeError:
                if attempt == READS:
                    raise
                time.sleep(0.02 * attempt)
        raise AssertionError("unreachable")

    model_data.__wrapped__ = read  # type: ignore[attr-defined]
    return model_data


def listed_once(listing: Callable[[], Iterable[str]]) -> Callable[[], tuple[str, ...]]:
    """moto's `list_of_moto_modules`, listed on the first call only (the package's folders do
    not change while the server runs)."""
    found: list[tuple[str, ...]] = []

    def modules() -> tuple[str, ...]:
        if not found:
            found.append(tuple(listing()))
        return found[0]

    modules.__wrapped__ = listing  # type: ignore[attr-defined]
    return modules


@functools.cache
def method_names(clazz: object) -> frozenset[str]:
    """A response class's method names, as `method_names_from_class` finds them, once a class."""
    return frozenset(method_names_from_class(clazz))


def patch() -> None:
    if not hasattr(backends.list_of_moto_modules, "__wrapped__"):
        backends.list_of_moto_modules = listed_once(backends.list_of_moto_modules)
    responses.method_names_from_class = method_names  # type: ignore[assignment]
    SQSBackend.is_message_valid_based_on_retention_period = valid_by_retention  # type: ignore[method-assign]
    if not hasattr(MotoAPIResponse.model_data, "__wrapped__"):
        MotoAPIResponse.model_data = state_read(MotoAPIResponse.model_data)  # type: ignore[method-assign]
    state_manager.set_transition("s3::keyrestore", NEVER)


if __name__ == "__main__":
    patch()
    main()
    sys.exit(0)
