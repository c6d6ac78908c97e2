"""Amazon SES (e-mail, as raw MIME with attachments) and Amazon SNS (SMS to a phone number).

Headers are built by the standard library's header registry (an `Address` for From, encoded
words for anything not ASCII), from text made one line first: a tenant's name with quotes,
commas, Chinese or even a line break gives a valid message and can never add a header.
"""

from __future__ import annotations

from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.mail_domains import ascii_domain
from chalicelib.kernel.domain.errors import InvalidInput, TransientFailure
from chalicelib.kernel.domain.text import one_line
from chalicelib.kernel.services.messaging_ports import Email, Mailer, SmsSender

# Errors that retrying will not fix: the message is refused for what it is.
_PERMANENT = frozenset({"MessageRejected", "InvalidParameterValue", "InvalidParameter"})


HEADER_POLICY = policy.default.clone(max_line_length=998)


def _reraise(exc: ClientError, what: str) -> None:
    code = exc.response["Error"]["Code"]
    if code in _PERMANENT:
        raise InvalidInput(f"The {what} was refused: {code}.", code="message_refused") from exc
    raise TransientFailure(f"Could not send the {what}; try again.", aws_code=code) from exc


def header_text(text: str) -> str:
    """Text for a header, as text: one line, and no RFC 2047 encoded word (`=?utf-8?q?...?=`),
    which the header registry would decode, line breaks and all, into the header itself.
    Breaking the `=?` opener keeps the words readable and makes them plain text."""
    return one_line(text).replace("=?", "= ?")


def mail_address(address: str) -> str:
    """`address` as mail carries it: an internationalised domain in its ASCII form by IDNA
    2008 (`ann@xn--exmple-cua.com`; `straße.de` is `xn--strae-oqa.de`, not the `strasse.de`
    of Python's own IDNA 2003 codec, a reviewer's: another domain, another owner), since the
    header registry wrote `ann@exämple.com` as encoded words, which no mail server reads as
    an address (an outside tester's). An address mail cannot carry (a local part outside
    ASCII, stored before the API refused one; a label past 63 characters) is refused for good:
    `message_refused`, which the senders record as not sent."""
    local, _, domain = address.strip().rpartition("@")
    try:
        return f"{local}@{ascii_domain(domain)}" if local.isascii() else _refuse(local)
    except UnicodeError as exc:
        raise InvalidInput(
            "The e-mail address cannot be written in mail.", code="message_refused"
        ) from exc


def _refuse(local: str) -> str:
    raise UnicodeError(local)


def mime(email: Email) -> bytes:
    """multipart/mixed: multipart/alternative (text, HTML), then each attachment."""
    message = EmailMessage()
    message["From"] = Address(display_name=header_text(email.sender_name), addr_spec=email.sender)
    message["To"] = mail_address(email.to)  # validated addresses: no whitespace, no line break
    if email.reply_to:
        message["Reply-To"] = email.reply_to
    message["Subject"] = header_text(email.subject)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=email.sender.rpartition("@")[2])
    for name, text in email.headers:
        message[name] = header_text(text)
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    for attachment in email.attachments:
        maintype, _, rest = attachment.content_type.partition("/")
        subtype, *params = [p.strip() for p in rest.split(";")]
        extra = dict(p.split("=", 1) for p in params if "=" in p)
        message.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            params=extra,
        )
    # Headers fold only past RFC 5322's 998 characters: a long URL (a campaign's
    # List-Unsubscribe) folded at 78 would be written as an encoded word, which no mail
    # client reads as a link (RFC 2369, RFC 8058's one-click).
    return message.as_bytes(policy=HEADER_POLICY)


class SesMailer(Mailer):
    def __init__(self, client: Any, *, configuration_set: str | None = None) -> None:
        self._client = client
        self._configuration_set = configuration_set

    def send(self, email: Email) -> str:
        kwargs: dict[str, Any] = {
            "Source": email.sender,
            "Destinations": [mail_address(email.to)],
            "RawMessage": {"Data": mime(email)},
        }
        if email.tags:
            kwargs["Tags"] = [{"Name": k, "Value": v} for k, v in sorted(email.tags.items())]
        if self._configuration_set:
            kwargs["ConfigurationSetName"] = self._configuration_set
        try:
            return str(self._client.send_raw_email(**kwargs)["MessageId"])
        except ClientError as exc:
            _reraise(exc, "e-mail")
            raise


class SnsSmsSender(SmsSender):
    def __init__(self, client: Any) -> None:
        self._client = client

    def send(self, phone: str, text: str, *, sender_id: str | None = None) -> str:
        attributes = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}
        if sender_id:
            attributes["AWS.SNS.SMS.SenderID"] = {"DataType": "String", "StringValue": sender_id}
        try:
            response = self._client.publish(
                PhoneNumber=phone, Message=text, MessageAttributes=attributes
            )
        except ClientError as exc:
            _reraise(exc, "text message")
            raise
        return str(response["MessageId"])
