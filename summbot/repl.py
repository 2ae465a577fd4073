"""The interactive session of ``summbot ask SOURCE``: questions about one article, one at a time.

A ``Repl`` reads lines with prompt_toolkit (line editing, history kept between sessions in the
user's data folder, bracketed paste, a trailing ``\\`` to continue a line), answers each with
``summbot.qa.answer`` in a worker thread so that Ctrl-C can abandon an answer in progress and keep
the session, and handles the slash commands. Its input, prompt output and text output are passed
in, so tests drive it through ``create_pipe_input`` and a ``StringIO`` without a terminal.

This is a user interface module: it writes to the ``out`` stream it was given. The answering,
summarising and checking all happen in the core.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .errors import OutputError, SummbotError
from .qa import DEFAULT_REFUSAL, Answer, Conversation
from .redaction import redact

if TYPE_CHECKING:
    from .article import Article
    from .engines.base import Engine
    from .summarize import Summary
    from .templates import Prompts

HELP = """\
Ask a question about the article in plain words; follow-ups may refer to earlier answers.
End a line with \\ to go on on the next line; pasted text may span several lines.

  /summary      a neutral summary of the article
  /points       its key points, each citing its sentences
  /sources      the last answer's sentences, highlighted in their paragraphs
  /clear        forget the conversation (the next question starts afresh)
  /save FILE    write the transcript as markdown
  /help         this list
  /quit         leave (Ctrl-D works too)

