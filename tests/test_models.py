"""The model table: windows, reasoning flags, dated prices, and the user's overrides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summbot.errors import ConfigError
from summbot.models import (
    DEFAULT_MODEL,
    PRICES_AS_OF,
    estimate_cost,
    known_models,
    model_info,
    prices_as_of,
)


@pytest.fixture(autouse=True)
def no_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SUMMBOT_PRICES", raising=False)


def test_the_default_model_is_in_the_table_and_not_a_reasoning_model() -> None:
    info = model_info(DEFAULT_MODEL)
    assert info is not None and info.name == "gpt-4.1-mini"
    assert (info.context_window, info.reasoning, info.encoding) == (1_047_576, False, "o200k_base")


@pytest.mark.parametrize(
    ("model", "family"),
    [
        ("gpt-4o-mini", "gpt-4o-mini"),
        ("gpt-4o-mini-2024-07-18", "gpt-4o-mini"),
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("gpt-4o-2024-05-13", "gpt-4o-2024-05-13"),
        ("GPT-4.1-nano", "gpt-4.1-nano"),
        ("gpt-4.1-2025-04-14", "gpt-4.1"),
        ("o3-mini-2025-01-31", "o3-mini"),
        ("gpt-5-nano-2025-08-07", "gpt-5-nano"),
        ("openai/gpt-5-mini", "gpt-5-mini"),
        ("llama3.1:8b", "llama3.1"),
        ("llama3:70b-instruct", "llama3"),
        ("qwen2.5-coder:7b", "qwen2.5"),
        ("mistral-nemo:12b", "mistral-nemo"),
        ("mistral", "mistral"),
    ],
)
def test_dated_snapshots_and_tags_find_their_family(model: str, family: str) -> None:
    info = model_info(model)
    assert info is not None and info.name == family


@pytest.mark.parametrize("model", ["gpt-5.1", "gpt-4omni", "llama", "claude-3", "", None])
def test_unknown_models_are_none_rather_than_a_guess(model: str | None) -> None:
    assert model_info(model) is None


def test_reasoning_models_are_flagged() -> None:
    flagged = {info.name for info in known_models() if info.reasoning}
    assert flagged == {
        "o1",
        "o1-mini",
        "o3",
        "o3-mini",
        "o4-mini",
        "gpt-5",
        "gpt-5-mini",
        "gpt-5-nano",
    }


def test_local_models_have_a_window_but_no_price() -> None:
    info = model_info("llama3.1:8b")
    assert info is not None
    assert (info.context_window, info.input_per_million, info.local, info.encoding) == (
        131072,
        None,
        True,
        None,
    )
    assert estimate_cost("llama3.1:8b", 1000) is None


def test_cost_is_list_price_per_million_tokens() -> None:
    assert estimate_cost("gpt-4.1-mini", 1_000_000) == pytest.approx(0.40)
    assert estimate_cost("gpt-4o-mini", 1_000, 500) == pytest.approx(0.00045)
    assert estimate_cost("gpt-5", 2_000, 1_000) == pytest.approx(0.0125)


def test_cost_of_an_unknown_model_is_none() -> None:
    assert estimate_cost("my-model", 1_000) is None


def test_the_price_date_is_the_built_in_one_without_overrides() -> None:
    assert prices_as_of() == PRICES_AS_OF == "2025-08-07"


def _prices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: object) -> Path:
    path = tmp_path / "prices.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("SUMMBOT_PRICES", str(path))
    return path


def test_a_prices_file_overrides_a_price_and_the_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _prices(
        tmp_path, monkeypatch, {"as_of": "2026-11-01", "models": {"gpt-4.1-mini": {"input": 0.5}}}
    )
    info = model_info("gpt-4.1-mini-2025-04-14")
    assert info is not None
    assert (info.input_per_million, info.output_per_million, info.context_window) == (
        0.5,
        1.6,
        1_047_576,
    )
    assert estimate_cost("gpt-4.1-mini", 1_000_000) == pytest.approx(0.5)
    assert prices_as_of() == "2026-11-01"


def test_a_prices_file_adds_a_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _prices(
        tmp_path,
        monkeypatch,
        {
            "models": {
                "My-Finetune": {
                    "input": 1,
                    "output": 2,
                    "context_window": 32000,
                    "reasoning": True,
                    "encoding": "o200k_base",
                }
            }
        },
    )
    info = model_info("my-finetune")
    assert info is not None
    assert (info.input_per_million, info.context_window, info.reasoning) == (1, 32000, True)
    assert prices_as_of() == PRICES_AS_OF


def test_a_missing_prices_file_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "nope.json"
    monkeypatch.setenv("SUMMBOT_PRICES", str(missing))
    with pytest.raises(ConfigError) as error:
        model_info("gpt-4o")
    assert (
        str(error.value)
        == f"SUMMBOT_PRICES={missing}: no such file; fix the path or unset SUMMBOT_PRICES."
    )
    assert error.value.exit_code == 12


def test_a_prices_file_that_is_not_json_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _prices(tmp_path, monkeypatch, "{not json")
    with pytest.raises(ConfigError) as error:
        estimate_cost("gpt-4o", 10)
    assert str(error.value) == (
        f"SUMMBOT_PRICES={path}: not valid JSON (line 1: Expecting property name enclosed in "
        "double quotes); fix it or unset SUMMBOT_PRICES."
    )


def test_a_bad_price_names_the_model_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _prices(tmp_path, monkeypatch, {"models": {"gpt-4o": {"input": "cheap"}}})
    with pytest.raises(ConfigError) as error:
        model_info("gpt-4o")
    assert str(error.value) == (
        f"SUMMBOT_PRICES={path}: 'gpt-4o' has input='cheap'; use a non-negative number."
    )


def test_an_unknown_key_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _prices(tmp_path, monkeypatch, {"models": {"gpt-4o": {"prompt": 1}}})
    with pytest.raises(ConfigError) as error:
        model_info("gpt-4o")
    assert str(error.value) == (
        f"SUMMBOT_PRICES={path}: unknown key 'prompt' for 'gpt-4o'; use input, output, "
        "context_window, max_output_tokens, reasoning, encoding."
    )


@pytest.mark.parametrize("raw", ["NaN", "Infinity"])
def test_a_price_that_is_not_a_finite_number_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    # json.load accepts NaN and Infinity; a NaN cost then reached the JSON output as NaN.
    path = tmp_path / "prices.json"
    path.write_text('{"models": {"gpt-4o": {"input": %s}}}' % raw)
    monkeypatch.setenv("SUMMBOT_PRICES", str(path))
    with pytest.raises(ConfigError) as error:
        model_info("gpt-4o")
    value = float(raw)
    assert str(error.value) == (
        f"SUMMBOT_PRICES={path}: 'gpt-4o' has input={value!r}; use a non-negative number."
    )


@pytest.mark.parametrize("key", ["context_window", "max_output_tokens"])
def test_a_window_or_output_limit_of_zero_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    path = _prices(tmp_path, monkeypatch, {"models": {"gpt-4o": {key: 0}}})
    with pytest.raises(ConfigError) as error:
        model_info("gpt-4o")
    assert str(error.value) == (
        f"SUMMBOT_PRICES={path}: 'gpt-4o' has {key}=0; use a positive whole number."
    )
