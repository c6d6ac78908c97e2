"""The documents' files on S3: one private, encrypted bucket of the platform, keys
`<tenant id>/<document id>/<language>.pdf`, nothing ever expiring (invoices are kept as the
law requires). A download is a presigned GET (Signature V4) that stops working after the
seconds asked for; the file is never public."""

from __future__ import annotations

from typing import Any

from chalicelib.invoices.services.invoice_ports import DocumentFiles
from chalicelib.kernel.adapters.s3_objects import download_link, object_exists, put_private


class S3DocumentFiles(DocumentFiles):
    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def exists(self, key: str) -> bool:
        return object_exists(self._client, self._bucket, key)

    def put(self, key: str, body: bytes, content_type: str) -> None:
        put_private(self._client, self._bucket, key, body, content_type)

    def link(self, key: str, filename: str, seconds: int) -> str:
        return download_link(
            self._client,
            self._bucket,
            key,
            filename=filename,
            content_type="application/pdf",
            seconds=seconds,
        )
