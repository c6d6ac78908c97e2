"""The e-mails and text messages the local stack sent, read back from moto server.

moto keeps every SES message and SNS text it accepted and lists them at `/moto-api/data.json`
(as `ses.RawMessage` and `sns.SMS`). This prints them, newest last, decoded:

    python -m local.mailbox                      # the endpoint from RESERVOIR_AWS_ENDPOINT
    python -m local.mailbox --endpoint http://127.0.0.1:4566 --to ada@example.com --body
    python -m local.mailbox --json               # one JSON object per message

Local only: nothing like this exists on AWS (SES and SNS keep no copies).
"""

from __future__ import annotations

import argparse
import json
import os
import urllib.request
from dataclasses import asdict, dataclass, field, is_dataclass
from email import message_from_bytes, policy
from typing import Any

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy


@dataclass
class SentEmail:
    id: str
    sender: str
    to: list[str]
    subject: str
    text: str
    html: str
    attachments: list[str] = field(default_factory=list)  # "name (content type)"


@dataclass
class SentSms:
    id: str
    phone: str
    text: str


MAIL_MODELS = ("ses.RawMessage", "sns.SMS")


def moto_state(endpoint: str, models: tuple[str, ...] = MAIL_MODELS) -> dict[str, Any]:
    """moto's state of `models` only: the local stack's moto server (local/moto_server.py)
    walks just those, which nothing changes once sent; another moto answers all its state."""
    query = f"?models={','.join(models)}" if models else ""
    url = f"{endpoint.rstrip('/')}/moto-api/data.json{query}"
    with _OPENER.open(url, timeout=10) as response:
        return json.load(response)


def parse_email(raw: dict[str, Any]) -> SentEmail:
    """moto keeps the raw message as text decoded from UTF-8; it is read back as those bytes,
    since a text part sent as 8bit (short lines: "50,00 €") read as a string came out with
    its letters escaped ("50,00 \\u20ac")."""
    message = message_from_bytes(raw["raw_data"].encode("utf-8"), policy=policy.default)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    attachments = [
        f"{part.get_filename()} ({part.get_content_type()})" for part in message.iter_attachments()
    ]
    return SentEmail(
        id=raw["id"],
        sender=str(message.get("From", raw["source"])),
        # moto adds the To header's addresses to the envelope's, so each is there twice
        to=list(dict.fromkeys(raw["destinations"])),
        subject=str(message.get("Subject", "")),
        text=text.get_content() if text is not None else "",
        html=html.get_content() if html is not None else "",
        attachments=attachments,
    )


def sent(endpoint: str) -> tuple[list[SentEmail], list[SentSms]]:
    """What was sent; a message moto is still making (listed before its fields are set) is
    left for the next read."""
    state = moto_state(endpoint)
    emails = [
        parse_email(m)
        for m in state.get("ses", {}).get("RawMessage", [])
        if {"id", "raw_data", "destinations"} <= m.keys()
    ]
    texts = [
        SentSms(id=m["message_id"], phone=m["phone_number"], text=m["message"])
        for m in state.get("sns", {}).get("SMS", [])
        if {"message_id", "phone_number", "message"} <= m.keys()
    ]
    return emails, texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--endpoint", default=os.environ.get("RESERVOIR_AWS_ENDPOINT"))
    parser.add_argument("--to", help="only messages to this address or phone number")
    parser.add_argument("--body", action="store_true", help="print the plain-text bodies")
    parser.add_argument("--json", action="store_true", help="one JSON object per message")
    args = parser.parse_args(argv)
    if not args.endpoint:
        parser.error("no --endpoint and no RESERVOIR_AWS_ENDPOINT (moto server's address)")
    emails, texts = sent(args.endpoint)
    if args.to:
        emails = [e for e in emails if args.to in e.to]
        texts = [t for t in texts if t.phone == args.to]
    if args.json:
        for item in [*emails, *texts]:
            assert is_dataclass(item) and not isinstance(item, type)
            print(json.dumps({"kind": type(item).__name__, **asdict(item)}, ensure_ascii=False))
        return 0
    print(f"{len(emails)} e-mail(s), {len(texts)} text message(s) sent by the local stack")
    for e in emails:
        extra = f"  [{', '.join(e.attachments)}]" if e.attachments else ""
        print(f"\nEMAIL to {', '.join(e.to)} from {e.sender}\n  {e.subject}{extra}")
        if args.body:
            print("  " + e.text.strip().replace("\n", "\n  "))
    for t in texts:
        print(f"\nSMS to {t.phone}: {t.text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
