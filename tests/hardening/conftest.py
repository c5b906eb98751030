"""Fixtures of the hardening tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from ckan.lib.redis import connect_to_redis


@pytest.fixture(autouse=True)
def clean_rate_limits() -> Iterator[None]:
    """The feedback rate counters of earlier tests must not refuse this test's messages."""

    def clear() -> None:
        redis = connect_to_redis()
        for key in redis.scan_iter("*:nd47_feedback:rate:*"):
            redis.delete(key)

    clear()
    yield
    clear()
