"""Report exports' files on S3: the exports' private, encrypted bucket (the privacy exports'
too: customers/adapters/export_files.py), keys `reports/<tenant>/<export id>.<csv|xlsx>`,
expired by the bucket's lifecycle rule for `reports/` (infra/stacks/data.py), which also
aborts a multipart upload left unfinished by a worker that died.

Every file goes up by multipart upload, a part as soon as `part_size` bytes (at least S3's
5 MiB) are buffered: a CSV straight from its rows, an XLSX from the temporary file its writer
made on the function's disk (read back a part at a time, deleted after). The upload is
aborted on any failure, so a key holds a whole file or none.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.kernel.adapters.s3_objects import download_link
from chalicelib.kernel.domain.errors import TransientFailure
from chalicelib.reports.adapters.export_formats import (
    XLSX_MAX_ROWS,
    Counter,
    csv_chunks,
    write_xlsx,
)
from chalicelib.reports.domain.export_cells import Row
from chalicelib.reports.domain.exports import ExportFormat
from chalicelib.reports.services.export_ports import ReportFiles

MIN_PART = 5 * 1024 * 1024  # S3's smallest part but the last
PART_SIZE = 8 * 1024 * 1024


class MultipartUpload:
    """One object written part by part (module docstring); `complete` or `abort` ends it."""

    def __init__(
        self, client: Any, bucket: str, key: str, content_type: str, part_size: int = PART_SIZE
    ) -> None:
        self._client, self._bucket, self._key = client, bucket, key
        self._part_size = max(part_size, MIN_PART)
        self._buffer = bytearray()
        self._parts: list[dict[str, Any]] = []
        self._id = self._call(
            "create_multipart_upload",
            ContentType=content_type,
            ServerSideEncryption="AES256",
        )["UploadId"]

    @property
    def parts(self) -> int:
        return len(self._parts)

    def write(self, data: bytes) -> None:
        self._buffer += data
        while len(self._buffer) >= self._part_size:
            self._send(bytes(self._buffer[: self._part_size]))
            del self._buffer[: self._part_size]

    def complete(self) -> None:
        if self._buffer or not self._parts:
            self._send(bytes(self._buffer))
            self._buffer.clear()
        self._call("complete_multipart_upload", MultipartUpload={"Parts": self._parts})

    def abort(self) -> None:
        # Failing, the bucket's lifecycle rule aborts what is left.
        with contextlib.suppress(ClientError, BotoCoreError):
            self._client.abort_multipart_upload(
                Bucket=self._bucket, Key=self._key, UploadId=self._id
            )

    def _send(self, body: bytes) -> None:
        n = len(self._parts) + 1
        answer = self._call("upload_part", PartNumber=n, Body=body)
        self._parts.append({"PartNumber": n, "ETag": answer["ETag"]})

    def _call(self, method: str, **kwargs: Any) -> Any:
        if method != "create_multipart_upload":
            kwargs["UploadId"] = self._id
        try:
            return getattr(self._client, method)(Bucket=self._bucket, Key=self._key, **kwargs)
        except (ClientError, BotoCoreError) as exc:
            raise TransientFailure("The export file could not be stored; try again.") from exc


class S3ReportFiles(ReportFiles):
    def __init__(
        self,
        client: Any,
        bucket: str,
        *,
        tmpdir: str | None = None,
        part_size: int = PART_SIZE,
        xlsx_max_rows: int = XLSX_MAX_ROWS,
    ) -> None:
        self._client = client
        self._bucket = bucket
        self._tmpdir = tmpdir or tempfile.gettempdir()
        self._part_size = part_size
        self._max_rows = xlsx_max_rows
        self.last_parts = 0  # parts of the last file written (the bench and tests read it)

    def write(
        self,
        key: str,
        format: ExportFormat,
        title: str,
        header: tuple[str, ...],
        rows: Iterable[Row],
    ) -> int:
        upload = MultipartUpload(
            self._client, self._bucket, key, format.content_type, self._part_size
        )
        try:
            counted = Counter()
            if format is ExportFormat.CSV:
                for chunk in csv_chunks(header, counted.count(rows)):
                    upload.write(chunk)
            else:
                self._xlsx(upload, title, header, counted.count(rows))
            upload.complete()
        except BaseException:
            upload.abort()
            raise
        self.last_parts = upload.parts
        return counted.rows

    def _xlsx(
        self, upload: MultipartUpload, title: str, header: tuple[str, ...], rows: Iterable[Row]
    ) -> None:
        fd, path = tempfile.mkstemp(suffix=".xlsx", dir=self._tmpdir)
        os.close(fd)
        try:
            write_xlsx(path, title, header, rows, tmpdir=self._tmpdir, max_rows=self._max_rows)
            with open(path, "rb") as file:
                while chunk := file.read(self._part_size):
                    upload.write(chunk)
        finally:
            os.unlink(path)

    def delete(self, key: str) -> None:
        try:
            self._client.delete_object(Bucket=self._bucket, Key=key)
        except (ClientError, BotoCoreError) as exc:
            raise TransientFailure("The export file could not be deleted; try again.") from exc

    def link(self, key: str, filename: str, format: ExportFormat, seconds: int) -> str:
        return download_link(
            self._client,
            self._bucket,
            key,
            filename=filename,
            content_type=format.content_type,
            seconds=seconds,
        )
