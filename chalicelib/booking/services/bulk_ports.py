"""Bulk jobs in a tenant's table: the job (its ids, its status) and one result per order."""

from __future__ import annotations

from abc import ABC, abstractmethod

from chalicelib.booking.domain.bulk import BulkJob, BulkResult, JobStatus


class BulkJobStore(ABC):
    @abstractmethod
    def create(self, job: BulkJob) -> None:
        """Write a new job (Conflict `job_exists` for an id taken)."""

    @abstractmethod
    def get(self, job_id: str) -> BulkJob | None: ...

    @abstractmethod
    def set_status(self, job_id: str, status: JobStatus, *, at: str | None = None) -> None:
        """The job's status (and, done, when it finished)."""

    @abstractmethod
    def claim(self, job_id: str, *, now: str, until: str) -> bool:
        """Take the job for one worker until `until`, unless another holds it past `now`."""

    @abstractmethod
    def let_go(self, job_id: str, *, now: str) -> None:
        """Give the claim up (the job is done, or its rest was sent on)."""

    @abstractmethod
    def nudge(self, job_id: str, *, now: str, seen: str | None) -> bool:
        """Record that a reader sends the job again, unless another did since `seen`."""

    @abstractmethod
    def put_result(self, job_id: str, result: BulkResult) -> bool:
        """Record an order's result unless it has one: False when it had (a retried job)."""

    @abstractmethod
    def results(self, job_id: str) -> list[BulkResult]:
        """Every result so far, by order id (one Query)."""
