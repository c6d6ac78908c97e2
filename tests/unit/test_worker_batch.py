"""The batch runner gives every SQS record a clean set of log keys: a key one record added
(its tenant) must never label the log lines of the next record."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from chalice.app import SQSEvent

from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.observability import logger
from chalicelib.payments.workers import payments


def _event(*bodies: str) -> SQSEvent:
    records = [
        {
            "messageId": f"m{i}",
            "receiptHandle": f"r{i}",
            "body": body,
            "attributes": {},
            "messageAttributes": {},
            "md5OfBody": "",
            "eventSource": "aws:sqs",
            "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:q",
            "awsRegion": "us-east-1",
        }
        for i, body in enumerate(bodies)
    ]
    return SQSEvent({"Records": records}, context=None)


def test_a_log_key_added_by_one_record_does_not_label_the_next() -> None:
    seen: list[dict[str, Any]] = []

    def handler(record: Any) -> None:
        seen.append(dict(logger.get_current_keys()))
        logger.append_keys(tenant_id=f"t_{record.body}")

    result = process_sqs_batch(_event("a", "b"), handler)

    assert result == {"batchItemFailures": []}
    assert "tenant_id" not in seen[0] and "tenant_id" not in seen[1]
    assert [s.get("message_id") for s in seen] == ["m0", "m1"]
    assert "tenant_id" not in logger.get_current_keys()


def test_a_payments_message_labels_its_log_lines_with_its_own_tenant(monkeypatch: Any) -> None:
    lines: list[dict[str, Any]] = []
    tenants = {"t_one": SimpleNamespace(id="t_one")}
    container = SimpleNamespace(
        platform=SimpleNamespace(get_tenant=tenants.get), gateway=None, payment_accounts=None
    )
    monkeypatch.setattr(payments.bootstrap, "container", lambda: container)
    monkeypatch.setattr(payments.connect, "account_updated", lambda *a, **k: "updated")
    monkeypatch.setattr(
        payments.logger, "info", lambda *a, **k: lines.append(dict(logger.get_current_keys()))
    )
    account = '{"kind": "account", "subject": "acct_1", "account": "acct_1", "tenant_id": "%s"}'
    process_sqs_batch(_event(account % "t_one", account % "t_gone"), payments.handle_record)
    assert [line.get("tenant_id") for line in lines] == ["t_one", None]
