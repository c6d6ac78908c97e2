"""Hypothesis settings for the unit tier: fast, and deterministic in CI.

No example database (no failing examples are stored and replayed between runs; hypothesis
still keeps a cache of source constants in `.hypothesis/constants`, which git ignores), no
deadline (a slow CI machine must not fail a correct test), and in CI (`CI=true`) a fixed seed
derived from each test, so a red build is reproducible and a green one does not depend on luck.
HYPOTHESIS_PROFILE=ci (or unit) picks a profile by hand.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "unit",
    database=None,
    deadline=None,
    max_examples=200,
    suppress_health_check=(HealthCheck.too_slow,),
)
settings.register_profile(
    "ci",
    parent=settings.get_profile("unit"),
    max_examples=100,
    derandomize=True,
    print_blob=True,
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() == "true" else "unit")
)
