"""Module-level Logger and Metrics (Powertools); the X-Ray tracer only when tracing is on.

The tenant goes into log keys and metric metadata, never into metric dimensions: a
dimension per tenant would make one CloudWatch metric per tenant.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics


class LockedMetrics(Metrics):
    """Powertools' Metrics with each call under one lock. A Lambda process serves one request
    at a time, but `chalice local` (make dev, the benches) serves many at once on threads,
    all adding to and flushing this one module-level set: two at once raised ("dictionary
    changed size during iteration", a flush finding the set another thread had just emptied),
    and the request answered 500 after its change had committed (`bench.contention` saw one
    in 2,831 holds). Under the lock a flush emits whatever the set holds then; counts stay
    counts. Uncontended in Lambda: the cost of taking a free lock."""

    _lock = threading.RLock()

    def add_metric(self, *args: Any, **kwargs: Any) -> None:
        with self._lock:
            super().add_metric(*args, **kwargs)

    def add_metadata(self, *args: Any, **kwargs: Any) -> None:
        with self._lock:
            super().add_metadata(*args, **kwargs)

    def add_dimension(self, *args: Any, **kwargs: Any) -> None:
        with self._lock:
            super().add_dimension(*args, **kwargs)

    def flush_metrics(self, *args: Any, **kwargs: Any) -> None:
        with self._lock:
            super().flush_metrics(*args, **kwargs)


logger = Logger(service="reservoir")
metrics = LockedMetrics(namespace="Reservoir", service="reservoir")


@lru_cache(maxsize=1)
def tracer() -> Any | None:
    """A Tracer when RESERVOIR_TRACING is on; creating one costs ~190 ms of cold start."""
    from chalicelib.settings import get_settings

    if not get_settings().tracing:
        return None
    from aws_lambda_powertools import Tracer

    return Tracer(service="reservoir")
