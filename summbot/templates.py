"""Find, load and render the prompt templates in ``prompts/``.

Templates are plain text files shipped inside the wheel as the ``summbot.prompts`` package and
read with ``importlib.resources``. A user overrides them one file at a time: a folder given by
``--prompts DIR`` or ``SUMMBOT_PROMPTS`` is searched first, the shipped templates after it.

A template holds no logic. It has a system part and a user part, separated by a line
``--- user ---`` (the part before it, after an optional ``--- system ---`` line, is the system
message), and ``$name`` placeholders filled by ``string.Template``; a placeholder the caller does
not supply is a ``PromptError`` naming it. ``$$`` is a literal dollar sign.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

from .errors import PromptError

TEMPLATE_NAMES = ("summary", "map", "reduce", "answer")
_SUFFIX = ".txt"
_USER_MARK = re.compile(r"^--- user ---[ \t]*\n", re.MULTILINE)
_SYSTEM_MARK = re.compile(r"\A--- system ---[ \t]*\n")
#: The placeholder that carries each template's data; an override without it sends nothing.
_DATA = {"summary": "article", "map": "article", "reduce": "notes", "answer": "article"}


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    system: str
    user: str
    origin: str  # "built-in" or the override's path

    @property
    def digest(self) -> str:
        """A short hash of the template text, for cache keys."""
        return hashlib.sha256((self.system + "\0" + self.user).encode()).hexdigest()[:16]

    def render(self, **values: str) -> list[dict[str, str]]:
        """Chat messages with the placeholders filled; a missing value is a ``PromptError``."""
        data = _DATA.get(self.name)
        if data is not None and data in values and not _uses(self.system + self.user, data):
            raise PromptError(
                f"prompt template {self.name!r} ({self.origin}) never uses ${data}, so the model "
                f"would not see it; put ${data} where it belongs."
            )
        messages = []
        for role, text in (("system", self.system), ("user", self.user)):
            if not text.strip():
                continue
            try:
                content = Template(text).substitute(values)
            except KeyError as error:
                raise PromptError(
                    f"prompt template {self.name!r} ({self.origin}) uses ${error.args[0]}, "
                    f"which summbot does not provide; available: "
                    f"{', '.join('$' + k for k in sorted(values))}."
                ) from None
            except ValueError as error:
                raise PromptError(
                    f"prompt template {self.name!r} ({self.origin}) is malformed: {error}; "
                    "write a literal dollar sign as $$."
                ) from None
            messages.append({"role": role, "content": content.strip()})
        return messages


def _uses(text: str, name: str) -> bool:
    """Whether ``text`` has the placeholder ``$name`` or ``${name}`` (``$$name`` is literal)."""
    return any(
        (m.group("named") or m.group("braced")) == name for m in Template.pattern.finditer(text)
    )


def parse_template(name: str, text: str, origin: str) -> PromptTemplate:
    text = _SYSTEM_MARK.sub("", text.replace("\r\n", "\n"), count=1)
    parts = _USER_MARK.split(text, maxsplit=1)
    if len(parts) != 2:
        raise PromptError(
            f"prompt template {name!r} ({origin}) has no '--- user ---' line; "
            "put one before the user message."
        )
    return PromptTemplate(name, parts[0].strip() + "\n", parts[1].strip() + "\n", origin)


def _builtin_text(filename: str) -> str | None:
    try:
        folder = resources.files("summbot.prompts")
    except ModuleNotFoundError:  # pragma: no cover - a bare source tree without installation
        import summbot

        folder = Path(summbot.__file__).resolve().parent.parent / "prompts"  # type: ignore[assignment]
    entry = folder / filename
    return entry.read_text(encoding="utf-8") if entry.is_file() else None


class Prompts:
    """The templates in effect: overrides from ``directory`` first, then the built-in ones."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = Path(directory) if directory else None
        if self.directory is not None and not self.directory.is_dir():
            raise PromptError(
                f"{self.directory}: the prompts folder does not exist; "
                "check --prompts or SUMMBOT_PROMPTS."
            )
        self._cache: dict[str, PromptTemplate] = {}

    def get(self, name: str) -> PromptTemplate:
        if name not in self._cache:
            self._cache[name] = self._load(name)
        return self._cache[name]

    def _load(self, name: str) -> PromptTemplate:
        filename = name + _SUFFIX
        if self.directory is not None:
            path = self.directory / filename
            if path.is_file():
                try:
                    text = path.read_text(encoding="utf-8-sig")  # Notepad writes a BOM
                except (OSError, UnicodeDecodeError) as error:
                    raise PromptError(f"{path}: cannot read the template ({error}).") from None
                return parse_template(name, text, str(path))
        builtin = _builtin_text(filename)
        if builtin is None:
            raise PromptError(
                f"no prompt template named {name!r}; known: {', '.join(TEMPLATE_NAMES)}."
            )
        return parse_template(name, builtin, "built-in")

    def listing(self) -> list[PromptTemplate]:
        return [self.get(name) for name in TEMPLATE_NAMES]
