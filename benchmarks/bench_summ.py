"""Extractive summary quality (ROUGE) and ranking speed (run by hand, not a test).

Quality: ROUGE-1/2/L F1 (``rouge-score``, Porter stemming on, as the data's README scores it) of
each system's summary against the one-sentence references of ``summ-dev/xsum`` (305 BBC
articles). Systems:

- ``extractive medium``: summbot's default summary (at most 3 sentences / 100 words);
- ``extractive short``: at most 2 sentences / 60 words;
- ``Lead-3`` and ``Lead-1``: the first three sentences, the first sentence;
- ``LexRank``: Erkan & Radev's LexRank (tf-idf cosine graph, threshold 0.1, PageRank with
  damping 0.85), top 3 sentences in article order, implemented below with the same tokens.

The baselines run on the sentences a cleaner should have kept (``debris_free``: XSum's files
still start with BBC share bars in about 116 of 305 articles, and "Lead-3" of the raw file is
then "Share this with Email Facebook"); the raw-file rows are printed too, for reference.

Articles go through ``summbot.article.build_article`` with one paragraph block per blank-line
separated paragraph, so every system sees the sentences summbot's splitter produces. The mean
word count of each system's summaries is printed beside its scores, since ROUGE F1 rewards
length-matched output. The ranking's weights were chosen on the ``even`` half (articles at even
positions in id order); the table shows both halves so the ``odd`` half is a held-out check.

Under each table, the per-article difference between the default summary and each baseline:
the mean, a bootstrap 95% interval (1,000 resamples of the articles, fixed seed) and the
articles won and lost, because on 150 articles a lead of a few tenths of a point can be noise.

Then a lead-heavy check (``load_lead_heavy``): CNN/DailyMail articles whose references copy the
lead, to see what the ranking gives up where Lead-3 is hard to beat. It served as a guard while
choosing the centrality weight (kept moderate because of it) and while adding redundancy-aware
selection (which it favours); no weight was fitted to it.

Speed: the time to rank and summarise a 1,000-word article (median of many runs).

    python benchmarks/bench_summ.py [--split all|even|odd] [--limit N]

The data folder is ``../shared/data`` beside the project, or ``$SUMMBOT_DATA``; without it the
quality part prints a skip message and the speed part runs on a generated article.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from summbot.article import Article, Sentence, build_article
from summbot.cleaning import Block, Cleaned
from summbot.engines.base import Task
from summbot.ranking import score_sentences, select_summary, summarize_task
from summbot.textutil import STOPWORDS, stem, words

System = Callable[[Article], list[Sentence]]


def data_dir() -> Path:
    """Where the evaluation data lives: ``$SUMMBOT_DATA`` or ``../shared/data``."""
    env = os.environ.get("SUMMBOT_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1].parent / "shared" / "data"


def article_from_text(name: str, text: str, title: str | None = None) -> Article:
    """An article whose paragraphs are the blank-line separated blocks of ``text``."""
    blocks = [Block("paragraph", " ".join(p.split())) for p in text.split("\n\n") if p.strip()]
    return build_article(name, Cleaned(title, None, None, None, blocks))


def load_xsum(folder: Path) -> list[tuple[str, Article, str]]:
    """(id, article, reference) for every article of the set, in id order."""
    refs = json.loads((folder / "refs.json").read_text(encoding="utf-8"))
    items = []
    for key in sorted(refs):
        text = (folder / f"{key}.txt").read_text(encoding="utf-8")
        items.append((key, article_from_text(key, text), refs[key]))
    return items


def load_lead_heavy(path: Path) -> list[tuple[str, Article, str]]:
    """CNN/DailyMail articles from SummEval with a summary judged consistent with them.

    Not a summarisation test set: the references are other systems' summaries (Lead-3 among
    them), which copy the lead heavily. It is here as a check of how much the ranking gives up
    where the lead is best, the situation of the held-out news sets.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        (key, article_from_text(key, row["document"]), row["claim"])
        for key, row in sorted(data.items())
        if row.get("label") == 1
    ]


# --- baselines ---------------------------------------------------------------------------------


def lead(n: int) -> System:
    return lambda article: list(article.sentences[:n])


def debris_free(article: Article) -> list[Sentence]:
    """The sentences a cleaner should have kept: not boilerplate, fragments or heading-like lines.

    XSum's files still hold BBC share bars ("Share this with", "Email", ...), so the first three
    sentences of a raw file are often those; the baselines run on the kept sentences too, so the
    comparison is about choosing sentences, not about noise.
    """
    debris = {
        s.id
        for s in score_sentences(article)
        if s.reason in ("boilerplate", "too short", "heading", "caption")
    }
    return [s for s in article.sentences if s.id not in debris]


def clean_lead(n: int) -> System:
    return lambda article: debris_free(article)[:n]


