"""Turn summbot's results into text, markdown or JSON strings. Nothing here prints."""

from __future__ import annotations

import json
from typing import Any

from .article import Article


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def render_article(article: Article, fmt: str, *, show_removed: bool = False) -> str:
    """The cleaned article as ``text`` (body, optional removal report), ``markdown`` or ``json``."""
    if fmt == "json":
        return to_json(article.to_dict())
    if fmt == "markdown":
        return _article_markdown(article)
    parts = []
    if article.title:
        parts.append(article.title)
    meta = [m for m in (article.byline, article.published, article.dateline) if m]
    if meta:
        parts.append(" | ".join(meta))
    parts.append(_body_with_headings(article, heading_prefix=""))
    text = "\n\n".join(parts)
    if show_removed:
        text += "\n\n" + _removed_report(article)
    return text


def _body_with_headings(article: Article, heading_prefix: str) -> str:
    blocks: list[str] = []
    headings: dict[int, list[str]] = {}
    for heading in article.headings:
        headings.setdefault(heading.paragraph, []).append(heading.text)
    for number, paragraph in enumerate(article.paragraphs, start=1):
        blocks.extend(heading_prefix + h for h in headings.get(number, []))
        blocks.append(paragraph)
    blocks.extend(heading_prefix + h for h in headings.get(len(article.paragraphs) + 1, []))
    return "\n\n".join(blocks)


def _removed_report(article: Article) -> str:
    if not article.removed:
        return "Removed: nothing."
    lines = [f"Removed ({len(article.removed)}):"]
    for removal in article.removed:
        snippet = removal.text if len(removal.text) <= 80 else removal.text[:77] + "..."
        lines.append(f"  [{removal.rule}] {snippet}")
    return "\n".join(lines)


def _article_markdown(article: Article) -> str:
    parts = [f"# {article.title}"] if article.title else []
    meta = [m for m in (article.byline, article.published, article.dateline) if m]
    if meta:
        parts.append("*" + " · ".join(meta) + "*")
    parts.append(_body_with_headings(article, heading_prefix="## "))
    return "\n\n".join(parts) + "\n"


def _usage_line(summary: Any) -> str:
    usage = summary.usage
    if summary.engine == "extractive":
        return "engine: extractive (offline)"
    requests = f"{usage.requests} request{'s' if usage.requests != 1 else ''}"
    return (
        f"engine: {summary.engine} · model: {summary.model} · {requests} · "
        f"{usage.prompt_tokens} prompt + {usage.completion_tokens} completion tokens"
    )


def _cites(ids: list[str]) -> str:
    return "[" + ", ".join(ids) + "]" if ids else "[no citation]"


def render_summary(summary: Any, fmt: str, *, include_summary: bool = True) -> str:
    """A ``Summary`` as ``text``, ``markdown`` or ``json``.

    ``include_summary=False`` leaves out the header and summary paragraph (the CLI streamed them
    already) in text output.
    """
    if fmt == "json":
        return to_json(summary.to_dict())
    if fmt == "markdown":
        return summary_markdown(summary)
    parts = []
    if include_summary:
        if summary.title:
            parts.append(summary.title)
        parts.append(_usage_line(summary))
        parts.append("Summary\n" + summary.summary)
    parts.append(key_points_text(summary))
    if summary.headline_check is not None:
        parts.append("Headline check: " + headline_verdict(summary.headline_check))
    if summary.warnings:
        parts.append("Warnings\n" + "\n".join(f"- {w}" for w in summary.warnings))
    if not include_summary:
        parts.append(_usage_line(summary))
    return "\n\n".join(parts)


def key_points_text(summary: Any) -> str:
    """The "Key points" block of text output (also the REPL's ``/points``)."""
    points = ["Key points"]
    for number, point in enumerate(summary.key_points, start=1):
        flag = "" if point.verified else "  (UNVERIFIED)"
        points.append(f"{number}. {point.text} {_cites(point.sentences)}{flag}")
    if len(points) == 1:
        points.append("(none)")
    return "\n".join(points)


def headline_verdict(check: Any) -> str:
    """"supported by the body. <note>", "NOT supported ...", or "undecided ..." for a check."""
    verdict = {True: "supported by the body", False: "NOT supported by the body", None: "undecided"}[
        check.supported
    ]
    return f"{verdict}. {check.note}".strip() if check.note else verdict + "."


