"""The exports' multipart upload (reports/adapters/export_files.py) against a recording
stand-in for boto3's S3 client: a CSV goes up in parts of at least 5 MiB (the last may be
less) as its rows are read, never whole; an XLSX goes up from its temporary file, which is
deleted; a failure midway aborts the upload and completes nothing."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from botocore.exceptions import ClientError

from chalicelib.kernel.domain.errors import TransientFailure
from chalicelib.reports.adapters.export_files import MIN_PART, MultipartUpload, S3ReportFiles
from chalicelib.reports.domain.exports import ExportFormat


class RecordingS3:
    """The calls a multipart upload makes, kept; `fail_part` makes that part's upload fail."""

    def __init__(self, fail_part: int | None = None) -> None:
        self.calls: list[str] = []
        self.parts: dict[int, bytes] = {}
        self.objects: dict[str, bytes] = {}
        self.fail_part = fail_part
        self.rows_read_at_part: list[int] = []
        self.rows_read = 0

    def create_multipart_upload(self, **kw: Any) -> dict[str, str]:
        self.calls.append("create")
        assert kw["ServerSideEncryption"] == "AES256"
        return {"UploadId": "up-1"}

    def upload_part(self, **kw: Any) -> dict[str, str]:
        self.calls.append("part")
        self.rows_read_at_part.append(self.rows_read)
        if kw["PartNumber"] == self.fail_part:
            raise ClientError({"Error": {"Code": "SlowDown", "Message": "busy"}}, "UploadPart")
        self.parts[kw["PartNumber"]] = kw["Body"]
        return {"ETag": f'"{kw["PartNumber"]}"'}

    def complete_multipart_upload(self, **kw: Any) -> None:
        self.calls.append("complete")
        numbers = [p["PartNumber"] for p in kw["MultipartUpload"]["Parts"]]
        self.objects[kw["Key"]] = b"".join(self.parts[n] for n in numbers)

    def abort_multipart_upload(self, **kw: Any) -> None:
        self.calls.append("abort")


def rows(s3: RecordingS3, n: int) -> Iterator[tuple]:
    for i in range(n):
        s3.rows_read += 1
        yield (f"ord_{i:07d}", "confirmed", "x" * 200, i)


def test_a_csv_goes_up_in_parts_of_at_least_5_mib_as_its_rows_are_read() -> None:
    s3 = RecordingS3()
    files = S3ReportFiles(s3, "bucket", part_size=MIN_PART)

    count = files.write(
        "reports/t/exp.csv", ExportFormat.CSV, "orders", ("id", "s", "x", "n"), rows(s3, 60_000)
    )

    assert count == 60_000
    assert s3.calls[0] == "create" and s3.calls[-1] == "complete"
    sizes = [len(s3.parts[n]) for n in sorted(s3.parts)]
    assert len(sizes) >= 3
    assert all(size == MIN_PART for size in sizes[:-1]) and 0 < sizes[-1] <= MIN_PART
    # Streamed: the first part left before most rows were read.
    assert s3.rows_read_at_part[0] < 60_000 // 2
    table = list(csv.reader(io.StringIO(s3.objects["reports/t/exp.csv"].decode("utf-8-sig"))))
    assert len(table) == 60_001 and table[-1][0] == "ord_0059999"


def test_a_part_that_fails_aborts_the_upload_and_completes_nothing() -> None:
    s3 = RecordingS3(fail_part=2)
    files = S3ReportFiles(s3, "bucket", part_size=MIN_PART)

    with pytest.raises(TransientFailure):
        files.write(
            "reports/t/exp.csv", ExportFormat.CSV, "orders", ("id", "s", "x", "n"), rows(s3, 60_000)
        )

    assert s3.calls[-1] == "abort" and "complete" not in s3.calls
    assert s3.objects == {}


def test_rows_that_fail_midway_abort_the_upload() -> None:
    s3 = RecordingS3()
    files = S3ReportFiles(s3, "bucket")

    def broken() -> Iterator[tuple]:
        yield ("a",)
        raise RuntimeError("the table went away")

    with pytest.raises(RuntimeError):
        files.write("reports/t/exp.xlsx", ExportFormat.XLSX, "orders", ("id",), broken())
    assert s3.calls == ["create", "abort"]


def test_an_xlsx_goes_up_from_its_temporary_file_which_is_then_deleted() -> None:
    s3 = RecordingS3()
    with tempfile.TemporaryDirectory() as folder:
        files = S3ReportFiles(s3, "bucket", tmpdir=folder, xlsx_max_rows=3)
        count = files.write(
            "reports/t/exp.xlsx", ExportFormat.XLSX, "orders", ("id", "s", "x", "n"), rows(s3, 5)
        )
        assert os.listdir(folder) == []
    assert count == 5 and s3.calls == ["create", "part", "complete"]
    book = openpyxl.load_workbook(io.BytesIO(s3.objects["reports/t/exp.xlsx"]), read_only=True)
    assert [ws.title for ws in book.worksheets] == ["orders", "orders (2)", "orders (3)"]


def test_an_empty_last_part_is_sent_only_for_an_empty_file() -> None:
    s3 = RecordingS3()
    upload = MultipartUpload(s3, "bucket", "k", "text/csv")
    upload.complete()
    assert s3.calls == ["create", "part", "complete"] and s3.objects["k"] == b""
