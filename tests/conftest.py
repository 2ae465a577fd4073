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


@pytest.fixture(autouse=True, scope="session")
def _hermetic_token_counts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Token counts never depend on the network or on a tiktoken cache left on the machine.

    Without this, a developer whose cache holds ``o200k_base`` gets other counts (and chunk
    plans) than CI, and a machine whose network silently drops packets waits for a download.
    """
    patch = pytest.MonkeyPatch()
    patch.setenv("SUMMBOT_OFFLINE", "1")
    patch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path_factory.mktemp("tiktoken-cache")))
    yield
    patch.undo()