def markdown_point(number: int, point: Any, *, reasons: bool = False) -> str:
    """A key point as a markdown list item with its sentence ids; an unverified one is flagged,
    with the reasons when ``reasons`` (the batch files, read later without the warnings)."""
    cites = ", ".join(point.sentences) or "no citation"
    flag = ""
    if not point.verified:
        why = "; ".join(point.problems) if reasons else ""
        flag = f" **(unverified{': ' + why if why else ''})**"
    return f"{number}. {point.text} ({cites}){flag}"


def summary_markdown(summary: Any) -> str:
    parts = [f"# {summary.title}" if summary.title else f"# Summary of {summary.source}"]
    parts.append(f"*{summary.source} · {_usage_line(summary)}*")
    parts.append("## Summary\n\n" + summary.summary)
    lines = ["## Key points", ""]
    lines += [markdown_point(n, point) for n, point in enumerate(summary.key_points, start=1)]
    parts.append("\n".join(lines))
    if summary.headline_check is not None:
        parts.append("## Headline check\n\n" + headline_verdict(summary.headline_check))
    if summary.warnings:
        parts.append("## Warnings\n\n" + "\n".join(f"- {w}" for w in summary.warnings))
    return "\n\n".join(parts) + "\n"


# --------------------------------------------------------------------------------------------
# Answers (summbot ask).


def render_answer(answer: Any, fmt: str, *, streamed: str | None = None, compact: bool = False) -> str:
    """An ``Answer`` as ``text``, ``markdown`` or ``json`` (one line with ``compact``).

    ``streamed`` is the answer text already shown while it streamed: text output then leaves it
    out, or, when code withdrew it, says so before the refusal.
    """
    if fmt == "json":
        data = answer.to_dict()
        return json.dumps(data, ensure_ascii=False) if compact else to_json(data)
    if fmt == "markdown":
        return answer_markdown(answer)
    parts = []
    if streamed is None or not streamed.strip():
        parts.append(answer.answer)
    elif streamed.strip() != answer.answer.strip():
        # A repair request (a second request) replaced the draft that streamed; otherwise code
        # withdrew or rewrote an answer it could not back.
        repaired = answer.usage.requests > 1 and answer.withdrawn is None and not answer.refused
        replaced = (
            "replaced: the model's answer was not valid and was repaired" if repaired
            else "withdrawn: not backed by the article"
        )
        parts.append(f"({replaced})\n" + answer.answer)
    if answer.citations:
        lines = ["Evidence"]
        for citation in answer.citations:
            flag = "" if citation.verified else "  (UNVERIFIED)"
            lines.append(f"  [{citation.sentence}] {_quoted(citation.quote)}{flag}")
        parts.append("\n".join(lines))
    if answer.nearest:
        lines = ["Closest passages in the article"]
        lines.extend(f"  [{p.sentence}] {p.text}" for p in answer.nearest)
        parts.append("\n".join(lines))
    notes = [f"Note: {n}" for n in answer.notices] + [f"Warning: {w}" for w in answer.warnings]
    if notes:
        parts.append("\n".join(notes))
    return "\n\n".join(parts)


def answer_markdown(answer: Any, *, heading: str = "##") -> str:
    """An ``Answer`` as markdown: the question as a heading, the answer, the evidence quoted."""
    parts = [f"{heading} {answer.question}", answer.answer]
    if answer.citations:
        lines = []
        for citation in answer.citations:
            flag = "" if citation.verified else " **(unverified)**"
            lines.append(f"> **{citation.sentence}:** {_quoted(citation.quote)}{flag}")
        parts.append("\n>\n".join(lines))
    if answer.nearest:
        lines = ["Closest passages in the article:", ""]
        lines.extend(f"- **{p.sentence}:** {p.text}" for p in answer.nearest)
        parts.append("\n".join(lines))
    notes = [f"- Note: {n}" for n in answer.notices] + [f"- Warning: {w}" for w in answer.warnings]
    if notes:
        parts.append("\n".join(notes))
    return "\n\n".join(parts) + "\n"


