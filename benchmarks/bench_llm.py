"""Requests and tokens per article for the openai engine, against the loopback fake server.

Targets (issue 3): exactly 1 request when the article fits the context window, and at most 400
tokens of template overhead beyond the article (the prompt's tokens minus the article body's).
Also shows what map-reduce costs when the window is forced small. Run by hand:

    python benchmarks/bench_llm.py

Uses the bundled examples; ``../shared/data`` is not needed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summbot.article import load_article  # noqa: E402
from summbot.engines.openai import OpenAIEngine  # noqa: E402
from summbot.summarize import summarize  # noqa: E402
from summbot.tokens import counter_for_model  # noqa: E402
from tests.fakeserver import FakeOpenAIServer, reply  # noqa: E402

MODEL = "gpt-4.1-mini"


def answer(body: dict) -> object:
    name = (body.get("response_format") or {}).get("json_schema", {}).get("name")
    if name == "notes":
        return reply(json.dumps({"notes": [{"text": "A note.", "sentences": ["S1"]}]}))
    return reply(json.dumps({"summary": "A summary.", "key_points": [],
                             "headline_check": {"supported": None, "note": ""}}))


def main() -> int:
    counter = counter_for_model(MODEL)
    print(f"tokens counted with {counter.encoding_name}")
    from summbot.summarize import LENGTHS
    from summbot.templates import Prompts

    frame = Prompts().get("summary").render(article="", title="", length=LENGTHS["medium"], points="5")
    fixed = sum(counter.count(m["content"]) + 4 for m in frame)
    print(f"fixed template overhead (the prompt around an empty article): {fixed} tokens (target <= 400)")
    print("overhead below = prompt - article body: the fixed part, the title, and the [S1] ids")
    print(f"{'article':<24} {'article tok':>11} {'prompt tok':>10} {'overhead':>8} {'per sent.':>9} {'requests':>8}   map-reduce at 2,500-token window")
    worst = 0
    with FakeOpenAIServer() as server:
        server.default = answer
        for path in sorted((ROOT / "examples").glob("*.txt")) + sorted((ROOT / "examples").glob("*.html")):
            article = load_article(str(path), model=MODEL)
            engine = OpenAIEngine(MODEL, api_key="bench", base_url=server.base_url)
            before = len(server.chat_requests)
            summarize(article, engine)
            sent = server.chat_requests[before:]
            body = sent[0].json
            prompt = sum(counter.count(m["content"]) + 4 for m in body["messages"])
            article_tokens = counter.count(article.text)
            overhead = prompt - article_tokens
            worst = max(worst, overhead)
            small = OpenAIEngine(MODEL, api_key="bench", base_url=server.base_url, context_window=2500)
            before = len(server.chat_requests)
            result = summarize(article, small)
            mapped = len(server.chat_requests) - before
            per_sentence = (overhead - fixed) / len(article.sentences)
            print(f"{path.name:<24} {article_tokens:>11} {prompt:>10} {overhead:>8} {per_sentence:>9.1f} {len(sent):>8}   "
                  f"{mapped} requests ({result.strategy})")
    print(f"\nfixed overhead {fixed} tokens; largest total overhead {worst} tokens, which grows by the "
          "sentence ids (about 3.5 tokens a sentence); one request each when the article fits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
