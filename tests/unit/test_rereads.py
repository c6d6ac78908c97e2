"""A change sent without a version that lost its race is decided again after a growing random
pause, and one that keeps losing is told to retry (503), never 409 `version_mismatch`."""

from __future__ import annotations

import pytest

from chalicelib.kernel.domain.errors import Conflict, TransientFailure
from chalicelib.kernel.services import rereads


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(rereads.time, "sleep", slept.append)
    monkeypatch.setattr(rereads.random, "uniform", lambda low, high: high)  # the longest
    return slept


def losing(times: int, answer: str = "done"):
    calls = {"n": 0}

    def change() -> str:
        calls["n"] += 1
        if calls["n"] <= times:
            raise Conflict("The order was changed since it was read.", code="version_mismatch")
        return answer

    return change, calls


def test_a_change_that_lost_is_decided_again_after_pauses_that_grow(pauses: list[float]) -> None:
    change, calls = losing(4)
    assert rereads.decide_again(change) == "done"
    assert calls["n"] == 5
    assert pauses == [0.005, 0.01, 0.02, 0.04]


def test_no_pause_is_longer_than_the_most(pauses: list[float]) -> None:
    change, _ = losing(rereads.REREADS)
    assert rereads.decide_again(change) == "done"
    assert max(pauses) == rereads.PAUSE_MOST and len(pauses) == rereads.REREADS


def test_one_that_keeps_losing_is_told_to_retry_not_version_mismatch(pauses: list[float]) -> None:
    change, calls = losing(rereads.REREADS + 1)
    with pytest.raises(TransientFailure) as raised:
        rereads.decide_again(change)
    assert raised.value.code == "temporarily_unavailable"
    assert calls["n"] == rereads.REREADS + 1


def test_another_conflict_is_the_callers_at_once(pauses: list[float]) -> None:
    def change() -> str:
        raise Conflict("Refund too large.", code="refund_too_large")

    with pytest.raises(Conflict) as raised:
        rereads.decide_again(change)
    assert raised.value.code == "refund_too_large" and pauses == []