Ctrl-C cancels an answer in progress."""

COMMANDS = ("/help", "/summary", "/points", "/sources", "/clear", "/save", "/quit", "/exit")
PROMPT = "? "
CONTINUATION = "… "
#: How often the waiting main thread wakes to notice Ctrl-C (seconds).
POLL = 0.05


def _continuation_keys() -> Any:
    """Enter after a trailing ``\\`` starts a new line of the same question instead of sending
    it, so the whole question is edited, and kept in the history, as one entry."""
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()

    @Condition
    def continues() -> bool:
        from prompt_toolkit.application import get_app

        document = get_app().current_buffer.document
        return document.is_cursor_at_the_end and document.text.endswith("\\")

    @bindings.add("enter", filter=continues)
    @bindings.add("c-j", filter=continues)
    def _(event: Any) -> None:
        event.current_buffer.delete_before_cursor(1)
        event.current_buffer.insert_text("\n")

    return bindings


def history_path() -> Path:
    """Where the question history lives: ``$SUMMBOT_DATA_DIR/history``, else the user's data
    folder (``platformdirs.user_data_dir("summbot")``)."""
    folder = os.environ.get("SUMMBOT_DATA_DIR")
    if not folder:
        from platformdirs import user_data_dir

        folder = user_data_dir("summbot")
    return Path(folder).expanduser() / "history"


class _Cancelled(Exception):
    """The user pressed Ctrl-C while waiting for the worker."""


@dataclass
class _Job:
    """One piece of work in the worker thread; ``cancelled`` silences it once abandoned."""

    cancelled: bool = False
    streamed: list[str] = field(default_factory=list)


@dataclass
class _Entry:
    kind: str  # "answer" | "summary" | "points" | "cleared"
    answer: Answer | None = None
    text: str = ""


class Repl:
    """An interactive Q&A session about ``article``.

    ``pt_input``/``pt_output`` go to prompt_toolkit (None: the terminal); ``out`` receives
    everything else summbot shows. ``history`` is the history file (None: the default place,
    ``False``: keep none).
    """

    def __init__(
        self,
        article: Article,
        engine: Engine,
        *,
        prompts: Prompts | None = None,
        refusal: str = DEFAULT_REFUSAL,
        context_window: int | None = None,
        out: TextIO,
        pt_input: Any = None,
        pt_output: Any = None,
        history: Path | None | bool = None,
        color: bool = False,
        stream: bool = True,
        width: int | None = None,
    ) -> None:
        self.article = article
        self.engine = engine
        self.prompts = prompts
        self.refusal = refusal
        self.context_window = context_window
        self.out = out
        self.color = color
        self.width = width
        self.stream = stream and engine.can_stream
        self.conversation = Conversation()
        self.transcript: list[_Entry] = []
        self._summary: Summary | None = None
        self._history_note = ""
        self.session = self._session(pt_input, pt_output, history)

    # ----------------------------------------------------------------------------- set-up

    def _session(self, pt_input: Any, pt_output: Any, history: Path | None | bool) -> Any:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory, History, InMemoryHistory

        store: History = InMemoryHistory()
        if history is not False:
            path = history_path() if history is None or history is True else Path(history)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.touch(exist_ok=True)
                store = FileHistory(str(path))
            except OSError as error:
                self._history_note = (
                    f"(questions are not kept between sessions: cannot write {path}: "
                    f"{error.strerror or error}; set SUMMBOT_DATA_DIR to a writable folder)"
                )
        return PromptSession(
            history=store, input=pt_input, output=pt_output, key_bindings=_continuation_keys(),
            prompt_continuation=lambda width, line, wrapped: CONTINUATION.rjust(width),
        )

    # ----------------------------------------------------------------------------- output

    def write(self, text: str = "", end: str = "\n") -> None:
        """Show ``text``, wrapped at word boundaries to ``width`` when one was given."""
        if self.width:
            from .render import wrap_text

            text = wrap_text(text, self.width)
        self.out.write(text + end)
        self.out.flush()

    def _style(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def banner(self) -> str:
        """The first lines: which article, how long, which engine."""
        article = self.article
        tokens = (
            f" · {article.tokens.count:,} tokens, counted with {article.tokens.encoding}"
            if article.tokens else ""
        )
        engine = (
            "extractive (offline)" if self.engine.name == "extractive"
            else f"{self.engine.name} · model {self.engine.model}"
        )
        lines = [
            self._style(f"Asking about: {article.title or '(untitled)'}", "1"),
            (f"Source: {article.source} · {article.word_count:,} words · "
            f"{len(article.sentences)} sentences{tokens}"),
            f"Engine: {engine}",
            "Type a question; /help lists the commands; Ctrl-D or /quit leaves.",
        ]
        if self._history_note:
            lines.append(self._history_note)
        return "\n".join(lines)

    # ----------------------------------------------------------------------------- the loop

    def run(self) -> None:
        """Greet, then answer lines until Ctrl-D or /quit."""
        self.write(self.banner())
        while True:
            self.write()
            try:
                line = self._read()
            except EOFError:
                return
            if line is None:
                continue
            if line.split()[0].lower() in ("/quit", "/exit"):
                return
            self.write()  # a blank line between the prompt and what answers it
            if line.startswith("/"):
                if not self.command(line):
                    return
                continue
            self.ask(line)

    def _read(self) -> str | None:
        """One question, its lines joined; None when Ctrl-C dropped it or it was blank."""
        try:
            text = self.session.prompt(PROMPT)
        except KeyboardInterrupt:
            return None
        return " ".join(text.split()) or None

    def _in_worker(self, job: _Job, work: Callable[[], Any]) -> Any:
        """Run ``work`` in a thread and wait; Ctrl-C abandons it (it finishes unseen)."""
        box: dict[str, Any] = {}
        done = threading.Event()

        def target() -> None:
            try:
                box["value"] = work()
            except BaseException as error:  # noqa: BLE001 - handed to the main thread
                box["error"] = error
            finally:
                done.set()

        try:
            threading.Thread(target=target, name="summbot-answer", daemon=True).start()
            while not done.wait(POLL):
                pass
        except KeyboardInterrupt:
            job.cancelled = True
            raise _Cancelled from None
        if "error" in box:
            raise box["error"]
        return box["value"]

    # ----------------------------------------------------------------------------- questions

    def ask(self, question: str) -> Answer | None:
        """Answer one question and show it; None when cancelled or failed (already said)."""
        from . import qa
        from .render import render_answer

        job = _Job()

        def on_text(piece: str) -> None:
            if job.cancelled:
                return
            job.streamed.append(piece)
            self.out.write(piece)
            self.out.flush()

        def work() -> Answer:
            return qa.answer(
                self.article, question, self.engine, self.conversation, self.prompts,
                on_text if self.stream else None,
                refusal=self.refusal, context_window=self.context_window,
            )

        try:
            result = self._in_worker(job, work)
        except _Cancelled:
            self.conversation.abandon()
            self.write(("\n" if job.streamed else "") + "(cancelled)")
            return None
        except SummbotError as error:
            self.write(("\n" if job.streamed else "") + f"summbot: {redact(str(error))}")
            return None
        streamed = "".join(job.streamed)
        rendered = render_answer(result, "text", streamed=streamed or None)
        if streamed:
            self.write("\n")  # ends the streamed line, then a blank one
        self.write(rendered)
        self.transcript.append(_Entry("answer", result))
        return result

    # ----------------------------------------------------------------------------- commands

    def command(self, line: str) -> bool:
        """Run a slash command; False when the session should end."""
        name, _, argument = line.partition(" ")
        name = name.lower()
        argument = argument.strip()
        if name in ("/quit", "/exit"):
            return False
        if name == "/help":
            self.write(HELP)
        elif name == "/clear":
            self.conversation.clear()
            self.transcript.append(_Entry("cleared"))
            self.write("Conversation forgotten: the next question starts afresh.")
        elif name == "/sources":
            self.write(self.sources())
        elif name in ("/summary", "/points"):
            self._summarise(name)
        elif name == "/save":
            self._save(argument)
        else:
            close = [c for c in COMMANDS if c.startswith(name[:3])] if len(name) > 1 else []
            hint = f" Did you mean {close[0]}?" if close else ""
            self.write(f"Unknown command {name}.{hint} Type /help for the list.")
        return True

    def _summarise(self, name: str) -> None:
        from .summarize import summarize

        if self._summary is None:
            job = _Job()
            try:
                self._summary = self._in_worker(
                    job,
                    lambda: summarize(self.article, self.engine, prompts=self.prompts,
                                      context_window=self.context_window),
                )
            except _Cancelled:
                self.write("(cancelled)")
                return
            except SummbotError as error:
                self.write(f"summbot: {redact(str(error))}")
                return
        summary = self._summary
        assert summary is not None
        if name == "/summary":
            text = "Summary\n" + summary.summary
            problems = [w for w in summary.warnings if w.startswith("The summary")]
        else:
            from .render import key_points_text

            text = key_points_text(summary)
            problems = [w for w in summary.warnings if w.startswith("Key point")]
        if problems:
            text += "\n\n" + "\n".join(f"Warning: {p}" for p in problems)
        self.write(text)
        self.transcript.append(_Entry(name[1:], text=text))

    def sources(self) -> str:
        """The last answer's cited sentences (or, for a refusal, the closest passages) shown in
        their paragraphs, highlighted."""
        last = next((e.answer for e in reversed(self.transcript) if e.kind == "answer"), None)
        if last is None:
            return "No answer yet: ask a question first."
        ids = [c.sentence for c in last.citations] or [p.sentence for p in last.nearest]
        wanted = {sid for sid in ids if self.article.sentence(sid) is not None}
        if not wanted:
            return "The last answer cites no sentence of the article."
        header = (
            "Sources of the last answer" if last.citations
            else "The last answer was a refusal; the closest passages"
        )
        blocks = [header]
        paragraphs = sorted({self.article.sentence(sid).paragraph for sid in wanted})  # type: ignore[union-attr]
        for number in paragraphs:
            blocks.append(f"Paragraph {number}\n{self._highlighted(number, wanted)}")
        return "\n\n".join(blocks)

    def _highlighted(self, paragraph: int, wanted: set[str]) -> str:
        sentences = [s for s in self.article.sentences if s.paragraph == paragraph]
        text = self.article.text
        pieces: list[str] = []
        position = sentences[0].start
        for sentence in sentences:
            pieces.append(text[position : sentence.start])
            if sentence.id in wanted:
                pieces.append(
                    self._style(f"[{sentence.id}] {sentence.text}", "1;33") if self.color
                    else f"**[{sentence.id}] {sentence.text}**"
                )
            else:
                pieces.append(sentence.text)
            position = sentence.end
        return "".join(pieces)

    def _save(self, argument: str) -> None:
        if not argument:
            self.write("/save needs a file name, e.g. /save notes.md")
            return
        path = Path(argument).expanduser()
        try:
            write_atomically(path, self.transcript_markdown())
        except OutputError as error:
            self.write(f"summbot: {redact(str(error))}")
            return
        turns = sum(1 for e in self.transcript if e.kind == "answer")
        self.write(f"Saved the transcript ({turns} answer{'s' if turns != 1 else ''}) to {path}.")

    def transcript_markdown(self) -> str:
        """The session so far as a markdown document."""
        from .render import answer_markdown

        article = self.article
        engine = "extractive (offline)" if self.engine.name == "extractive" else (
            f"{self.engine.name} · model {self.engine.model}"
        )
        saved = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        parts = [
            f"# Questions about: {article.title or '(untitled)'}",
            f"*Source: {article.source} · engine: {engine} · saved {saved}*",
        ]
        for entry in self.transcript:
            if entry.kind == "answer" and entry.answer is not None:
                parts.append(answer_markdown(entry.answer).rstrip("\n"))
            elif entry.kind == "cleared":
                parts.append("---\n\n*(conversation cleared)*")
            else:
                title, _, body = entry.text.partition("\n")
                parts.append(f"## {title}\n\n{body}")
        if len(parts) == 2:
            parts.append("*(no questions yet)*")
        return "\n\n".join(parts) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename, so
    that a crash never leaves half a file; an ``OutputError`` names the path on failure."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{path}: the folder {folder} does not exist; create it or choose another path.")
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name, e.g. {path / 'transcript.md'}.")
    from .files import atomic_write

    atomic_write(path, text, durable=True)


__all__ = ["HELP", "Repl", "history_path", "write_atomically"]
