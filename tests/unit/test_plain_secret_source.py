"""The manage-link key: from Secrets Manager when configured, else the local value."""

from __future__ import annotations

import pytest

from chalicelib.kernel.adapters.secrets import PlainSecretSource
from chalicelib.kernel.domain.errors import TransientFailure


def test_the_local_value_is_used_without_an_arn():
    assert PlainSecretSource("local-value", "").get() == "local-value"


def test_the_secret_is_read_by_arn_when_configured():
    reads = []
    source = PlainSecretSource(
        "ignored",
        "arn:aws:secretsmanager:eu-west-1:1:secret:m",
        get_secret=lambda arn: reads.append(arn) or b"from-aws",
    )
    assert source.get() == "from-aws"
    assert reads == ["arn:aws:secretsmanager:eu-west-1:1:secret:m"]


def test_a_failed_read_is_a_retryable_error():
    def broken(arn):
        raise OSError("unreachable")

    with pytest.raises(TransientFailure):
        PlainSecretSource("", "arn:x", get_secret=broken).get()
