"""Settings: flags first, then the environment, then a ``.env`` file, then defaults.

``resolve_settings`` gathers them; ``make_engine`` builds the engine they describe. The API key is
held in a ``Secret`` whose repr and str never show it, so settings can be logged or shown in an
error without leaking it.

Environment variables (also read from ``.env`` in the current folder or its parents):

==========================  ==============================================================
``OPENAI_API_KEY``           key for OpenAI or a compatible server
``OPENAI_BASE_URL``          base URL of an OpenAI-compatible server (Ollama, vLLM, ...)
``SUMMBOT_ENGINE``           ``auto`` (default), ``openai``, ``extractive`` or ``replay``
``SUMMBOT_MODEL``            the model (default: ``summbot.models.DEFAULT_MODEL``)
``SUMMBOT_CONTEXT_WINDOW``   the model's context window in tokens, when the table is wrong
``SUMMBOT_TIMEOUT``          seconds to wait for the model (default 60)
``SUMMBOT_PROMPTS``          a folder of prompt templates overriding the built-in ones
``SUMMBOT_CASSETTES``        the folder of recordings for ``--engine replay``
==========================  ==============================================================
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from .engines.base import Engine
from .errors import ConfigError
from .redaction import redact  # re-exported: callers and tests import it from here

ENGINES = ("auto", "openai", "extractive", "replay")
DEFAULT_TIMEOUT = 60.0


class Secret:
    """A string that never shows itself in repr, str or f-strings."""

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass(frozen=True, repr=False)
class Settings:
    engine: str
    model: str
    api_key: Secret | None
    base_url: str | None
    timeout: float
    context_window: int | None
    prompts_dir: str | None
    cassettes: str | None
    record: str | None
    #: Whether the model was chosen by a flag or the environment rather than by default.
    model_chosen: bool = True

    def __repr__(self) -> str:
        # The key is a Secret; a base URL may carry one too (https://user:sk-...@host).
        shown = {f.name: getattr(self, f.name) for f in fields(self)}
        if self.base_url:
            shown["base_url"] = redact(self.base_url)
        return f"Settings({', '.join(f'{k}={v!r}' for k, v in shown.items())})"

    @property
    def chosen_engine(self) -> str:
        """The engine ``auto`` resolves to: the LLM when a key or base URL is set."""
        if self.engine != "auto":
            return self.engine
        return "openai" if (self.api_key or self.base_url) else "extractive"

    def engine_notice(self) -> str | None:
        """What to tell the user on stderr about the engine ``auto`` picked, if anything."""
        if self.engine != "auto":
            return None
        if self.chosen_engine == "extractive":
            return (
                "using the offline extractive engine (no OPENAI_API_KEY or OPENAI_BASE_URL set); "
                "set one to use an LLM, or pass --engine extractive to silence this note."
            )
        where = redact(self.base_url) if self.base_url else "api.openai.com"
        return f"using the openai engine with model {self.model} at {where}; --engine extractive works offline."


def _environment(environ: Mapping[str, str] | None, dotenv: bool) -> dict[str, str]:
    merged: dict[str, str] = {}
    if dotenv:
        from dotenv import find_dotenv

        path = find_dotenv(usecwd=True)
        if path:
            merged.update(_read_dotenv(path))
    merged.update(os.environ if environ is None else environ)
    return merged


def _read_dotenv(path: str) -> dict[str, str]:
    """The variables in the ``.env`` file at ``path``. A line python-dotenv cannot parse is a
    ``ConfigError`` naming it, rather than a stray log line on stderr and a silently unset key."""
    import io

    from dotenv import dotenv_values
    from dotenv.parser import parse_stream

    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: cannot read this .env file (not UTF-8 text); fix or remove it.") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read this .env file ({error.strerror}); fix or remove it.") from None
    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            raise ConfigError(
                f"{path}, line {binding.original.line}: cannot read this line; write NAME=value, "
                "or start it with # to comment it out."
            )
    return {k: v for k, v in dotenv_values(stream=io.StringIO(text)).items() if v is not None}


def setting(name: str) -> str | None:
    """One variable from the environment, else ``.env``: for commands that build no engine
    (``summbot prompts``) but must agree with those that do."""
    return _environment(None, True).get(name) or None


def resolve_settings(
    *,
    engine: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    timeout: float | None = None,
    context_window: int | None = None,
    prompts_dir: str | None = None,
    cassettes: str | None = None,
    record: str | None = None,
    environ: Mapping[str, str] | None = None,
    dotenv: bool = True,
) -> Settings:
    """Settings from flags (the arguments), then the environment, then ``.env``, then defaults."""
    from .models import DEFAULT_MODEL

    env = _environment(environ, dotenv)
    engine = engine or env.get("SUMMBOT_ENGINE") or "auto"
    if engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}; use one of: {', '.join(ENGINES)}.")
    key = env.get("OPENAI_API_KEY") or None
    chosen_model = model or env.get("SUMMBOT_MODEL") or None
    chosen_url = base_url or env.get("OPENAI_BASE_URL") or None
    if chosen_url is not None:
        _check_url(chosen_url)
    if timeout is not None and not (math.isfinite(timeout) and timeout > 0):
        raise ConfigError(f"--timeout {timeout} must be a finite number of seconds above 0.")
    return Settings(
        engine=engine,
        model=chosen_model or DEFAULT_MODEL,
        model_chosen=chosen_model is not None,
        api_key=Secret(key) if key else None,
        base_url=chosen_url,
        timeout=timeout if timeout is not None else _number(env, "SUMMBOT_TIMEOUT", float, DEFAULT_TIMEOUT),
        context_window=context_window or _number(env, "SUMMBOT_CONTEXT_WINDOW", int, None),
        prompts_dir=prompts_dir or env.get("SUMMBOT_PROMPTS") or None,
        cassettes=cassettes or env.get("SUMMBOT_CASSETTES") or None,
        record=record,
    )


def _number(env: Mapping[str, str], name: str, kind: type, default):  # type: ignore[no-untyped-def]
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number; fix it or unset it.") from None
    if not math.isfinite(value):
        raise ConfigError(f"{name}={raw!r} must be a finite number of seconds; fix it or unset it.")
    if value <= 0:
        raise ConfigError(f"{name}={raw!r} must be positive; fix it or unset it.")
    return value


def _check_url(url: str) -> None:
    """A base URL must be http(s) with a host; the SDK would otherwise fail deep inside with a
    traceback, or retry a hopeless address four times."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        valid = False
    if not valid:
        raise ConfigError(
            f"base URL {redact(url)!r} is not an http(s) URL with a host; give one like "
            "http://localhost:11434/v1 with --base-url or OPENAI_BASE_URL."
        )


