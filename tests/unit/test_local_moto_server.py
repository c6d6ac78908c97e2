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


def test_moto_s_state_reads_after_a_multipart_upload():
    """moto's whole state (`/moto-api/data.json`, what the mailbox read before it named its
    models): after an export's upload in parts that read failed (each part's restore status
    walked to "restored" and looked up a bucket it has none of) until the status was made never
    to advance on reading."""
    import json

    from moto.moto_api._internal.responses import MotoAPIResponse

    from local.moto_server import patch

    patch()
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="exports-test")
        upload = s3.create_multipart_upload(Bucket="exports-test", Key="reports/a.csv")
        part = s3.upload_part(
            Bucket="exports-test",
            Key="reports/a.csv",
            UploadId=upload["UploadId"],
            PartNumber=1,
            Body=b"x" * 5 * 1024 * 1024,
        )
        s3.complete_multipart_upload(
            Bucket="exports-test",
            Key="reports/a.csv",
            UploadId=upload["UploadId"],
            MultipartUpload={"Parts": [{"ETag": part["ETag"], "PartNumber": 1}]},
        )
        for _ in range(3):  # every read, not only the first
            status, _, body = MotoAPIResponse().model_data(None, "", {})
            assert status == 200
            assert "s3" in json.loads(body)


def test_moto_s_state_is_read_again_when_a_model_changes_while_it_is_walked():
    """The state is walked while other threads change it; moto's walk then raises
    RuntimeError and the mailbox's read answered 500. It is read again instead."""
    from local.moto_server import READS, state_read

    calls: list[int] = []

    def walk(self, *args):
        calls.append(1)
        if len(calls) < 3:
            raise RuntimeError("dictionary changed size during iteration")
        return 200, {}, "{}"

    assert state_read(walk)(None, None, "", {}) == (200, {}, "{}")
    assert len(calls) == 3

    calls.clear()

    def always_changing(self, *args):
        calls.append(1)
        raise RuntimeError("dictionary changed size during iteration")

    with pytest.raises(RuntimeError):
        state_read(always_changing)(None, None, "", {})
    assert len(calls) == READS


def test_the_mailbox_s_models_are_read_alone_and_as_moto_s_whole_walk_has_them():
    """The mailbox names the models it reads (`?models=`): the walk covers them only, never the
    SQS messages and the rest that the workers change while it runs, and answers them as
    moto's own walk of everything does."""
    import json

    from moto.moto_api._internal.responses import MotoAPIResponse

    from local.mailbox import MAIL_MODELS
    from local.moto_server import patch

    patch()
    with mock_aws():
        ses = boto3.client("ses", region_name="us-east-1")
        ses.verify_email_identity(EmailAddress="desk@hotel.example")
        ses.send_raw_email(
            Source="desk@hotel.example",
            Destinations=["ada@guest.example"],
            RawMessage={"Data": b"Subject: Your stay\n\nSee you soon"},
        )
        boto3.client("sns", region_name="us-east-1").publish(
            PhoneNumber="+15555550100", Message="See you soon"
        )
        boto3.client("sqs", region_name="us-east-1").create_queue(QueueName="busy")
        query = "http://127.0.0.1/moto-api/data.json?models=" + ",".join(MAIL_MODELS)
        status, _, body = MotoAPIResponse().model_data(None, query, {})
        _, _, whole = MotoAPIResponse().model_data(None, "http://127.0.0.1/moto-api/data.json", {})
    assert status == 200
    mail, everything = json.loads(body), json.loads(whole)
    assert mail == {
        "ses": {"RawMessage": everything["ses"]["RawMessage"]},
        "sns": {"SMS": everything["sns"]["SMS"]},
    }
    assert mail["ses"]["RawMessage"][-1]["destinations"] == ["ada@guest.example"]
    assert mail["sns"]["SMS"][-1]["phone_number"] == "+15555550100"
    assert "sqs" in everything


def test_the_mailbox_leaves_a_message_moto_is_still_making_for_the_next_read(monkeypatch):
    """moto lists an instance before its `__init__` has set its fields: such an entry is not
    a message yet, and reading it would fail (KeyError); the mailbox skips it. moto also adds
    the To header's addresses to the envelope's: each recipient is named once."""
    from local import mailbox

    made = {
        "id": "m1",
        "source": "desk@hotel.example",
        "destinations": ["ada@guest.example", "ada@guest.example"],  # as moto keeps them
        "raw_data": "From: desk@hotel.example\nSubject: Your stay\n\nSee you soon",
    }
    state = {
        "ses": {"RawMessage": [made, {}]},
        "sns": {"SMS": [{"message_id": "s1", "phone_number": "+15555550100", "message": "Hi"}, {}]},
    }
    monkeypatch.setattr(mailbox, "moto_state", lambda endpoint: state)
    emails, texts = mailbox.sent("http://127.0.0.1:1")
    assert [(e.id, e.subject, e.to) for e in emails] == [("m1", "Your stay", ["ada@guest.example"])]
    assert [(t.id, t.phone) for t in texts] == [("s1", "+15555550100")]


def test_the_lookups_made_once_answer_as_moto_s_own():
    from moto.core.utils import method_names_from_class
    from moto.sqs.responses import SQSResponse

    from local.moto_server import listed_once, method_names

    calls = []

    def listing():
        calls.append(1)
        yield from ("sqs", "dynamodb")

    modules = listed_once(listing)
    assert modules() == modules() == ("sqs", "dynamodb") and calls == [1]
    assert method_names(SQSResponse) == set(method_names_from_class(SQSResponse))
    assert "receive_message" in method_names(SQSResponse)
