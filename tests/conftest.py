"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakeserver import FakeOpenAIServer


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAIServer]:
    """A running loopback OpenAI-compatible server (see tests/fakeserver.py), stopped after."""
    with FakeOpenAIServer() as server:
        yield server
