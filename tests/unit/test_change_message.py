"""A changed booking's message says what changed (p7b finding 10): a stay extended or shortened
is told its new check-out and nights, never "moved to" the date it already had; a move still
says where it moved from and to. In English and Chinese, e-mail and text."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from chalicelib.booking.domain.orders import Channel
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.booking.services.stays import change_stay
from tests.builders import Shop, room_type, stay_offering
from tests.stage import ADA, Stage

CHECK_IN = date(2026, 12, 1)  # the integrator's: 2 nights from Tuesday 1 December

WORDS = {
    "en": {
        "extended": "changed: {}",
        "span": "Tuesday 1 December 2026 to Friday 4 December 2026, 3 nights",
        "moved": "moved to Thursday 3 December 2026",
        "was": "(it was Tuesday 1 December 2026)",
    },
    "zh-Hans": {
        "extended": "已变更：{}",
        "span": "2026年12月1日 星期二至2026年12月4日 星期五，3 晚",
        "moved": "已改至 2026年12月3日 星期四",
        "was": "（原为 2026年12月1日 星期二）",
    },
}


def _stay(locale: str) -> Stage:
    shop = Shop(now="2026-11-20T09:00:00.000000Z").add(room_type(rooms=3), stay_offering())
    stage = Stage(shop)
    line = LineInput("off_stay", check_in=CHECK_IN, nights=2)
    guest = replace(ADA, locale=locale)
    hold_order(stage.ctx, shop.cache, HoldInput(guest, [line], Channel.STAFF), order_id="ord_1")
    order_service.confirm(stage.ctx, "ord_1")
    stage.drain()
    stage.c.sms.sent.clear()
    stage.c.mailer.sent.clear()
    return stage


def _told(stage: Stage) -> tuple[str, str, str]:
    stage.drain()
    [(_, sms)] = stage.c.sms.sent
    [email] = stage.emails()
    return sms, email.subject, email.text


@pytest.mark.parametrize("locale", ["en", "zh-Hans"])
def test_a_longer_stay_is_told_its_new_check_out_not_a_move_to_the_same_day(locale):
    stage = _stay(locale)
    change_stay(stage.ctx, stage.shop.cache, "ord_1", line_index=0, nights=3, expected_version=None)
    sms, subject, text = _told(stage)
    words = WORDS[locale]
    assert words["extended"].format(words["span"]) in sms and words["span"] in subject
    assert "moved" not in sms and "已改至" not in sms
    assert words["was"] not in text  # the same check-in: nothing to say it "was"


@pytest.mark.parametrize("locale", ["en", "zh-Hans"])
def test_a_move_is_told_where_it_moved_from_and_to(locale):
    stage = _stay(locale)
    moved = [LineInput("off_stay", check_in=date(2026, 12, 3), nights=2)]
    order_service.reschedule(stage.ctx, stage.shop.cache, "ord_1", moved, expected_version=None)
    sms, _, text = _told(stage)
    assert WORDS[locale]["moved"] in sms and WORDS[locale]["was"] in text
