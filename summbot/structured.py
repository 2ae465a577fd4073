"""Ask an engine for a JSON answer in a schema, parse it, and repair it once if it is broken.

Models wrap JSON in code fences, add prose around it, or cut it off. This module finds the JSON
object, checks its shape with a small validator, and on failure asks the model once to repair
its own answer. A second failure is an ``InvalidModelOutput`` naming what was wrong.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .engines.base import Engine, OnText, Request, Task, Usage
from .errors import InvalidModelOutput

_FENCE = re.compile(r"^```(?:json|JSON)?\s*\n?(.*?)\n?```\s*$", re.DOTALL)


class ShapeError(ValueError):
    """The JSON parsed but does not have the schema's shape."""


def extract_json(text: str) -> dict[str, Any]:
    """The JSON object in a model's answer (fences and surrounding prose tolerated)."""
    stripped = text.strip()
    fenced = _FENCE.match(stripped)
    if fenced:
        stripped = fenced.group(1).strip()
    try:
        value = json.loads(stripped)
    except json.JSONDecodeError as error:
        start = stripped.find("{")
        if start < 0:
            raise ShapeError(f"no JSON object found ({error.msg})") from None
        try:
            value, _ = json.JSONDecoder().raw_decode(stripped[start:])
        except json.JSONDecodeError as inner:
            raise ShapeError(f"invalid JSON: {inner.msg} at character {inner.pos}") from None
    if not isinstance(value, dict):
        raise ShapeError(f"expected a JSON object, got {type(value).__name__}")
    return value


def validate(value: Any, schema: dict[str, Any], path: str = "$") -> None:
    """Check ``value`` against the subset of JSON schema that summbot's schemas use."""
    kind = schema.get("type")
    kinds: list[str] = kind if isinstance(kind, list) else [kind] if kind else []
    checks = {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    }
    if kinds and not any(checks[k](value) for k in kinds):
        raise ShapeError(f"{path} should be {' or '.join(kinds)}")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                raise ShapeError(f"{path} is missing {name!r}")
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                validate(value[name], sub, f"{path}.{name}")
    elif isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            validate(item, schema["items"], f"{path}[{index}]")


def request_json(
    engine: Engine,
    messages: list[dict[str, str]],
    task: Task,
    schema: dict[str, Any],
    *,
    max_output_tokens: int,
    on_text: OnText | None = None,
    normalise: Any = None,
) -> tuple[dict[str, Any], Usage, str]:
    """Ask ``engine`` for JSON in ``schema``; returns (value, usage, model).

    ``normalise`` may tidy the parsed value (e.g. sentence ids) before validation.
    """
    request = Request(
        messages=messages,
        task=task,
        schema=schema,
        max_output_tokens=max_output_tokens,
        stream=on_text is not None and engine.can_stream,
    )
    completion = engine.complete(request, on_text if request.stream else None)
    usage = completion.usage
    try:
        return _parse(completion.text, schema, normalise), usage, completion.model
    except ShapeError as error:
        if completion.finish_reason == "length":
            raise InvalidModelOutput(
                f"the model's answer was cut off at {max_output_tokens} tokens before its JSON "
                "was complete; try --length short or a model with a larger output limit."
            ) from None
        problem = str(error)
    repair = Request(
        messages=[
            *messages,
            {"role": "assistant", "content": completion.text},
            {
                "role": "user",
                "content": f"That answer was not valid JSON for the required schema ({problem}). "
                "Reply with only the corrected JSON object, nothing else.",
            },
        ],
        task=task,
        schema=schema,
        max_output_tokens=max_output_tokens,
    )
    repaired = engine.complete(repair)
    usage = usage + repaired.usage
    try:
        return _parse(repaired.text, schema, normalise), usage, repaired.model
    except ShapeError as error:
        raise InvalidModelOutput(
            f"the model did not return valid JSON, even after one repair request ({error}); "
            "try again, or use a model that supports structured output."
        ) from None


def _parse(text: str, schema: dict[str, Any], normalise: Any) -> dict[str, Any]:
    value = extract_json(text)
    if normalise is not None:
        value = normalise(value)
    validate(value, schema["schema"])
    return value


_ID_TEXT = re.compile(r"^\[?\s*[Ss]?\s*(\d+)\s*\]?$")
_ID_SEPARATOR = re.compile(r"[\s,;]+")


def normalise_ids(ids: Any) -> list[str]:
    """Sentence ids as ``S<n>`` strings, from what models write (``"S3"``, ``"s3"``, ``3``,
    ``"[S3]"``, ``"S2, S3"``); anything else is kept as written so the grounding check can report it."""
    if isinstance(ids, (str, int)):
        ids = [ids]
    if not isinstance(ids, list):
        return []
    out: list[str] = []
    for item in ids:
        text = str(item).strip()
        parts = [p for p in _ID_SEPARATOR.split(text) if p]
        # "S2, S3" is two ids in one string; anything else that does not parse stays whole.
        if len(parts) > 1 and all(_ID_TEXT.match(p) for p in parts):
            pieces = parts
        else:
            pieces = [text]
        for piece in pieces:
            match = _ID_TEXT.match(piece)
            sid = f"S{int(match.group(1))}" if match else piece
            if sid not in out:
                out.append(sid)
    return out


_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def partial_string_field(buffer: str, key: str) -> str:
    """The value of string field ``key`` in a JSON object still being streamed, as far as it
    has arrived (escapes decoded; an escape cut in half waits for the next piece)."""
    marker = buffer.find(f'"{key}"')
    if marker < 0:
        return ""
    index = buffer.find(":", marker + len(key) + 2)
    if index < 0:
        return ""
    index += 1
    while index < len(buffer) and buffer[index] in " \t\r\n":
        index += 1
    if index >= len(buffer) or buffer[index] != '"':
        return ""
    out: list[str] = []
    index += 1
    while index < len(buffer):
        char = buffer[index]
        if char == '"':
            break
        if char == "\\":
            if index + 1 >= len(buffer):
                break
            code = buffer[index + 1]
            if code == "u":
                digits = buffer[index + 2 : index + 6]
                if len(digits) < 4:
                    break
                try:
                    out.append(chr(int(digits, 16)))
                except ValueError:
                    pass
                index += 6
                continue
            out.append(_ESCAPES.get(code, code))
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)
