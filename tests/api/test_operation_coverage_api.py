"""The gate: every operation of the OpenAPI document has an API-tier test that got its success
answer (see operation_coverage.py for how it is computed and when it asserts)."""

from __future__ import annotations

import pytest

from tests.api.operation_coverage import NAME, failure_message, uncovered


def test_every_operation_has_an_api_test_of_its_success_answer(request):
    config = request.config
    if hasattr(config, "workerinput"):
        pytest.skip("under xdist the controller checks this at the end of the session")
    gate = config.pluginmanager.get_plugin(NAME)
    why = gate.why_not_in_full()
    if why is not None:
        pytest.skip(f"the API tier did not run in full: {why}")
    left_out = uncovered(gate.hits)
    assert not left_out, failure_message(left_out)
