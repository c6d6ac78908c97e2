"""A rebuild that fails says so (reports/services/rebuild.py): a passing failure is tried
again by the queue until its last delivery; then, or on any other failure, the job is
`failed` with why, never `running` for good."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from chalicelib.kernel.domain.errors import TransientFailure
from chalicelib.queues import REBUILDS
from chalicelib.reports.services import rebuild
from chalicelib.reports.services.rebuild import run_rebuild, start_rebuild
from tests.builders import Shop, room_type, stay_offering
from tests.stage import Stage


def _queued() -> Stage:
    stage = Stage(Shop().add(room_type(), stay_offering()))
    stage.book_stay()
    start_rebuild(stage.system, date(2026, 12, 1), date(2026, 12, 31), "rbd_1", stage.c.bus)
    return stage


def _failing(monkeypatch: Any, exc: Exception) -> None:
    def orders_touching(*_: Any) -> Any:
        raise exc

    monkeypatch.setattr(rebuild, "orders_touching", orders_touching)


def test_throttling_is_tried_again_until_the_last_delivery_then_the_job_failed(
    monkeypatch: Any,
) -> None:
    stage = _queued()
    _failing(monkeypatch, TransientFailure("DynamoDB is busy.", code="throttled"))
    for attempt in range(1, REBUILDS.max_receive_count):
        with pytest.raises(TransientFailure):
            run_rebuild(stage.system, "rbd_1")
        job = stage.data.figures.get_rebuild("rbd_1")
        assert (job.status, job.attempts) == ("running", attempt)

    last = run_rebuild(stage.system, "rbd_1")

    assert (last.status, last.error) == ("failed", "DynamoDB is busy.")
    assert last.finished_at is not None
    assert run_rebuild(stage.system, "rbd_1").status == "failed"  # not again


def test_a_bug_fails_the_job_at_once_with_a_reason_for_staff(monkeypatch: Any) -> None:
    stage = _queued()
    _failing(monkeypatch, KeyError("lines"))

    job = run_rebuild(stage.system, "rbd_1")

    assert (job.status, job.attempts) == ("failed", 1)
    assert job.error == rebuild.FAILED
    assert stage.data.figures.get_rebuild("rbd_1") == job
