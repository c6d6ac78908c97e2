"""The documents' files on S3: one private, encrypted bucket of the platform, keys
`<tenant id>/<document id>/<language>.pdf`, nothing ever expiring (invoices are kept as the
law requires). A download is a presigned GET (Signature V4) that stops working after the
seconds asked for; the file is never public."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.invoices.services.invoice_ports import DocumentFiles
from chalicelib.kernel.domain.errors import TransientFailure


class S3DocumentFiles(DocumentFiles):
    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def exists(self, key: str) -> bool:
        try:
            self._client.head_object(Bucket=self._bucket, Key=key)
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                return False
            raise TransientFailure("The document store did not answer.") from exc
        return True

    def put(self, key: str, body: bytes, content_type: str) -> None:
        try:
            self._client.put_object(
                Bucket=self._bucket,
                Key=key,
                Body=body,
                ContentType=content_type,
                ServerSideEncryption="AES256",
            )
        except ClientError as exc:
            raise TransientFailure("The document could not be stored; try again.") from exc

    def link(self, key: str, filename: str, seconds: int) -> str:
        url: str = self._client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self._bucket,
                "Key": key,
                "ResponseContentDisposition": f'attachment; filename="{filename}"',
                "ResponseContentType": "application/pdf",
            },
            ExpiresIn=seconds,
        )
        return url
