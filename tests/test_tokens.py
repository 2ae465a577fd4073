"""Token counting: the model's own encoding when it can be had, an honest stand-in otherwise."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator

import pytest

from summbot import tokens
from summbot.tokens import APPROXIMATE, counter_for_model


@pytest.fixture(autouse=True)
def fresh_counters(monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """An empty tiktoken cache, no network, and no counters remembered from other tests."""
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "tiktoken-cache"))
    monkeypatch.setenv("SUMMBOT_OFFLINE", "1")
    tokens._counter.cache_clear()
    tokens._load_own.cache_clear()
    yield
    tokens._counter.cache_clear()
    tokens._load_own.cache_clear()


def test_an_openai_model_without_its_encoding_is_counted_with_the_bundled_cl100k() -> None:
    counter = counter_for_model("gpt-4o-mini")
    assert counter.encoding_name == "cl100k_base (offline fallback for gpt-4o-mini)"
    assert counter.count("Hello world") == 2
    assert not counter.exact


def test_a_cl100k_model_is_counted_exactly_by_the_bundled_copy() -> None:
    counter = counter_for_model("gpt-3.5-turbo")
    assert counter.encoding_name == "cl100k_base"
    assert counter.exact
    assert counter.count("The quick brown fox jumps over the lazy dog.") == 10


def test_no_model_means_the_default_model() -> None:
    assert counter_for_model(None).encoding_name == "cl100k_base (offline fallback for gpt-4.1-mini)"


def test_a_dated_snapshot_finds_its_family_encoding() -> None:
    name = counter_for_model("gpt-4o-mini-2024-07-18").encoding_name
    assert name == "cl100k_base (offline fallback for gpt-4o-mini-2024-07-18)"


def test_a_local_model_is_named_as_an_approximation() -> None:
    counter = counter_for_model("llama3.1:8b")
    assert counter.encoding_name == "cl100k_base (approximation: llama3.1:8b uses its own tokenizer)"


def test_an_unknown_model_says_no_encoding_is_known() -> None:
    counter = counter_for_model("my-own-model")
    assert counter.encoding_name == "cl100k_base (fallback: no known encoding for my-own-model)"


def test_special_token_markers_count_as_plain_text() -> None:
    assert counter_for_model("gpt-3.5-turbo").count("<|endoftext|>") == 7


def test_empty_text_has_no_tokens() -> None:
    assert counter_for_model("gpt-4o").count("") == 0


def test_counters_are_cached_per_model() -> None:
    assert counter_for_model("gpt-4o") is counter_for_model("gpt-4o")


def test_when_no_tiktoken_encoding_loads_it_falls_back_to_four_characters_a_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tokens, "_load_offline", lambda tiktoken: None)
    counter = counter_for_model("gpt-4o")
    assert counter.encoding_name == APPROXIMATE == "approximate (~4 chars/token)"
    assert counter.count("abcdefghi") == 3


def test_offline_mode_never_tries_to_download(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("tried to download")

    monkeypatch.setattr("urllib.request.urlopen", no_network)
    assert counter_for_model("o4-mini").encoding_name == "cl100k_base (offline fallback for o4-mini)"


def test_a_failed_download_is_tried_once_per_encoding_with_a_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SUMMBOT_OFFLINE")
    calls: list[tuple[str, float]] = []

    def unreachable(url: str, timeout: float) -> None:
        calls.append((url, timeout))
        raise OSError("Name or service not known")

    monkeypatch.setattr("urllib.request.urlopen", unreachable)
    assert counter_for_model("gpt-4o").encoding_name == "cl100k_base (offline fallback for gpt-4o)"
    assert counter_for_model("gpt-5-mini").encoding_name == "cl100k_base (offline fallback for gpt-5-mini)"
    assert calls == [("https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken", 5.0)]


def test_a_download_with_the_wrong_hash_is_not_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SUMMBOT_OFFLINE")

    class Response:
        def __enter__(self) -> Response:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def read(self) -> bytes:
            return b"not an encoding"

    monkeypatch.setattr("urllib.request.urlopen", lambda url, timeout: Response())
    assert counter_for_model("gpt-4o").encoding_name == "cl100k_base (offline fallback for gpt-4o)"
    url = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"
    cached = os.path.join(os.environ["TIKTOKEN_CACHE_DIR"], hashlib.sha1(url.encode()).hexdigest())
    assert not os.path.exists(cached)


def test_a_damaged_cache_file_is_not_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    cache = os.environ["TIKTOKEN_CACHE_DIR"]
    os.makedirs(cache)
    url = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"
    damaged = os.path.join(cache, hashlib.sha1(url.encode()).hexdigest())
    with open(damaged, "wb") as handle:
        handle.write(b"truncated")
    assert counter_for_model("gpt-4o").encoding_name == "cl100k_base (offline fallback for gpt-4o)"


def test_a_disabled_tiktoken_cache_means_no_download_attempt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SUMMBOT_OFFLINE")
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "")

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("tried to download")

    monkeypatch.setattr("urllib.request.urlopen", no_network)
    assert counter_for_model("gpt-4o").encoding_name == "cl100k_base (offline fallback for gpt-4o)"
