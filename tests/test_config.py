"""Settings come from flags, then the environment, then .env, then defaults; keys never show."""

from __future__ import annotations

import pytest

from summbot.config import Secret, make_engine, resolve_settings
from summbot.engines.extractive import ExtractiveEngine
from summbot.errors import ConfigError
from summbot.models import DEFAULT_MODEL

KEY = "sk-test-DO-NOT-PRINT-1234567890"


def test_defaults_pick_the_offline_engine_and_say_how_to_switch():
    settings = resolve_settings(environ={}, dotenv=False)
    assert settings.chosen_engine == "extractive"
    assert settings.model == DEFAULT_MODEL
    assert settings.engine_notice() == (
        "using the offline extractive engine (no OPENAI_API_KEY or OPENAI_BASE_URL set); "
        "set one to use an LLM, or pass --engine extractive to silence this note."
    )
    assert isinstance(make_engine(settings), ExtractiveEngine)


def test_a_key_in_the_environment_makes_auto_use_the_llm():
    settings = resolve_settings(environ={"OPENAI_API_KEY": KEY, "SUMMBOT_MODEL": "gpt-4o"}, dotenv=False)
    assert settings.chosen_engine == "openai"
    assert settings.model == "gpt-4o"
    assert KEY not in settings.engine_notice()


def test_a_base_url_alone_is_enough_for_local_servers():
    settings = resolve_settings(environ={"OPENAI_BASE_URL": "http://127.0.0.1:11434/v1"}, dotenv=False)
    assert settings.chosen_engine == "openai"
    assert "http://127.0.0.1:11434/v1" in settings.engine_notice()


def test_flags_beat_the_environment():
    settings = resolve_settings(
        engine="extractive", model="m-flag", environ={"SUMMBOT_ENGINE": "openai", "SUMMBOT_MODEL": "m-env"}, dotenv=False
    )
    assert (settings.engine, settings.model) == ("extractive", "m-flag")
    assert settings.engine_notice() is None


def test_the_environment_beats_dotenv(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text(f"OPENAI_API_KEY={KEY}\nSUMMBOT_MODEL=from-dotenv\nSUMMBOT_TIMEOUT=5\n")
    monkeypatch.chdir(tmp_path)
    settings = resolve_settings(environ={"SUMMBOT_MODEL": "from-env"})
    assert settings.model == "from-env"
    assert settings.api_key.reveal() == KEY
    assert settings.timeout == 5.0


def test_the_key_never_shows_in_settings_repr():
    settings = resolve_settings(environ={"OPENAI_API_KEY": KEY}, dotenv=False)
    assert KEY not in repr(settings) and KEY not in str(settings.api_key) and KEY not in f"{settings.api_key}"


def test_openai_without_key_or_base_url_is_a_clear_error():
    with pytest.raises(ConfigError) as error:
        make_engine(resolve_settings(engine="openai", environ={}, dotenv=False))
    assert str(error.value) == (
        "No API key: set OPENAI_API_KEY (or put it in .env), or use --engine extractive to work offline."
    )
    assert error.value.exit_code == 12


def test_replay_without_cassettes_is_a_clear_error():
    with pytest.raises(ConfigError, match="--engine replay needs recordings: pass --cassettes DIR"):
        make_engine(resolve_settings(engine="replay", environ={}, dotenv=False))


def test_a_bad_number_in_the_environment_is_named():
    with pytest.raises(ConfigError) as error:
        resolve_settings(environ={"SUMMBOT_CONTEXT_WINDOW": "lots"}, dotenv=False)
    assert str(error.value) == "SUMMBOT_CONTEXT_WINDOW='lots' is not a number; fix it or unset it."


def test_an_unknown_engine_is_named():
    with pytest.raises(ConfigError, match="unknown engine 'gpt'; use one of: auto, openai, extractive, replay."):
        resolve_settings(environ={"SUMMBOT_ENGINE": "gpt"}, dotenv=False)


def test_secret_is_falsy_when_empty():
    assert not Secret("") and Secret("x")
