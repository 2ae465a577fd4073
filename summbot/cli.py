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
            click.echo(f"summbot: {error}", err=True)
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

    \b
    Examples:
      summbot clean examples/wordpress-article.txt
      summbot clean page.html --format json
      cat article.txt | summbot clean - --show-removed
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@cli.command()
@click.argument("source")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option("--show-removed", is_flag=True, help="After the text, list what was removed and why.")
@click.option("--model", default=None, help="Model whose tokenizer counts the tokens.")
def clean(source: str, fmt: str, show_removed: bool, model: str | None) -> None:
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

    article = load_article(source, model=model, stdin=sys.stdin.buffer)
    click.echo(render_article(article, fmt, show_removed=show_removed))


def main() -> None:
    cli(prog_name="summbot")
