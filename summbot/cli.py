"""The command line: parse options, call the core, render, and map errors to exit codes.

This is the only module that imports click. Every command is a few lines: build settings and an
engine, call a core function that returns data, hand the data to ``render``, and write it.
``SummbotError`` is caught in one place (``_Group.invoke``) and printed as one line.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from . import __version__
from .errors import SummbotError

FORMATS = click.Choice(["text", "markdown", "json"])


class _Group(click.Group):
    """Turns summbot's errors into one line on stderr and the error's exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SummbotError as error:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            from .redaction import redact

            # Messages name the base URL, which may carry a key (https://user:sk-...@host).
            click.echo(f"summbot: {redact(str(error))}", err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo("summbot: interrupted", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="summbot")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Neutral, grounded summaries, key points and Q&A for news articles.

    Works offline with no key (the extractive engine), or with any OpenAI-compatible model when
    OPENAI_API_KEY or OPENAI_BASE_URL is set. Every command has --help with examples.

    \b
    Examples:
      summbot summarize examples/wordpress-article.txt
      summbot ask examples/wordpress-article.txt "What did Ferrante say?"
      summbot batch articles/ -o summaries/
      summbot clean page.html --show-removed
      cat article.txt | summbot summarize - --format json
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@cli.command()
@click.argument("source")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option("--show-removed", is_flag=True, help="After the text, list what was removed and why.")
@click.option("--model", default=None, help="Model whose tokenizer counts the tokens.")
@click.option("--max-bytes", default=None, metavar="SIZE", callback=lambda c, p, v: _size(v),
              help="Refuse sources larger than this, e.g. 20MB or 500kB [default: 10MB].")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              metavar="SECONDS", help="Seconds allowed for fetching a URL [default: 20].")
def clean(source: str, fmt: str, show_removed: bool, model: str | None,
          max_bytes: int | None, timeout: float | None) -> None:
    """Clean a scraped article: strip debris, keep every sentence.

    SOURCE is a file (.txt, .md, .html), '-' for stdin, or an http(s) URL.

    \b
    Examples:
      summbot clean article.txt
      summbot clean article.txt --show-removed
      summbot clean https://example.com/news/story --format json
    """
    from .article import load_article
    from .render import render_article

    article = load_article(
        source, model=model, stdin=None, max_bytes=max_bytes, timeout=timeout
    )
    click.echo(render_article(article, fmt, show_removed=show_removed))


