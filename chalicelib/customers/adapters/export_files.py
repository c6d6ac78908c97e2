"""Customers' export files on S3: the exports' private, encrypted bucket (expired by its
lifecycle rule, not versioned: infra/stacks/data.py), keys
`exports/<tenant>/<customer id>/<export id>.json`. A download is a presigned GET that stops
working after the seconds asked for; an erase deletes every file under the customer's prefix."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.customers.services.privacy_ports import ExportFiles
from chalicelib.kernel.adapters.s3_objects import download_link, object_exists, put_private
from chalicelib.kernel.domain.errors import TransientFailure

JSON = "application/json"


class S3ExportFiles(ExportFiles):
    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def exists(self, key: str) -> bool:
        return object_exists(self._client, self._bucket, key)

    def put(self, key: str, body: bytes) -> None:
        put_private(self._client, self._bucket, key, body, JSON)

    def link(self, key: str, filename: str, seconds: int) -> str:
        return download_link(
            self._client, self._bucket, key, filename=filename, content_type=JSON, seconds=seconds
        )

    def delete_under(self, prefix: str) -> int:
        deleted = 0
        try:
            pages = self._client.get_paginator("list_objects_v2").paginate(
                Bucket=self._bucket, Prefix=prefix
            )
            for page in pages:
                keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
                if keys:
                    self._client.delete_objects(
                        Bucket=self._bucket, Delete={"Objects": keys, "Quiet": True}
                    )
                    deleted += len(keys)
        except ClientError as exc:
            raise TransientFailure("The exports could not be deleted; try again.") from exc
        return deleted
