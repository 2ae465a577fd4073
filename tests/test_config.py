"""Settings come from flags, then the environment, then .env, then defaults; keys never show."""

from __future__ import annotations

import pytest

from summbot.config import Secret, make_engine, redact, resolve_settings
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


@pytest.mark.parametrize("url", ["notaurl", "http://[::1", "ftp://example.com/v1", "http://host:99999/v1", "http:///v1"])
def test_a_base_url_that_is_not_an_http_url_is_a_clear_error(url):
    with pytest.raises(ConfigError) as caught:
        resolve_settings(base_url=url, environ={}, dotenv=False)
    assert str(caught.value) == (
        f"base URL {url!r} is not an http(s) URL with a host; give one like "
        "http://localhost:11434/v1 with --base-url or OPENAI_BASE_URL."
    )


def test_credentials_in_a_base_url_are_never_shown():
    url = "https://user:sk-in-url-SECRET@llm.example.com/v1?api-key=SECRET2&x=1"
    settings = resolve_settings(environ={"OPENAI_BASE_URL": url}, dotenv=False)
    assert settings.base_url == url  # still used to connect
    assert settings.engine_notice() == (
        "using the openai engine with model gpt-4.1-mini at https://***@llm.example.com/v1?api-key=***&x=1; "
        "--engine extractive works offline."
    )
    with pytest.raises(ConfigError) as caught:
        resolve_settings(base_url="ftp://user:sk-in-url-SECRET@host/v1", environ={}, dotenv=False)
    assert "SECRET" not in str(caught.value)


def test_redact_hides_url_credentials_inside_any_message():
    message = "Cannot reach the server at https://me:sk-abc@127.0.0.1:9/v1 (connection refused); check it."
    assert redact(message) == "Cannot reach the server at https://***@127.0.0.1:9/v1 (connection refused); check it."


@pytest.mark.parametrize("raw", ["nan", "inf", "-inf"])
def test_a_timeout_that_is_not_a_finite_number_is_a_clear_error(raw):
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ={"SUMMBOT_TIMEOUT": raw}, dotenv=False)
    assert str(caught.value) == f"SUMMBOT_TIMEOUT={raw!r} must be a finite number of seconds; fix it or unset it."
    with pytest.raises(ConfigError) as caught:
        resolve_settings(timeout=float(raw), environ={}, dotenv=False)
    assert str(caught.value) == f"--timeout {float(raw)} must be a finite number of seconds above 0."


def test_quoted_values_in_dotenv_are_unquoted(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text(
        "OPENAI_API_KEY=\"sk-quoted\"\nSUMMBOT_MODEL='gpt-4o-mini'\r\nSUMMBOT_TIMEOUT=\" 5 \"\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    settings = resolve_settings(environ={})
    assert settings.api_key is not None and settings.api_key.reveal() == "sk-quoted"
    assert settings.model == "gpt-4o-mini" and settings.timeout == 5.0


def test_an_undecodable_dotenv_is_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / ".env").write_bytes(b"\xff\xfeOPENAI_API_KEY=x\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ={})
    assert str(caught.value) == (
        f"{tmp_path / '.env'}: cannot read this .env file (not UTF-8 text); fix or remove it."
    )


def test_dotenv_in_a_parent_folder_is_found(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("SUMMBOT_MODEL=from-parent\n", encoding="utf-8")
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a" / "b")
    assert resolve_settings(environ={}).model == "from-parent"


def test_every_documented_variable_is_read(tmp_path):
    settings = resolve_settings(environ={
        "SUMMBOT_ENGINE": "replay", "SUMMBOT_MODEL": "m", "OPENAI_BASE_URL": "http://localhost:8000/v1",
        "SUMMBOT_CONTEXT_WINDOW": "4096", "SUMMBOT_TIMEOUT": "7.5", "SUMMBOT_PROMPTS": "p/",
        "SUMMBOT_CASSETTES": str(tmp_path), "OPENAI_API_KEY": KEY,
    }, dotenv=False)
    assert (settings.engine, settings.model, settings.base_url, settings.context_window, settings.timeout,
            settings.prompts_dir, settings.cassettes) == (
        "replay", "m", "http://localhost:8000/v1", 4096, 7.5, "p/", str(tmp_path))
    assert settings.api_key is not None and settings.api_key.reveal() == KEY
    assert make_engine(settings).context_window == 4096  # replay answers from SUMMBOT_CASSETTES


def test_a_line_dotenv_cannot_parse_is_a_clear_error_naming_it(tmp_path, monkeypatch, capsys):
    (tmp_path / ".env").write_text(f"SUMMBOT_MODEL=m\nOPENAI_API_KEY {KEY}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ={})
    assert str(caught.value) == (
        f"{tmp_path / '.env'}, line 2: cannot read this line; write NAME=value, or start it with # to comment it out."
    )
    assert KEY not in str(caught.value)
    assert capsys.readouterr().err == ""


def test_settings_repr_masks_credentials_in_the_base_url():
    settings = resolve_settings(base_url="https://me:sk-SECRET@llm.example.com/v1", environ={}, dotenv=False)
    assert "SECRET" not in repr(settings)
    assert "base_url='https://***@llm.example.com/v1'" in repr(settings)
