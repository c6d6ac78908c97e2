"""The steps every job worker takes (kernel/workers/jobs.py): a tenant gone or a job not
there drops the message without running anything; a queued job runs as who queued it."""

from __future__ import annotations

import json
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

from chalicelib.kernel.domain.tenant import TenantStatus
from chalicelib.kernel.workers import jobs
from tests.stage import Stage


def _record(**message: str) -> Any:
    return SimpleNamespace(body=json.dumps(message))


def test_a_message_names_its_active_tenant_and_job() -> None:
    stage = Stage()
    job = jobs.job_message(
        _record(tenant_id=stage.tenant.id, import_id="imp_1"),
        stage.c.platform,
        what="import",
        id_field="import_id",
    )
    assert job is not None
    assert (job.tenant.id, job.job_id, job.what) == (stage.tenant.id, "imp_1", "import")


def test_a_tenant_gone_or_suspended_drops_the_message(monkeypatch: Any) -> None:
    stage = Stage()
    warned: list[str] = []
    monkeypatch.setattr(jobs.logger, "warning", lambda text, **k: warned.append(text))
    gone = _record(tenant_id="t_nobody", job_id="j")
    assert jobs.job_message(gone, stage.c.platform, what="bulk job", id_field="job_id") is None
    stage.c.platform.tenants[stage.tenant.id] = replace(stage.tenant, status=TenantStatus.SUSPENDED)
    mine = _record(tenant_id=stage.shop.tenant.id, job_id="j")
    assert jobs.job_message(mine, stage.c.platform, what="bulk job", id_field="job_id") is None
    assert warned == ["bulk job for a tenant that is gone"] * 2


def test_a_queued_job_runs_as_who_queued_it_and_a_missing_one_not_at_all(
    monkeypatch: Any,
) -> None:
    stage = Stage()
    errors: list[str] = []
    monkeypatch.setattr(jobs.logger, "error", lambda text, **k: errors.append(text))
    job = jobs.JobMessage(what="export", tenant=stage.tenant, job_id="exp_1")
    queued = SimpleNamespace(created_by="user:u_7", created_role="manager")

    ctx = jobs.as_creator(job, queued, stage.c)

    assert ctx is not None
    assert (ctx.actor.kind, ctx.actor.id, ctx.actor.role) == ("user", "u_7", "manager")
    assert ctx.tenant.id == stage.tenant.id
    assert jobs.as_creator(job, None, stage.c) is None
    assert errors == ["no such export"]
    assert jobs.as_system(job, stage.c).actor.kind == "system"


def test_only_a_finished_job_is_counted(monkeypatch: Any) -> None:
    counted: list[str] = []
    monkeypatch.setattr(jobs.metrics, "add_metric", lambda **k: counted.append(k["name"]))
    job = jobs.JobMessage(what="import", tenant=Stage().tenant, job_id="imp_1")
    jobs.finished(job, "paused", metric="ImportsDone")
    jobs.finished(job, "done", metric="ImportsDone")
    jobs.finished(job, "done")
    assert counted == ["ImportsDone"]
