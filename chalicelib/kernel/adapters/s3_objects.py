"""Private files on S3, as the capabilities keep them: written encrypted (SSE-S3), read only
through a presigned GET (Signature V4) that names its file and stops working after the seconds
asked for. No bucket is ever public. The invoices' documents and the customers' exports use it."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.domain.errors import TransientFailure


def put_private(client: Any, bucket: str, key: str, body: bytes, content_type: str) -> None:
    try:
        client.put_object(
            Bucket=bucket,
            Key=key,
            Body=body,
            ContentType=content_type,
            ServerSideEncryption="AES256",
        )
    except ClientError as exc:
        raise TransientFailure("The file could not be stored; try again.") from exc


def download_link(
    client: Any, bucket: str, key: str, *, filename: str, content_type: str, seconds: int
) -> str:
    url: str = client.generate_presigned_url(
        "get_object",
        Params={
            "Bucket": bucket,
            "Key": key,
            "ResponseContentDisposition": f'attachment; filename="{filename}"',
            "ResponseContentType": content_type,
        },
        ExpiresIn=seconds,
    )
    return url


def object_exists(client: Any, bucket: str, key: str) -> bool:
    """Whether the object is there (a HEAD); TransientFailure when S3 does not answer."""
    try:
        client.head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if exc.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            return False
        raise TransientFailure("The file store did not answer.") from exc
    return True
