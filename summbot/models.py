"""What summbot knows about models: context windows, output limits, prices, tokenizers.

The table is small and dated on purpose. Context windows decide whether an article fits in one
request or goes through map-reduce (compatible servers such as Ollama silently truncate long
input, so guessing is not an option); prices feed ``summbot tokens`` and ``batch --dry-run``;
``reasoning`` tells the OpenAI engine to send ``max_completion_tokens`` and no ``temperature``.

Prices are OpenAI's published list prices (standard tier, USD per 1M tokens) as of
``PRICES_AS_OF``; they change, so they can be overridden, and models can be added, with a JSON
file named by the ``SUMMBOT_PRICES`` environment variable::

    {
      "as_of": "2026-11-01",
      "models": {
        "gpt-4.1-mini": {"input": 0.40, "output": 1.60},
        "my-finetune": {"input": 0.30, "output": 1.20, "context_window": 128000,
                        "max_output_tokens": 16384, "reasoning": false,
                        "encoding": "o200k_base"}
      }
    }

Every key of a model entry is optional; entries for known models override only the keys given.
``"as_of"`` (optional) replaces the date shown beside estimates.

Local model families (``llama3.1:8b``, ``qwen2.5:14b``, ``mistral``) carry the context length the
model was trained for and no price. Ollama runs them with a smaller window unless told otherwise
(its ``num_ctx``); tell summbot the real one with ``--context-window``.

Names are matched exactly first, then by the longest known prefix followed by ``-`` or ``:``, so
dated snapshots (``gpt-4o-mini-2024-07-18``) and Ollama tags (``llama3.1:8b``) find their family.
A namespace (``openai/gpt-4o``, ``library/llama3``) is ignored. Unknown models give ``None``;
callers say so rather than guess.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from .errors import ConfigError

#: The date of the built-in prices (list prices as published by OpenAI on that date).
PRICES_AS_OF = "2025-08-07"

#: The model used when none is configured. gpt-4.1-mini: cheap ($0.40 / $1.60 per 1M tokens),
#: fast, a 1M-token context window (long articles fit in one request), strict JSON-schema output,
#: and, unlike the gpt-5 family, not a reasoning model, so ``temperature=0`` is accepted and no
#: hidden reasoning tokens are billed for what is a reading task.
DEFAULT_MODEL = "gpt-4.1-mini"

#: Environment variable naming a JSON file of price overrides (format in the module docstring).
PRICES_ENV = "SUMMBOT_PRICES"


@dataclass(frozen=True)
class ModelInfo:
    """One model (or model family) in the table."""

    name: str
    context_window: int | None
    max_output_tokens: int | None = None
    #: USD per 1M input / output tokens; None when unknown (local models are free to run).
    input_per_million: float | None = None
    output_per_million: float | None = None
    #: Reasoning models want ``max_completion_tokens`` and reject ``temperature``.
    reasoning: bool = False
    #: tiktoken encoding name; None for models with their own tokenizer (local families).
    encoding: str | None = None
    #: Runs locally (Ollama, llama.cpp, vLLM); no price, its own tokenizer.
    local: bool = False

    @property
    def priced(self) -> bool:
        return self.input_per_million is not None


_K = 1024
_OPENAI: tuple[ModelInfo, ...] = (
    ModelInfo("gpt-4o-mini", 128_000, 16_384, 0.15, 0.60, encoding="o200k_base"),
    ModelInfo("gpt-4o", 128_000, 16_384, 2.50, 10.00, encoding="o200k_base"),
    # The first gpt-4o snapshot kept its launch price.
    ModelInfo("gpt-4o-2024-05-13", 128_000, 4_096, 5.00, 15.00, encoding="o200k_base"),
    ModelInfo("gpt-4.1", 1_047_576, 32_768, 2.00, 8.00, encoding="o200k_base"),
    ModelInfo("gpt-4.1-mini", 1_047_576, 32_768, 0.40, 1.60, encoding="o200k_base"),
    ModelInfo("gpt-4.1-nano", 1_047_576, 32_768, 0.10, 0.40, encoding="o200k_base"),
    ModelInfo("o1", 200_000, 100_000, 15.00, 60.00, reasoning=True, encoding="o200k_base"),
    ModelInfo("o1-mini", 128_000, 65_536, 1.10, 4.40, reasoning=True, encoding="o200k_base"),
    ModelInfo("o3", 200_000, 100_000, 2.00, 8.00, reasoning=True, encoding="o200k_base"),
    ModelInfo("o3-mini", 200_000, 100_000, 1.10, 4.40, reasoning=True, encoding="o200k_base"),
    ModelInfo("o4-mini", 200_000, 100_000, 1.10, 4.40, reasoning=True, encoding="o200k_base"),
    ModelInfo("gpt-5", 400_000, 128_000, 1.25, 10.00, reasoning=True, encoding="o200k_base"),
    ModelInfo("gpt-5-mini", 400_000, 128_000, 0.25, 2.00, reasoning=True, encoding="o200k_base"),
    ModelInfo("gpt-5-nano", 400_000, 128_000, 0.05, 0.40, reasoning=True, encoding="o200k_base"),
    # The chat variant behind ChatGPT is not a reasoning model.
    ModelInfo("gpt-5-chat-latest", 128_000, 16_384, 1.25, 10.00, encoding="o200k_base"),
    ModelInfo("gpt-4-turbo", 128_000, 4_096, 10.00, 30.00, encoding="cl100k_base"),
    ModelInfo("gpt-3.5-turbo", 16_385, 4_096, 0.50, 1.50, encoding="cl100k_base"),
)

_LOCAL: tuple[ModelInfo, ...] = tuple(
    ModelInfo(name, window, local=True)
    for name, window in (
        ("llama3", 8 * _K),
        ("llama3.1", 128 * _K),
        ("llama3.2", 128 * _K),
        ("llama3.3", 128 * _K),
        ("llama2", 4 * _K),
        ("qwen", 32 * _K),
        ("qwen2", 32 * _K),
        ("qwen2.5", 32 * _K),
        ("qwen3", 40 * _K),
        ("mistral", 32 * _K),
        ("mistral-nemo", 128 * _K),
        ("mistral-small", 32 * _K),
        ("mixtral", 32 * _K),
        ("gemma2", 8 * _K),
        ("gemma3", 128 * _K),
        ("phi3", 4 * _K),
        ("phi4", 16 * _K),
    )
)

_BUILTIN: dict[str, ModelInfo] = {info.name: info for info in _OPENAI + _LOCAL}


def model_info(model: str | None) -> ModelInfo | None:
    """What the table knows about ``model``, or None for an unknown model.

    Exact names win; otherwise the longest known name that ``model`` starts with, followed by
    ``-`` or ``:`` (``gpt-4o-mini-2024-07-18`` -> ``gpt-4o-mini``, ``llama3.1:8b`` ->
    ``llama3.1``). The result carries the name it was matched under.
    """
    if not model:
        return None
    table = _table()
    name = model.strip().lower().rsplit("/", 1)[-1]
    if name in table:
        return table[name]
    best: ModelInfo | None = None
    for key, info in table.items():
        if (
            name.startswith(key)
            and name[len(key)] in "-:"
            and (best is None or len(key) > len(best.name))
        ):
            best = info
    return best


def estimate_cost(model: str | None, input_tokens: int, output_tokens: int = 0) -> float | None:
    """Estimated USD cost of a request at list price, or None when the price is unknown."""
    info = model_info(model)
    if info is None or info.input_per_million is None:
        return None
    cost = input_tokens * info.input_per_million
    if output_tokens:
        if info.output_per_million is None:
            return None
        cost += output_tokens * info.output_per_million
    return cost / 1_000_000


def prices_as_of() -> str:
    """The date of the prices in use (the override file's ``as_of`` when it gives one)."""
    return _overrides(os.environ.get(PRICES_ENV) or "")[0] or PRICES_AS_OF


def known_models() -> list[ModelInfo]:
    """Every model in the table (with overrides applied), OpenAI models first."""
    return list(_table().values())


def _table() -> dict[str, ModelInfo]:
    _, extra = _overrides(os.environ.get(PRICES_ENV) or "")
    if not extra:
        return _BUILTIN
    table = dict(_BUILTIN)
    table.update(extra)
    return table


_FIELDS = {
    "input": ("input_per_million", (int, float)),
    "output": ("output_per_million", (int, float)),
    "context_window": ("context_window", (int,)),
    "max_output_tokens": ("max_output_tokens", (int,)),
    "reasoning": ("reasoning", (bool,)),
    "encoding": ("encoding", (str,)),
}


_EXPECTED = {
    (int, float): "non-negative number",
    (int,): "positive whole number",
    (bool,): "true/false",
    (str,): "string",
}


def _valid_value(value: Any, types: tuple[type, ...]) -> bool:
    """Prices are finite and not negative (JSON allows NaN and Infinity); windows and output
    limits are whole numbers above zero; a true/false is not a number."""
    if bool not in types and isinstance(value, bool):
        return False
    if types == (int, float):
        return isinstance(value, (int, float)) and math.isfinite(value) and value >= 0
    if types == (int,):
        return isinstance(value, int) and value > 0
    return isinstance(value, types)


@lru_cache(maxsize=8)
def _overrides(path: str) -> tuple[str | None, dict[str, ModelInfo]]:
    """Parse the ``SUMMBOT_PRICES`` file (cached per path: it is read once per process)."""
    if not path:
        return None, {}
    where = f"{PRICES_ENV}={path}"
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{where}: no such file; fix the path or unset {PRICES_ENV}.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(
            f"{where}: cannot read it ({error}); fix it or unset {PRICES_ENV}."
        ) from None
    except json.JSONDecodeError as error:
        raise ConfigError(
            f"{where}: not valid JSON (line {error.lineno}: {error.msg}); fix it or unset {PRICES_ENV}."
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("models", {}), dict):
        raise ConfigError(
            f'{where}: expected {{"as_of": "YYYY-MM-DD", "models": {{"<model>": {{"input": 0.4, '
            f'"output": 1.6}}}}}}; fix the file or unset {PRICES_ENV}.'
        )
    as_of = data.get("as_of")
    if as_of is not None and not isinstance(as_of, str):
        raise ConfigError(f'{where}: "as_of" must be a date string like "2026-11-01".')
    models: dict[str, ModelInfo] = {}
    for raw_name, entry in data.get("models", {}).items():
        name = raw_name.strip().lower()
        if not isinstance(entry, dict):
            raise ConfigError(
                f"{where}: the entry for {raw_name!r} must be an object like "
                '{"input": 0.4, "output": 1.6}.'
            )
        changes: dict[str, Any] = {}
        for key, value in entry.items():
            if key not in _FIELDS:
                raise ConfigError(
                    f"{where}: unknown key {key!r} for {raw_name!r}; use {', '.join(_FIELDS)}."
                )
            field_name, types = _FIELDS[key]
            if value is not None and not _valid_value(value, types):
                raise ConfigError(
                    f"{where}: {raw_name!r} has {key}={value!r}; use a {_EXPECTED[types]}."
                )
            changes[field_name] = value
        base = _BUILTIN.get(name) or ModelInfo(name, None)
        models[name] = replace(base, **changes)
    return as_of, models


__all__ = [
    "DEFAULT_MODEL",
    "PRICES_AS_OF",
    "PRICES_ENV",
    "ModelInfo",
    "estimate_cost",
    "known_models",
    "model_info",
    "prices_as_of",
]
