"""The engine interface and the values that cross it.

An engine has one method, ``complete``: it takes a ``Request`` (chat messages in OpenAI's shape,
an optional JSON schema for the answer, and the structured ``Task`` behind the messages) and
returns a ``Completion``. LLM engines read the messages; the offline extractive engine reads the
task and answers with JSON in the same schema, so the core parses and checks every engine's
answer by the same code.

What an engine can do is declared on the class (``can_stream``, ``supports_schema``,
``reads_prompt``), never discovered by trying. Engines raise only ``summbot.errors`` exceptions.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

if TYPE_CHECKING:
    from ..article import Article

TaskKind = Literal["summary", "map", "reduce", "answer"]
OnText = Callable[[str], None]


@dataclass
class Task:
    """What the request asks, in structured form, for engines that do not read prompts."""

    kind: TaskKind
    article: Article
    length: str = "medium"
    points: int = 5
    question: str | None = None
    #: The sentence ids in play (a chunk for ``map``; the retrieved passages for ``answer``).
    sentence_ids: list[str] | None = None
    #: Earlier turns of a Q&A conversation, oldest first: (question, answer) pairs.
    history: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Request:
    """One call to an engine."""

    messages: list[dict[str, str]]
    task: Task
    #: JSON schema the answer must follow, as ``{"name": ..., "schema": {...}}``, or None for text.
    schema: dict[str, Any] | None = None
    max_output_tokens: int = 1024
    temperature: float | None = 0.0
    stream: bool = False


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.requests + other.requests,
        )

    def to_dict(self) -> dict[str, int]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "requests": self.requests,
        }


@dataclass
class Completion:
    """An engine's answer: the text (JSON text when the request had a schema) and its cost."""

    text: str
    model: str
    usage: Usage = field(default_factory=Usage)
    finish_reason: str | None = "stop"


class Engine(ABC):
    """Turns a ``Request`` into a ``Completion``."""

    #: Short name shown to users (``openai``, ``extractive``, ``replay``).
    name: ClassVar[str] = "engine"
    #: Can deliver text as it is generated through ``on_text``.
    can_stream: ClassVar[bool] = False
    #: Can be asked to answer in a JSON schema.
    supports_schema: ClassVar[bool] = False
    #: Reads ``request.messages`` (an LLM); False for engines that work from ``request.task``.
    reads_prompt: ClassVar[bool] = True

    #: The model that answers, as shown to users.
    model: str = ""
    #: Tokens the model can read and write in one request; None means no limit (offline).
    context_window: int | None = None

    @abstractmethod
    def complete(self, request: Request, on_text: OnText | None = None) -> Completion:
        """Answer one request; call ``on_text`` with pieces of text as they arrive, if streaming."""


class EngineWrapper(Engine):
    """Stands in for ``inner``: the same name, capabilities, model and context window, so the
    core cannot tell the difference. Subclasses add behaviour around ``complete``."""

    def __init__(self, inner: Engine) -> None:
        self.inner = inner
        self.name = inner.name  # type: ignore[misc]
        self.reads_prompt = inner.reads_prompt  # type: ignore[misc]
        self.supports_schema = inner.supports_schema  # type: ignore[misc]
        self.can_stream = inner.can_stream  # type: ignore[misc]
        self.model = inner.model
        self.context_window = inner.context_window

    def complete(self, request: Request, on_text: OnText | None = None) -> Completion:
        return self.inner.complete(request, on_text)