def lexrank(
    sentences: Sequence[Sentence], count: int = 3, threshold: float = 0.1, damping: float = 0.85
) -> list[Sentence]:
    """LexRank (Erkan & Radev 2004) with a thresholded cosine graph; top ``count`` in article order."""
    n = len(sentences)
    if n <= count:
        return list(sentences)
    terms = [[stem(w) for w in words(s.text) if w not in STOPWORDS] for s in sentences]
    df: dict[str, int] = {}
    for t in terms:
        for term in set(t):
            df[term] = df.get(term, 0) + 1
    vectors = []
    for t in terms:
        v: dict[str, float] = {}
        for term in t:
            v[term] = v.get(term, 0.0) + 1.0
        for term in v:
            v[term] *= math.log(n / df[term]) if df[term] < n else 0.0
        norm = math.sqrt(sum(x * x for x in v.values()))
        vectors.append({k: x / norm for k, x in v.items()} if norm else {})
    adjacency = [[0.0] * n for _ in range(n)]
    for i in range(n):
        adjacency[i][i] = 1.0
        for j in range(i + 1, n):
            sim = sum(x * vectors[j].get(k, 0.0) for k, x in vectors[i].items())
            if sim > threshold:
                adjacency[i][j] = adjacency[j][i] = 1.0
    degree = [sum(row) for row in adjacency]
    rank = [1.0 / n] * n
    for _ in range(100):
        new = [
            (1 - damping) / n
            + damping * sum(adjacency[j][i] * rank[j] / degree[j] for j in range(n))
            for i in range(n)
        ]
        delta = sum(abs(a - b) for a, b in zip(new, rank))
        rank = new
        if delta < 1e-6:
            break
    best = sorted(range(n), key=lambda i: (-rank[i], i))[:count]
    return [sentences[i] for i in sorted(best)]


def systems() -> dict[str, System]:
    return {
        "extractive medium": lambda a: select_summary(a, "medium"),
        "extractive short": lambda a: select_summary(a, "short"),
        "Lead-3": clean_lead(3),
        "Lead-1": clean_lead(1),
        "LexRank (3)": lambda a: lexrank(debris_free(a)),
        "Lead-3 (raw file)": lead(3),
        "LexRank (raw file)": lambda a: lexrank(a.sentences),
    }


# --- scoring -----------------------------------------------------------------------------------


METRICS = ("rouge1", "rouge2", "rougeL")
#: Per system, per article: ROUGE-1/2/L F1 (x100) and the summary's word count.
Scores = dict[str, list[dict[str, float]]]