def render_tokens(report: Any, fmt: str) -> str:
    """A ``chunking.TokenReport`` as ``text`` (a short report) or ``json``."""
    if fmt == "json":
        return to_json(report.to_dict())
    title = f" ({report.title})" if report.title else ""
    plan = report.plan
    lines = [
        f"{report.source}{title}",
        f"Tokens:     {report.tokens:,}, counted with {report.encoding}",
        f"Sentences:  {report.sentences:,} in {report.paragraphs:,} paragraphs",
        f"Model:      {report.model}",
    ]
    if plan is None:
        lines.append(f"Chunk plan: {report.plan_problem}")
    else:
        window = (
            f"            (the {plan.context_window:,}-token window less {plan.reserve:,} for "
            "instructions and the answer)"
        )
        if plan.fits:
            lines.append(
                f"Chunk plan: fits in one request: {plan.article_tokens:,} tokens as numbered "
                f"sentences, {plan.budget:,} available"
            )
            lines.append(window)
        else:
            lines.append(
                f"Chunk plan: {len(plan.chunks)} chunks of <= {plan.budget:,} tokens for "
                f"{plan.article_tokens:,} tokens as numbered sentences"
            )
            lines.append(window)
            shown = plan.chunks[:_CHUNKS_SHOWN]
            for chunk in shown:
                first, last = chunk.new_pieces[0].label, chunk.new_pieces[-1].label
                span = first if first == last else f"{first} to {last}"
                again = f", after {chunk.overlap} repeated" if chunk.overlap else ""
                lines.append(f"  {chunk.index + 1:>3}. {span} ({chunk.tokens:,} tokens{again})")
            if len(plan.chunks) > len(shown):
                lines.append(f"  ... and {len(plan.chunks) - len(shown)} more")
    if report.input_cost is None:
        lines.append(f"Cost:       price unknown for {report.model}")
    else:
        lines.append(
            f"Cost:       about {_usd(report.input_cost)} for the article as input, at "
            f"${report.info.input_per_million:,.2f} per 1M tokens (list price as of "
            f"{report.prices_as_of})"
        )
    return "\n".join(lines)


_CHUNKS_SHOWN = 20


def _usd(amount: float) -> str:
    """Dollars with enough decimals to show three significant digits of small amounts."""
    if amount <= 0:
        return "$0.00"
    if amount >= 1:
        return f"${amount:,.2f}"
    import math

    decimals = max(2, 2 - math.floor(math.log10(amount)))
    return f"${amount:.{decimals}f}"


def wrap_text(text: str, width: int) -> str:
    """``text`` with each line wrapped at word boundaries to ``width`` (for a terminal); a
    wrapped indented line (evidence, passages) continues two spaces deeper than it starts."""
    import textwrap

    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        out.append(textwrap.fill(line, width, subsequent_indent=indent + ("  " if indent else ""),
                                 break_long_words=False, break_on_hyphens=False))
    return "\n".join(out)


def _quoted(text: str) -> str:
    """``text`` in curly quotes, unless it already opens with a quotation of its own."""
    return text if text[:1] in "\"“‘'" else f"“{text}”"


def render_batch_summary(result: Any) -> str:
    """The closing line of a batch run: counts, requests, cost, and where the index is."""
    from .batch import format_usd

    totals = result.totals()
    money = format_usd(totals["cost_usd_this_run"])
    parts = [f"{totals['ok']} of {totals['articles']} summarised into {result.outdir}"]
    extras = []
    if totals["reused"]:
        extras.append(f"{totals['reused']} from an earlier run")
    if totals["cached"]:
        extras.append(f"{totals['cached']} from the cache")
    if extras:
        parts.append(f" ({', '.join(extras)})")
    parts.append(f"; {totals['failed']} failed")
    if totals["not_run"]:
        parts.append(f", {totals['not_run']} not run")
    parts.append(f"; {totals['requests_this_run']} requests, {money} this run. Index: {result.index_path}")
    return "".join(parts)


def render_dry_run(result: Any) -> str:
    """The ``--dry-run`` table: tokens, requests and estimated cost per article and in total."""
    from .batch import format_usd

    lines = [f"{'prompt':>9} {'answer≤':>8} {'req':>4} {'est. cost':>10}  source"]
    for entry in result.entries:
        if entry.estimate:
            est = entry.estimate
            cost = format_usd(est.get("cost_usd"))
            lines.append(f"{est['prompt_tokens']:>9} {est['completion_tokens']:>8} {est['requests']:>4} "
                         f"{cost:>10}  {entry.source}")
        elif entry.status == "ok":
            lines.append(f"{'-':>9} {'-':>8} {0:>4} {'$0.0000':>10}  {entry.source} (done in an earlier run)")
        elif entry.status == "failed":
            lines.append(f"{'-':>9} {'-':>8} {'-':>4} {'-':>10}  {entry.source} (cannot read: {entry.error})")
    total = result.totals()["estimate"]
    cost = format_usd(total["cost_usd"])
    lines.append(f"{total['prompt_tokens']:>9} {total['completion_tokens']:>8} {total['requests']:>4} "
                 f"{cost:>10}  total (answers at their ceiling; nothing was sent)")
    return "\n".join(lines)
