"""Sweeper marks are written once per window per container, and extended when needed."""

from __future__ import annotations

from chalicelib.kernel.services.ports import WorkMark
from chalicelib.kernel.services.work_marks import WorkMarks
from tests.fakes import FakePlatform


class CountingPlatform(FakePlatform):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def mark_work(self, kind: str, tenant_id: str, until: str, part: str = "") -> None:
        self.writes += 1
        super().mark_work(kind, tenant_id, until, part)


def test_a_window_is_marked_once_and_extended_only_past_it():
    platform = CountingPlatform()
    marks = WorkMarks(platform)
    marks.ensure("holds", "t1", until="2026-11-24T09:15:00.000000Z", slack_seconds=600)
    marks.ensure("holds", "t1", until="2026-11-24T09:20:00.000000Z", slack_seconds=600)
    assert platform.writes == 1
    assert platform.marked("holds") == [WorkMark("t1", "2026-11-24T09:25:00.000000Z")]
    marks.ensure("holds", "t1", until="2026-11-24T09:30:00.000000Z", slack_seconds=600)
    assert platform.writes == 2
    assert platform.marked("holds") == [WorkMark("t1", "2026-11-24T09:40:00.000000Z")]


def test_kinds_and_tenants_are_marked_apart():
    platform = CountingPlatform()
    marks = WorkMarks(platform)
    for kind, tenant in (("holds", "t1"), ("outbox", "t1"), ("holds", "t2")):
        marks.ensure(kind, tenant, until="2026-11-24T09:15:00.000000Z", slack_seconds=60)
    assert platform.writes == 3
    assert {m.tenant_id for m in platform.marked("holds")} == {"t1", "t2"}


def test_parts_of_a_tenants_work_are_marked_apart_and_a_bench_can_forget_them():
    platform = CountingPlatform()
    marks = WorkMarks(platform)
    for part in ("3", "5", "3"):
        marks.ensure(
            "holds", "t1", until="2026-11-24T09:15:00.000000Z", slack_seconds=60, part=part
        )
    assert platform.writes == 2
    assert [(m.part, m.until) for m in platform.marked("holds")] == [
        ("3", "2026-11-24T09:16:00.000000Z"),
        ("5", "2026-11-24T09:16:00.000000Z"),
    ]
    marks.forget("holds", "t1")  # as a new container: it writes again
    marks.ensure("holds", "t1", until="2026-11-24T09:15:00.000000Z", slack_seconds=60, part="3")
    assert platform.writes == 3