def _size(value: str | None) -> int | None:
    """``--max-bytes`` parsed by ``sources.parse_size`` (``20MB``, ``500kB``, ``1MiB``, bytes)."""
    if value is None:
        return None
    from .sources import parse_size

    try:
        return parse_size(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@cli.command()
@click.argument("source")
@click.option("--model", default=None,
              help="Model to count and plan for [env SUMMBOT_MODEL; default gpt-4.1-mini].")
@click.option("--context-window", type=click.IntRange(min=1), default=None, metavar="N",
              help="The model's context window in tokens, when the built-in table is wrong or "
                   "does not know the model [env SUMMBOT_CONTEXT_WINDOW].")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def tokens(source: str, model: str | None, context_window: int | None, fmt: str) -> None:
    """Count an article's tokens, plan its chunks and estimate the input cost.

    Shows which encoding counted (the model's own, or a named stand-in when it cannot be
    loaded offline), whether the article fits the model's context window in one request or
    how many chunks it needs, and the input cost at the dated list price, when known.

    \b
    Examples:
      summbot tokens article.txt
      summbot tokens article.txt --model gpt-4o-mini --format json
      summbot tokens article.txt --model llama3.1:8b --context-window 8192
    """
    from .article import load_article
    from .chunking import token_report
    from .config import resolve_settings
    from .render import render_tokens

    settings = resolve_settings(model=model, context_window=context_window)
    article = load_article(source, model=settings.model, stdin=None)
    click.echo(render_tokens(token_report(article, settings.model, settings.context_window), fmt))


def engine_options(command: Any) -> Any:
    """The options every command that runs an engine shares."""
    options = [
        click.option("--engine", type=click.Choice(["auto", "openai", "extractive", "replay"]),
                     default=None, help="Engine [default: auto: openai when a key or base URL is set, else extractive]."),
        click.option("--model", default=None, help="Model name [env SUMMBOT_MODEL]."),
        click.option("--base-url", default=None, help="OpenAI-compatible server URL [env OPENAI_BASE_URL]."),
        click.option("--timeout", type=float, default=None, help="Seconds to wait for the model [env SUMMBOT_TIMEOUT]."),
        click.option("--context-window", type=click.IntRange(min=256), default=None,
                     help="The model's context window in tokens, if the built-in table is wrong."),
        click.option("--prompts", "prompts_dir", default=None,
                     help="Folder of prompt templates overriding the built-in ones [env SUMMBOT_PROMPTS]."),
        click.option("--record", default=None, metavar="DIR", help="Record every model exchange into DIR."),
        click.option("--cassettes", default=None, metavar="DIR",
                     help="Recordings to answer from with --engine replay [env SUMMBOT_CASSETTES]."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _engine_from(options: dict[str, Any], *, announce: bool = True) -> tuple[Any, Any]:
    """Settings and engine from the shared options; notes the engine ``auto`` picked, unless
    ``announce`` is False (the caller then calls ``_announce`` once its input has loaded, so a
    bad input gets its one line of error and nothing else)."""
    from .config import make_engine, resolve_settings

    settings = resolve_settings(
        engine=options["engine"], model=options["model"], base_url=options["base_url"],
        timeout=options["timeout"], context_window=options["context_window"],
        prompts_dir=options["prompts_dir"], cassettes=options["cassettes"], record=options["record"],
    )
    engine = make_engine(settings)
    if announce:
        _announce(settings)
    return settings, engine


def _announce(settings: Any) -> None:
    notice = settings.engine_notice()
    if notice:
        click.echo(f"summbot: {notice}", err=True)


def _use_color() -> bool:
    import os

    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")  # no-color.org: set and non-empty


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@engine_options
@click.option("--length", type=click.Choice(["short", "medium", "long"]), default="medium", show_default=True)
@click.option("--points", type=click.IntRange(1, 20), default=5, show_default=True, help="Key points, at most.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option("--stream/--no-stream", default=True, show_default=True,
              help="Show the summary as it is written (text format, LLM engines).")
def summarize(sources: tuple[str, ...], length: str, points: int, fmt: str, stream: bool, **options: Any) -> None:
    """Summarise articles neutrally, with key points citing their sentences.

    SOURCE is a file (.txt, .md, .html), '-' for stdin, or an http(s) URL.

    \b
    Examples:
      summbot summarize examples/wordpress-article.txt
      summbot summarize article.txt --length short --points 3 --format json
      summbot summarize https://example.com/story --model gpt-4.1-mini
      summbot summarize article.txt --engine replay --cassettes examples/cassettes
    """
    from .article import load_article
    from .progress import SummaryStreamer
    from .render import render_summary, to_json
    from .summarize import summarize as run_summary
    from .templates import Prompts

    if sources.count("-") > 1:
        raise click.UsageError(f"'-' (stdin) is given {sources.count('-')} times; stdin can be read "
                               "only once, so give it once and save the other articles to files.")
    settings, engine = _engine_from(options, announce=False)
    prompts = Prompts(settings.prompts_dir)
    results = []
    for number, source in enumerate(sources):
        article = load_article(source, model=engine.model, stdin=None,
                               count_tokens=engine.reads_prompt)
        if number == 0:
            _announce(settings)
        elif fmt != "json":  # before this article's output, which may start streaming
            click.echo("\n" + "-" * 72 + "\n")
        streamer = None
        if stream and fmt == "text" and engine.can_stream:
            streamer = SummaryStreamer(article.title)
        summary = run_summary(article, engine, length=length, points=points, prompts=prompts,
                              context_window=settings.context_window,
                              on_text=streamer.feed if streamer else None)
        streamed = bool(streamer and streamer.shown)
        if streamer:
            streamer.close()
            if streamed and streamer.text.strip() != summary.summary:
                # A repair request replaced what streamed: show the summary the result holds.
                click.echo("(replaced: the model's answer was not valid and was repaired)\n")
                streamed = False
        if fmt != "text":  # text shows them in its Warnings section
            for warning in summary.warnings:
                click.echo(f"summbot: warning: {warning}", err=True)
        if fmt == "json":
            results.append(summary.to_dict())
            continue
        if fmt == "text" and _use_color() and not streamed:
            from rich.console import Console
            from rich.markdown import Markdown

            from .render import summary_markdown

            Console().print(Markdown(summary_markdown(summary)))
        else:
            click.echo(render_summary(summary, fmt, include_summary=not streamed))
    if fmt == "json":
        click.echo(to_json(results[0] if len(results) == 1 else results))


@cli.command()
@click.argument("source")
@click.argument("question", required=False)
@engine_options
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True,
              help="Output format; json with questions on stdin writes one object a line (JSONL).")
@click.option("--refusal", default=None, metavar="TEXT",
              help="What to answer when the article does not say [default: The article does not say.].")
@click.option("--stream/--no-stream", default=True, show_default=True,
              help="Show the answer as it is written (text format, LLM engines).")
def ask(source: str, question: str | None, fmt: str, refusal: str | None, stream: bool, **options: Any) -> None:
    """Answer questions strictly from an article, quoting the sentences that say so.

    With QUESTION: one answer, then exit. Without it on a terminal: an interactive session
    (/help inside lists its commands). Without it, with questions piped in: one answer per
    line of input, in order, follow-ups included. A refusal ("The article does not say.", with
    the closest passages) is an answer too: the exit status is 0.

    \b
    Examples:
      summbot ask examples/harbour-ferry.txt "How many passengers will each boat carry?"
      summbot ask article.txt "What did Miller say?" --format json
      summbot ask article.txt
      printf 'Who paid?\\nAnd how much?\\n' | summbot ask article.txt --format json
    """
    from .article import load_article
    from .qa import DEFAULT_REFUSAL, Conversation
    from .templates import Prompts

    interactive = question is None and sys.stdin is not None and sys.stdin.isatty()
    if question is None and source == "-":
        raise click.UsageError("the article comes from stdin, so questions cannot; give QUESTION "
                               "as an argument, or save the article to a file.")
    settings, engine = _engine_from(options, announce=False)
    prompts = Prompts(settings.prompts_dir)
    article = load_article(source, model=engine.model, stdin=None,
                           count_tokens=engine.reads_prompt)
    _announce(settings)
    refusal = refusal or DEFAULT_REFUSAL
    if interactive:
        import shutil

        from .repl import Repl

        Repl(article, engine, prompts=prompts, refusal=refusal, context_window=settings.context_window,
             out=sys.stdout, color=_use_color(), stream=stream,
             width=shutil.get_terminal_size().columns - 1).run()
        return
    questions = [question] if question is not None else _questions(sys.stdin or ())
    conversation = Conversation() if question is None else None
    streaming = stream and fmt == "text" and engine.can_stream
    for number, asked in enumerate(questions):
        if question is None and fmt == "text":
            click.echo(("\n" if number else "") + f"Q: {asked}")
        elif question is None and fmt == "markdown" and number:
            click.echo()
        _answer_and_show(article, asked, engine, conversation, prompts, fmt=fmt, stream=streaming,
                         refusal=refusal, context_window=settings.context_window,
                         compact=question is None)
    if question is None and conversation is not None and not conversation.turns:
        raise click.UsageError("no questions came on stdin; give a QUESTION argument, pipe "
                               "questions one a line, or run it in a terminal for a session.")


def _answer_and_show(article: Any, question: str, engine: Any, conversation: Any, prompts: Any, *,
                     fmt: str, stream: bool, refusal: str, context_window: int | None,
                     compact: bool) -> None:
    """Answer one question and write it: streamed text first (if streaming), then the rest."""
    import shutil

    from .qa import answer as run_answer
    from .render import render_answer, wrap_text

    shown: list[str] = []

    def on_text(piece: str) -> None:
        shown.append(piece)
        click.echo(piece, nl=False)
        sys.stdout.flush()

    try:
        result = run_answer(article, question, engine, conversation, prompts,
                            on_text if stream else None, refusal=refusal, context_window=context_window)
    finally:
        if shown:
            click.echo()  # end the streamed line, whatever happens next
    text = render_answer(result, fmt, streamed="".join(shown) or None, compact=compact)
    if fmt == "text" and sys.stdout.isatty():
        text = wrap_text(text, shutil.get_terminal_size().columns - 1)
    click.echo(("\n" if shown else "") + text if text else "", nl=fmt != "markdown")
    if fmt != "text":
        for line in result.notices:
            click.echo(f"summbot: note: {line}", err=True)
        for line in result.warnings:
            click.echo(f"summbot: warning: {line}", err=True)


def _questions(stream: Any) -> Any:
    """Questions from piped input: one a line, blank lines and ``#`` comments skipped."""
    for line in stream:
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


@cli.command("prompts")
@click.argument("name", required=False)
@click.option("--prompts", "prompts_dir", default=None, help="Folder of overriding templates [env SUMMBOT_PROMPTS].")
def prompts_command(name: str | None, prompts_dir: str | None) -> None:
    """List the prompt templates, or show one.

    Templates live in the package's prompts/ folder; a folder given with --prompts or
    SUMMBOT_PROMPTS overrides them one file at a time (same file name, e.g. summary.txt).

    \b
    Examples:
      summbot prompts
      summbot prompts summary
      summbot prompts summary --prompts my-prompts/
    """
    from .config import setting
    from .templates import Prompts

    prompts = Prompts(prompts_dir or setting("SUMMBOT_PROMPTS"))
    if name is None:
        for template in prompts.listing():
            click.echo(f"{template.name:<8} {template.origin}")
        return
    template = prompts.get(name)
    click.echo(f"# {template.name} ({template.origin})\n--- system ---\n{template.system}--- user ---\n{template.user}", nl=False)


class _DefaultCommandGroup(click.Group):
    """A group whose first argument, when it is not a subcommand, belongs to ``run``:
    ``summbot batch a.txt -o out`` is ``summbot batch run a.txt -o out``."""

    default_command = "run"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


@cli.group(cls=_DefaultCommandGroup)
def batch() -> None:
    """Summarise many articles into a folder of markdown files, with an index.

    \b
    summbot batch INPUT... -o OUTDIR [options]   (the same as 'summbot batch run ...')
    summbot batch status OUTDIR

    INPUT is a file, a folder (searched for .txt, .md, .html, .htm), a glob ('news/**/*.txt'),
    an http(s) URL, or @list.txt (one input a line). See 'summbot batch run --help'.

    \b
    Examples:
      summbot batch articles/ -o summaries/
      summbot batch @urls.txt -o out/ -j 16 --rpm 500 --max-cost 2.50
      summbot batch 'news/*.html' -o out/ --dry-run
      summbot batch articles/ -o out/ --via batch-api
      summbot batch status out/
    """


@batch.command("run")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "outdir", required=True, metavar="OUTDIR",
              help="Folder for the markdown files, index.md and manifest.json.")
@engine_options
@click.option("--length", type=click.Choice(["short", "medium", "long"]), default="medium", show_default=True)
@click.option("--points", type=click.IntRange(1, 20), default=5, show_default=True, help="Key points, at most.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Articles summarised at once.")
@click.option("--rpm", type=click.FloatRange(min=0, min_open=True), default=None,
              help="At most this many requests a minute.")
@click.option("--tpm", type=click.FloatRange(min=0, min_open=True), default=None,
              help="At most this many tokens a minute (prompt + answer budget).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the response cache.")
@click.option("--dry-run", is_flag=True, help="Count tokens and estimate the cost; send nothing, write nothing.")
@click.option("--max-cost", type=click.FloatRange(min=0), default=None, metavar="USD",
              help="Stop before the estimated spend of this run would pass USD; what is done is kept.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first article that fails.")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no closing summary; failures still shown.")
@click.option("--via", type=click.Choice(["direct", "batch-api"]), default="direct", show_default=True,
              help="batch-api: send through OpenAI's Batch API (half price, results within 24 h).")
@click.option("--resume", is_flag=True,
              help="With --via batch-api: collect a submitted batch's results (the same as running again).")
@click.option("--retry-failed", is_flag=True,
              help="With --via batch-api: send items the Batch API failed or let expire directly.")
def batch_run(inputs: tuple[str, ...], outdir: str, length: str, points: int, jobs: int,
              rpm: float | None, tpm: float | None, no_cache: bool, dry_run: bool,
              max_cost: float | None, fail_fast: bool, quiet: bool, via: str, resume: bool,
              retry_failed: bool, **options: Any) -> None:
    """Summarise many articles into OUTDIR: one markdown file each, index.md and manifest.json.

    INPUT is a file, a folder (recursive: .txt, .md, .html, .htm), a glob, an http(s) URL, or
    @list.txt with one input a line (# comments; relative paths are relative to the list).

    Finished work is never redone: run the same command again after a failure, a kill or
    Ctrl-C and only what is missing is summarised; summaries already paid for come from the
    response cache (see 'summbot cache info'). One run at a time writes to OUTDIR; another
    started meanwhile stops at once. Exit status: 0 when every article succeeded, 1 when some
    failed or were not run, 32 when another batch is writing to OUTDIR, 130 when interrupted.

    \b
    Examples:
      summbot batch articles/ -o summaries/
      summbot batch a.txt b.html https://example.com/story -o out/ --length short
      summbot batch @urls.txt -o out/ -j 16 --rpm 500 --tpm 200000
      summbot batch 'news/**/*.txt' -o out/ --dry-run
      summbot batch articles/ -o out/ --max-cost 1.00
      summbot batch articles/ -o out/ --via batch-api     # again later to collect
    """
    import atexit
    import gc
    from pathlib import Path

    from .batch import BatchOptions, expand_inputs, run_batch
    from .progress import BatchProgress
    from .render import render_batch_summary, render_dry_run
    from .templates import Prompts

    # Everything is written and closed before exit; a frozen heap spares the interpreter's final
    # collection through the SDK's tens of thousands of objects (~0.1 s of every run).
    atexit.unregister(gc.freeze)  # once, however many batches a process runs
    atexit.register(gc.freeze)
    settings, engine = _engine_from(options)
    prompts = Prompts(settings.prompts_dir)
    target = Path(outdir)
    items = expand_inputs(inputs, exclude=target)
    batch_options = BatchOptions(
        outdir=target, length=length, points=points, context_window=settings.context_window,
        jobs=jobs, rpm=rpm, tpm=tpm, use_cache=not no_cache, dry_run=dry_run,
        max_cost=max_cost, fail_fast=fail_fast,
    )
    cache = None
    # Recording wants every exchange on the wire, so it bypasses the cache.
    if not no_cache and engine.reads_prompt and not settings.record:
        from .cache import ResponseCache

        cache = ResponseCache()
    progress = BatchProgress(quiet=quiet)
    try:
        if via == "batch-api":
            from .batchapi import run_via_batch_api

            outcome = run_via_batch_api(items, engine, batch_options, prompts=prompts, cache=cache,
                                        on_event=progress, retry_failed=retry_failed)
            progress.close()
            if outcome.waiting is not None:
                click.echo(outcome.waiting)
                return
            result = outcome.result
        else:
            result = run_batch(items, engine, batch_options, prompts=prompts, cache=cache, on_event=progress)
            progress.close()
    finally:
        progress.close()
        if cache is not None:
            cache.close()
    assert result is not None  # every path above either ran the batch or returned
    if dry_run:
        click.echo(render_dry_run(result))
    elif not quiet:
        click.echo(render_batch_summary(result))
    for entry in result.failed:
        click.echo(f"summbot: failed: {entry.error}" if entry.error and entry.error.startswith(entry.source)
                   else f"summbot: failed: {entry.source}: {entry.error}", err=True)
    if result.stopped:
        from .batch import stop_reason

        click.echo(f"summbot: stopped early: {stop_reason(result)}", err=True)
    ctx = click.get_current_context()
    if result.stopped == "interrupted":
        ctx.exit(130)
    job = result.batch_api
    if job and not job.get("collected") and not dry_run:
        click.echo(f"Submitted {job['requests']} request{'s' if job['requests'] != 1 else ''} as batch "
                   f"{job['id']}; run the same command again to collect the answers "
                   f"('summbot batch status {outdir}' shows progress).")
        ctx.exit(1 if result.failed else 0)
    if result.failed or result.not_run:
        ctx.exit(1)


@batch.command("status")
@click.argument("outdir")
@engine_options
def batch_status(outdir: str, **options: Any) -> None:
    """Show what a batch in OUTDIR has done, and the progress of a Batch API job.

    \b
    Examples:
      summbot batch status summaries/
    """
    from pathlib import Path

    from .batch import read_manifest
    from .errors import InputError

    manifest = read_manifest(Path(outdir))
    if manifest is None:
        raise InputError(f"{outdir}: no batch here (no manifest.json); run 'summbot batch ... -o {outdir}' first.")
    counts: dict[str, int] = {}
    for entry in manifest.get("articles", []):
        counts[entry.get("status", "?")] = counts.get(entry.get("status", "?"), 0) + 1
    total = sum(counts.values())
    parts = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    click.echo(f"{outdir}: {total} article{'s' if total != 1 else ''}: {parts}.")
    if manifest.get("stopped"):
        click.echo(f"The last run stopped early ({manifest['stopped']}).")
    job = manifest.get("batch_api")
    if job and not job.get("collected"):
        from .batchapi import describe, retrieve_batch

        _, engine = _engine_from(options)
        click.echo(describe(retrieve_batch(engine, job["id"])))


@cli.group("cache")
def cache_group() -> None:
    """The response cache: summaries already paid for, reused by 'summbot batch'.

    It lives in the user cache folder (SUMMBOT_CACHE_DIR overrides it). It holds summaries
    only, never API keys.

    \b
    Examples:
      summbot cache info
      summbot cache clear
    """


@cache_group.command("info")
def cache_info() -> None:
    """Show where the cache is, how many summaries it holds, and its size.

    \b
    Examples:
      summbot cache info
      SUMMBOT_CACHE_DIR=/tmp/summbot-cache summbot cache info
    """
    from .cache import ResponseCache
    from .sources import format_size

    cache = ResponseCache()
    info = cache.info()
    cache.close()
    click.echo(f"path:    {info.path}\nentries: {info.entries}\nsize:    {format_size(info.size_bytes)}")


@cache_group.command("clear")
def cache_clear() -> None:
    """Delete every cached summary (the next batch pays for them again).

    \b
    Examples:
      summbot cache clear
    """
    from .cache import ResponseCache

    cache = ResponseCache()
    removed = cache.clear()
    cache.close()
    click.echo(f"Removed {removed} cached summar{'y' if removed == 1 else 'ies'} from {cache.path}.")


def main() -> None:
    cli(prog_name="summbot")