def rouge_scores(items: Sequence[tuple[str, Article, str]]) -> Scores:
    """Every system's ROUGE-1/2/L F1 (x100) and summary words on every article, in item order."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    scores: Scores = {}
    for name, system in systems().items():
        rows = []
        for _, article, reference in items:
            summary = " ".join(s.text for s in system(article))
            result = scorer.score(reference, summary)
            row = {key: result[key].fmeasure * 100 for key in METRICS}
            row["words"] = float(len(summary.split()))
            rows.append(row)
        scores[name] = rows
    return scores


def rouge_table(scores: Scores) -> dict[str, dict[str, float]]:
    """Mean ROUGE-1/2/L F1 (x100) and mean summary words, per system."""
    return {
        name: {
            key: sum(row[key] for row in rows) / max(1, len(rows)) for key in (*METRICS, "words")
        }
        for name, rows in scores.items()
    }


def print_paired(scores: Scores, system: str, baseline: str, resamples: int = 1000) -> None:
    """The per-article difference system - baseline: mean, a bootstrap 95% interval, and how
    many articles it wins and loses, so that a lead of a tenth of a point is not read as a win.

    Articles are resampled with a fixed seed, so the figures repeat run to run.
    """
    import random

    ours, theirs = scores[system], scores[baseline]
    n = len(ours)
    if not n:
        return
    rng = random.Random(0)
    draws = [[rng.randrange(n) for _ in range(n)] for _ in range(resamples)]
    parts = []
    for key, label in zip(METRICS, ("R-1", "R-2", "R-L")):
        diff = [a[key] - b[key] for a, b in zip(ours, theirs)]
        means = sorted(sum(diff[i] for i in draw) / n for draw in draws)
        low, high = means[int(0.025 * resamples)], means[int(0.975 * resamples) - 1]
        wins = sum(d > 1e-9 for d in diff)
        losses = sum(d < -1e-9 for d in diff)
        parts.append(f"{label} {sum(diff) / n:+.2f} [{low:+.2f}, {high:+.2f}] {wins}W/{losses}L")
    print(f"  {system} - {baseline}: " + "; ".join(parts))


def print_table(title: str, table: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    print(f"{'system':<20} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'words':>6}")
    for name, row in table.items():
        print(
            f"{name:<20} {row['rouge1']:6.2f} {row['rouge2']:6.2f} {row['rougeL']:6.2f} {row['words']:6.1f}"
        )


def split(items: Sequence[tuple[str, Article, str]], which: str) -> list[tuple[str, Article, str]]:
    if which == "even":
        return list(items[0::2])
    if which == "odd":
        return list(items[1::2])
    return list(items)


# --- speed -------------------------------------------------------------------------------------


def thousand_word_article(items: Sequence[tuple[str, Article, str]]) -> Article:
    """About 1,000 words: real articles joined when there is data, generated text otherwise."""
    if items:
        paragraphs: list[str] = []
        for _, article, _ in items:
            for paragraph in article.paragraphs:
                if sum(len(p.split()) for p in paragraphs) >= 1000:
                    break
                paragraphs.append(paragraph)
            if sum(len(p.split()) for p in paragraphs) >= 1000:
                break
        return article_from_text("1000-words", "\n\n".join(paragraphs), title="A thousand words")
    vocabulary = "council budget school road river police report minister plan city hospital water"
    words_ = vocabulary.split()
    sentences = []
    for i in range(60):
        chosen = [words_[(i * 7 + j * 3) % len(words_)] for j in range(14)]
        sentences.append("The " + " ".join(chosen) + " said on Monday.")
    text = "\n\n".join(" ".join(sentences[i : i + 3]) for i in range(0, 60, 3))
    return article_from_text("1000-words", text, title="Council budget plan for schools")


def time_ranking(article: Article, runs: int = 50) -> float:
    """Median seconds to answer a medium summary task (ranking, summary, points, headline)."""
    summarize_task(Task("summary", article))  # warm the stem cache like a second article would
    times = []
    for _ in range(runs):
        from summbot.textutil import stem as cached

        cached.cache_clear()  # time the cold path: every word stemmed afresh
        start = time.perf_counter()
        summarize_task(Task("summary", article))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_process(article: Article, runs: int = 7) -> tuple[float, float] | None:
    """Median (wall, CPU) seconds of a whole ``summbot summarize`` process on the article.

    CPU (user + system of the child) is printed beside wall time because on a busy shared
    machine the wall time mostly measures the other tenants. None when the command fails.
    """
    import resource
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.txt"
        path.write_text(f"{article.title or 'Untitled'}\n\n{article.text}\n", encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "summbot",
            "summarize",
            str(path),
            "--engine",
            "extractive",
        ]
        walls, cpus = [], []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, check=False)
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if done.returncode != 0:
                return None
    return statistics.median(walls), statistics.median(cpus)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["all", "even", "odd"], default="all")
    parser.add_argument("--limit", type=int, default=0, help="Score only the first N articles.")
    args = parser.parse_args(argv)

    folder = data_dir() / "summ-dev" / "xsum"
    items: list[tuple[str, Article, str]] = []
    if not (folder / "refs.json").is_file():
        print(f"skip ROUGE: no summ-dev data at {folder} (set SUMMBOT_DATA to its parent folder).")
    else:
        items = load_xsum(folder)
        if args.limit:
            items = items[: args.limit]
        try:
            import rouge_score  # noqa: F401
        except ImportError:
            print("skip ROUGE: rouge-score is not installed (pip install -e '.[bench]').")
        else:
            print(
                f"ROUGE F1 x100 on summ-dev/xsum, rouge-score with stemming ({len(items)} articles)"
            )
            halves = ["even", "odd", "all"] if args.split == "all" else [args.split]
            for half in halves:
                chosen = split(items, half)
                label = {"even": "tuning half", "odd": "held-out half", "all": "all"}[half]
                scores = rouge_scores(chosen)
                print_table(f"{half} ({label}, {len(chosen)} articles)", rouge_table(scores))
                for baseline in ("Lead-3", "LexRank (3)"):
                    print_paired(scores, "extractive medium", baseline)
            summeval = data_dir() / "consistency-dev" / "summeval.json"
            if summeval.is_file():
                heavy = load_lead_heavy(summeval)
                heavy_scores = rouge_scores(heavy)
                print_table(
                    f"lead-heavy check: {len(heavy)} CNN/DM articles of consistency-dev/summeval.json,"
                    " references = consistent system summaries (they copy the lead; a guard, not a target)",
                    rouge_table(heavy_scores),
                )
                print_paired(heavy_scores, "extractive medium", "Lead-3")

    article = thousand_word_article(items)
    seconds = time_ranking(article)
    print(
        f"\nranking a {article.word_count}-word article ({len(article.sentences)} sentences): "
        f"{seconds * 1000:.2f} ms (median, summary + key points + headline check, cold stem cache)"
    )
    process = time_process(article)
    if process is None:
        print("skip process timing: `python -m summbot summarize --engine extractive` failed.")
    else:
        wall, cpu = process
        load = os.getloadavg()[0]
        print(
            f"`summbot summarize --engine extractive` on it, whole process: {wall:.3f} s wall, "
            f"{cpu:.3f} s CPU (median of 7 runs; target <= 0.35 s wall; load average {load:.1f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
