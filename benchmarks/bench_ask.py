"""Whole-process latency of ``summbot ask`` with the offline engine (run by hand, not a test).

Target: <= 0.4 s from process start to answer for a 2,000-word article
(``examples/harbour-ferry.txt``). Each question runs as a fresh ``python -m summbot`` process,
several times; the median and best wall times are printed, then where the time goes inside one
process (imports, loading the article, answering).

    python benchmarks/bench_ask.py [--runs N] [--article PATH]

Needs nothing outside the project.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "How many passengers will each new boat carry?",
    "What did Vogel say?",
    "Who won the football match?",
]
TARGET = 0.4


def whole_process(article: str, question: str, runs: int) -> tuple[list[float], list[float]]:
    """Wall times and CPU times (user + system) of ``runs`` fresh processes. On a busy shared
    machine the CPU time is the steadier figure: it leaves out waiting for a core."""
    import resource

    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "summbot", "ask", article, question, "--engine", "extractive"],
            check=True, capture_output=True, cwd=ROOT,
        )
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def in_process(article_path: str, question: str) -> dict[str, float]:
    """Stages of one answer in this process (imports are already warm after the first call)."""
    stages: dict[str, float] = {}
    start = time.perf_counter()
    from summbot.article import load_article
    from summbot.engines.extractive import ExtractiveEngine
    from summbot.qa import answer

    stages["imports"] = time.perf_counter() - start
    start = time.perf_counter()
    article = load_article(article_path)
    stages["load_article (incl. token count)"] = time.perf_counter() - start
    start = time.perf_counter()
    answer(article, question, ExtractiveEngine())
    stages["first answer (builds the index)"] = time.perf_counter() - start
    start = time.perf_counter()
    answer(article, question, ExtractiveEngine())
    stages["second answer"] = time.perf_counter() - start
    return stages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--article", default=str(ROOT / "examples" / "harbour-ferry.txt"))
    parser.add_argument("--stages", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.stages:  # run in a fresh process by the parent, so that imports are cold
        for stage, seconds in in_process(options.article, QUESTIONS[0]).items():
            print(f"  {stage:<36} {seconds * 1000:7.1f} ms")
        return 0

    words = len(Path(options.article).read_text(encoding="utf-8").split())
    print(f"summbot ask {Path(options.article).name} (~{words:,} words) --engine extractive, "
          f"{options.runs} runs each, whole process")
    medians = []
    for question in QUESTIONS:
        walls, cpus = whole_process(options.article, question, options.runs)
        medians.append(statistics.median(walls))
        print(f"  {question:<48} wall median {statistics.median(walls):.3f} s, best {min(walls):.3f} s;"
              f" CPU median {statistics.median(cpus):.3f} s")
    worst = max(medians)
    verdict = "meets" if worst <= TARGET else "MISSES"
    print(f"worst wall median {worst:.3f} s: {verdict} the {TARGET} s target "
          f"(load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print("\nWhere the time goes in one fresh process:")
    stages = subprocess.run(
        [sys.executable, __file__, "--stages", "--article", options.article],
        check=True, capture_output=True, text=True, cwd=ROOT,
    )
    print(stages.stdout, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
