"""Pathological inputs for the sentence splitter stay linear: run by hand, not in the tests.

    python benchmarks/bench_pathological.py

Each input is timed at two sizes; the ratio should be about 2 (linear), never about 4
(quadratic). Before the fix of 2026-11-30, 100,000 full stops took 170 s.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from summbot.sentences import split_sentences

CASES: dict[str, Callable[[int], str]] = {
    "no punctuation": lambda n: "word " * n,
    "full stops": lambda n: "." * n,
    "?! run": lambda n: "!?" * (n // 2),
    "ellipsis characters": lambda n: "…" * n,
    "spaced dots": lambda n: ". " * n,
    "unclosed quote, ellipses": lambda n: '"' + "wait... Now " * (n // 10),
    "abbreviations": lambda n: "Mr. " * (n // 4),
}


def main() -> None:
    for name, make in CASES.items():
        times = []
        for size in (100_000, 200_000):
            text = make(size)
            start = time.perf_counter()
            split_sentences(text)
            times.append(time.perf_counter() - start)
        ratio = times[1] / times[0] if times[0] > 1e-4 else float("nan")
        print(f"{name:28} {times[0] * 1000:8.1f} ms  {times[1] * 1000:8.1f} ms  x{ratio:.1f}")


if __name__ == "__main__":
    main()
