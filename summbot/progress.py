"""What the terminal shows while work runs: a summary streaming in, a batch's progress.

These are the callbacks the CLI hands to the core (``on_text``, ``on_event``); the core never
prints. They write to the streams they are given, so tests can pass their own.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO


class SummaryStreamer:
    """Prints the summary paragraph of a streamed JSON answer as it arrives."""

    def __init__(self, title: str | None, out: TextIO | None = None) -> None:
        self.title = title
        self.out = out or sys.stdout
        self.buffer = ""
        self.text = ""
        self.printed = 0
        self.shown = False

    def feed(self, piece: str) -> None:
        from .structured import partial_string_field

        self.buffer += piece
        text = self.text = partial_string_field(self.buffer, "summary")
        if len(text) > self.printed:
            if not self.shown:
                self.out.write(f"{self.title}\n\nSummary\n" if self.title else "Summary\n")
                self.shown = True
            self.out.write(text[self.printed :])
            self.printed = len(text)
            self.out.flush()

    def close(self) -> None:
        if self.shown:
            self.out.write("\n\n")
            self.out.flush()


class BatchProgress:
    """Progress of a batch on stderr: a rich bar with counts and ETA on a terminal, one plain
    line per article otherwise, nothing when quiet."""

    def __init__(self, *, quiet: bool, err: TextIO | None = None) -> None:
        self.quiet = quiet
        self.err = err or sys.stderr
        self.bar: Any = None
        self.task: Any = None
        self.closed = False

    def _line(self, text: str) -> None:
        self.err.write(text + "\n")
        self.err.flush()

    def __call__(self, event: Any) -> None:
        if self.quiet or self.closed:
            return
        if event.kind == "start":
            if self.err.isatty():
                from rich.console import Console
                from rich.progress import (
                    BarColumn,
                    MofNCompleteColumn,
                    Progress,
                    TextColumn,
                    TimeElapsedColumn,
                    TimeRemainingColumn,
                )

                self.bar = Progress(
                    TextColumn("[bold]summarising"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[failed]} failed"), TimeElapsedColumn(),
                    TextColumn("ETA"), TimeRemainingColumn(),
                    console=Console(file=self.err), transient=False,
                )
                self.bar.start()
                self.task = self.bar.add_task("batch", total=event.total, completed=event.done,
                                              failed=event.failed)
            return
        if event.kind == "done" and event.entry is not None:
            if self.bar is not None:
                self.bar.update(self.task, completed=event.done, failed=event.failed)
                return
            entry = event.entry
            if entry.status == "failed":
                line = f"FAILED {entry.error}"
            elif entry.status == "estimated":
                line = f"estimated {entry.source}"
            else:
                line = f"{'cached' if entry.cached else 'ok'} {entry.source} -> {entry.file}"
            self._line(f"[{event.done}/{event.total}] {line}")
        elif event.kind in ("stopping", "paused"):
            if event.kind == "paused":
                source = event.entry.source if event.entry is not None else "an article"
                message = (f"rate limited: every request waits {event.seconds:g} s, then {source} "
                           "is tried once more")
            else:
                message = f"stopping ({event.reason}): finishing the articles in flight"
            if event.reason == "interrupted":
                message += " (Ctrl-C again to abandon them)"
            if self.bar is not None:
                self.bar.console.print(message)
            else:
                self._line(f"summbot: {message}")

    def close(self) -> None:
        if self.bar is not None and not self.closed:
            self.bar.stop()
        self.closed = True
