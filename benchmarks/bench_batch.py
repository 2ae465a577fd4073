"""Benchmark ``summbot batch`` against the loopback fake OpenAI server (run by hand, not in CI).

What it measures, each in a fresh ``summbot`` process run exactly as a user would run it:

* wall time for 50 articles at ``-j 16`` with the server answering after 0.3 s
  (target <= 2.0 s for the whole process; the ideal is 4 waves x 0.3 s = 1.2 s);
* requests the server receives on a second run of the same command (target: 0);
* CPU per article beyond the fixed start-up cost: (CPU for N - CPU for 50) / (N - 50)
  (target <= 10 ms);
* peak RSS at 50 and at N articles (target: flat);
* the timeline of the 50-article run: when the server saw the first and the last request,
  counted from the moment the process was started (the fixed start-up cost is the first figure).

Usage: ``python benchmarks/bench_batch.py [--large 1000] [--delay 0.3] [--jobs 16]``. The
articles are generated (``tests/batch_helpers.py``); ``../shared/data`` is not needed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import fakeserver  # noqa: E402
from tests.batch_helpers import summarising, write_articles  # noqa: E402

# Sixteen clients connecting at once overflow the stdlib server's default listen backlog of 5,
# and the kernel then makes the extra clients wait a 1 s SYN retry: a fake-server artefact that
# a real API server does not have.
fakeserver._Server.request_queue_size = 128

#: Runs the CLI and, at exit, writes the process's CPU seconds and peak RSS to a JSON file.
RUNNER = """
import atexit, json, resource, sys
target = sys.argv[1]
def report():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open(target, "w") as handle:
        json.dump({"cpu": usage.ru_utime + usage.ru_stime, "rss_kb": usage.ru_maxrss}, handle)
atexit.register(report)
sys.argv = ["summbot", *sys.argv[2:]]
from summbot.cli import main
main()
"""


class Timeline:
    """Wraps the server's default behaviour to note when each chat request arrives."""

    def __init__(self, behaviour: Callable[[dict[str, Any]], Any]) -> None:
        self.behaviour = behaviour
        self.arrivals: list[float] = []
        self.lock = threading.Lock()

    def __call__(self, body: dict[str, Any]) -> Any:
        with self.lock:
            self.arrivals.append(time.perf_counter())
        return self.behaviour(body)

    def since(self, started: float) -> list[float]:
        with self.lock:
            return sorted(t - started for t in self.arrivals if t >= started)


def run_cli(args: list[str], env: dict[str, str], work: Path) -> dict[str, float]:
    stats = work / "stats.json"
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RUNNER, str(stats), *args], env=env, cwd=work,
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"summbot batch failed ({done.returncode}): {done.stderr[-2000:]}")
    measured = json.loads(stats.read_text())
    return {"wall": wall, "cpu": measured["cpu"], "rss_mb": measured["rss_kb"] / 1024, "started": started}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=50)
    parser.add_argument("--large", type=int, default=1000)
    parser.add_argument("--delay", type=float, default=0.3)
    parser.add_argument("--jobs", type=int, default=16)
    options = parser.parse_args()
    if options.large <= options.small:
        parser.error("--large must be more than --small")

    timeline = Timeline(summarising(delay=options.delay))
    with fakeserver.FakeOpenAIServer(timeline) as server, \
            tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        write_articles(work / "small", options.small)
        write_articles(work / "large", options.large, start=options.small)
        env = {**os.environ, "OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "bench",
               "SUMMBOT_CACHE_DIR": str(work / "cache"), "PYTHONPATH": str(ROOT)}
        for name in ("SUMMBOT_ENGINE", "SUMMBOT_MODEL", "SUMMBOT_PROMPTS"):
            env.pop(name, None)
        common = ["--model", "gpt-4o-mini", "-j", str(options.jobs), "-q"]

        first = run_cli(["batch", "small", "-o", "out-small", *common], env, work)
        arrivals = timeline.since(first["started"])
        sent_first = len(server.chat_requests)
        second = run_cli(["batch", "small", "-o", "out-small-again", *common], env, work)
        sent_second = len(server.chat_requests) - sent_first
        big = run_cli(["batch", "large", "-o", "out-large", *common], env, work)
        sent_big = len(server.chat_requests) - sent_first - sent_second

    ideal = -(-options.small // options.jobs) * options.delay
    per_article_ms = (big["cpu"] - first["cpu"]) / (options.large - options.small) * 1000
    print(f"summbot batch against the fake server (answers after {options.delay} s), -j {options.jobs}")
    print(f"  {options.small} articles: {first['wall']:.2f} s wall (target <= 2.0 s, ideal {ideal:.2f} s), "
          f"{first['cpu']:.2f} s CPU, peak RSS {first['rss_mb']:.0f} MB, {sent_first} requests")
    if arrivals:
        print(f"  timeline: first request at {arrivals[0]:.2f} s, request {min(options.jobs, len(arrivals))} "
              f"at {arrivals[min(options.jobs, len(arrivals)) - 1]:.2f} s, last at {arrivals[-1]:.2f} s, "
              f"exit at {first['wall']:.2f} s")
    print(f"  same {options.small} again (new output folder, cache warm): {second['wall']:.2f} s wall, "
          f"{sent_second} requests (target 0)")
    print(f"  {options.large} articles: {big['wall']:.2f} s wall, {big['cpu']:.2f} s CPU, "
          f"peak RSS {big['rss_mb']:.0f} MB, {sent_big} requests")
    print(f"  CPU per article beyond start-up: {per_article_ms:.1f} ms (target <= 10 ms)")
    print(f"  peak RSS {options.small} -> {options.large} articles: {first['rss_mb']:.0f} MB -> "
          f"{big['rss_mb']:.0f} MB ({big['rss_mb'] - first['rss_mb']:+.0f} MB)")


if __name__ == "__main__":
    main()
