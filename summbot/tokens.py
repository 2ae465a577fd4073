"""Token counting. PLACEHOLDER: being written (issue 2)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class TokenCounter:
    encoding_name: str

    def count(self, text: str) -> int:
        return len(text.split())


def counter_for_model(model: str | None) -> TokenCounter:
    return TokenCounter("whitespace")