def make_engine(settings: Settings) -> Engine:
    """The engine ``settings`` describe; LLM engines import ``openai`` only here."""
    chosen = settings.chosen_engine
    if chosen == "extractive":
        if settings.record:
            raise ConfigError("--record needs an LLM engine; use --engine openai with a key or base URL.")
        from .engines.extractive import ExtractiveEngine

        return ExtractiveEngine()
    if chosen == "replay":
        if not settings.cassettes:
            raise ConfigError(
                "--engine replay needs recordings: pass --cassettes DIR or set SUMMBOT_CASSETTES."
            )
        if not Path(settings.cassettes).is_dir():
            raise ConfigError(f"{settings.cassettes}: no such cassettes folder; check --cassettes.")
        from .engines.replay import ReplayEngine

        # Without a chosen model, replay answers as the model the cassettes were made with.
        replay = ReplayEngine(settings.cassettes, model=settings.model if settings.model_chosen else None)
        if settings.context_window:
            replay.context_window = settings.context_window
        return replay
    if not settings.api_key and not settings.base_url:
        raise ConfigError(
            "No API key: set OPENAI_API_KEY (or put it in .env), or use --engine extractive to work offline."
        )
    from .engines.openai import OpenAIEngine

    engine: Engine = OpenAIEngine(
        settings.model,
        api_key=settings.api_key.reveal() if settings.api_key else None,
        base_url=settings.base_url,
        timeout=settings.timeout,
        context_window=settings.context_window,
    )
    if settings.record:
        from .engines.replay import RecordingEngine

        engine = RecordingEngine(engine, settings.record)  # type: ignore[arg-type]
    return engine
