"""The JSON shapes engines answer in, as JSON schemas (strict-mode compatible).

Every engine answers a task in the same shape, whether an LLM fills it through structured output
or the offline engine builds it, so one parser and one grounding check serve them all.
"""

from __future__ import annotations

from typing import Any

_POINT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "text": {"type": "string"},
        "sentences": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["text", "sentences"],
    "additionalProperties": False,
}

SUMMARY: dict[str, Any] = {
    "name": "summary",
    "strict": True,
    "schema": {
        "type": "object",
        "properties": {
            "summary": {"type": "string"},
            "key_points": {"type": "array", "items": _POINT},
            "headline_check": {
                "type": "object",
                "properties": {
                    "supported": {"type": ["boolean", "null"]},
                    "note": {"type": "string"},
                },
                "required": ["supported", "note"],
                "additionalProperties": False,
            },
        },
        "required": ["summary", "key_points", "headline_check"],
        "additionalProperties": False,
    },
}

#: Notes on one chunk of a long article (the map step of map-reduce).
NOTES: dict[str, Any] = {
    "name": "notes",
    "strict": True,
    "schema": {
        "type": "object",
        "properties": {"notes": {"type": "array", "items": _POINT}},
        "required": ["notes"],
        "additionalProperties": False,
    },
}

ANSWER: dict[str, Any] = {
    "name": "answer",
    "strict": True,
    "schema": {
        "type": "object",
        "properties": {
            "answer": {"type": "string"},
            "answerable": {"type": "boolean"},
            "citations": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "sentence": {"type": "string"},
                        "quote": {"type": "string"},
                    },
                    "required": ["sentence", "quote"],
                    "additionalProperties": False,
                },
            },
        },
        "required": ["answer", "answerable", "citations"],
        "additionalProperties": False,
    },
}
