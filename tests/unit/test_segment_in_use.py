"""A segment a campaign not yet sent uses is not deleted (409 `segment_in_use`, naming the
campaigns): the campaign keeps no copy of the rules, its job reads them when it runs. Once the
campaign is sent the segment can go."""

from __future__ import annotations

import pytest

from chalicelib.customers.services import segments
from chalicelib.customers.services.campaign_send import run_send
from chalicelib.kernel.domain.errors import Conflict
from tests.unit.test_campaign_send import campaign
from tests.unit.test_campaign_send import stage as stage  # noqa: F401  (the fixture)


def test_a_segment_a_draft_or_sending_campaign_uses_is_refused_and_kept(stage):
    made = campaign(stage)  # sending: its job has not run
    with pytest.raises(Conflict) as refused:
        segments.delete(stage.ctx, "seg_1")
    assert refused.value.code == "segment_in_use"
    assert refused.value.details["campaign_ids"] == [made.id]
    assert stage.data.campaigns.segment("seg_1") is not None
    assert run_send(stage.system, made.id, stage.c, budget_seconds=60) == "done"
    segments.delete(stage.ctx, "seg_1")  # sent: nothing reads it any more
    assert stage.data.campaigns.segment("seg_1") is None
