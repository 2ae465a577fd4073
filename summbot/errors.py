"""Every error summbot raises on purpose, and the exit code each one maps to.

Errors carry a message a user can act on: what failed, the value that failed, and what to do.
The CLI prints ``summbot: <message>`` on one line and exits with ``exit_code``; ``--debug``
adds the traceback. Nothing else in summbot prints errors.

    SummbotError                      1
    ├── InputError                    the article could not be read
    │   ├── SourceNotFound            3
    │   ├── SourceIsDirectory         4
    │   ├── EmptySource               5
    │   ├── BinarySource              6
    │   ├── UndecodableSource         7
    │   ├── SourceTooLarge            8
    │   ├── NoArticleFound            9
    │   ├── UnsupportedURL            10
    │   └── FetchError                11
    ├── ConfigError                   12  missing key, bad setting
    ├── PromptError                   13  missing or broken template
    ├── EngineError                   the engine could not answer
    │   ├── AuthenticationFailed      20
    │   ├── EngineUnreachable         21
    │   ├── RateLimited               22
    │   ├── EngineTimeout             23
    │   ├── ModelNotFound             24
    │   ├── ContextOverflow           25
    │   ├── InvalidModelOutput        26
    │   ├── StreamInterrupted         27
    │   └── CassetteMiss              28
    ├── CacheError                    30
    └── OutputError                   31  cannot write the output
        └── OutputLocked              32  another batch is writing to the folder
"""

from __future__ import annotations


class SummbotError(Exception):
    """Base of summbot's own errors; ``str(error)`` is the one line shown to the user."""

    exit_code = 1


class InputError(SummbotError):
    """The article could not be read or holds no article."""

    exit_code = 2


class SourceNotFound(InputError):
    exit_code = 3


class SourceIsDirectory(InputError):
    exit_code = 4


class EmptySource(InputError):
    exit_code = 5


class BinarySource(InputError):
    exit_code = 6


class UndecodableSource(InputError):
    exit_code = 7


class SourceTooLarge(InputError):
    exit_code = 8


class NoArticleFound(InputError):
    exit_code = 9


class UnsupportedURL(InputError):
    exit_code = 10


class FetchError(InputError):
    exit_code = 11


class ConfigError(SummbotError):
    exit_code = 12


class PromptError(SummbotError):
    exit_code = 13


class EngineError(SummbotError):
    """The engine could not produce an answer."""

    exit_code = 19


class AuthenticationFailed(EngineError):
    exit_code = 20


class EngineUnreachable(EngineError):
    exit_code = 21


class RateLimited(EngineError):
    """The server kept answering 429. ``retry_after`` is the wait, in seconds, its last answer
    asked for (``Retry-After`` / ``retry-after-ms``), or None when it did not say; a batch pauses
    that long before trying the article again."""

    exit_code = 22

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class EngineTimeout(EngineError):
    exit_code = 23


class ModelNotFound(EngineError):
    exit_code = 24


class ContextOverflow(EngineError):
    exit_code = 25


class InvalidModelOutput(EngineError):
    exit_code = 26


class StreamInterrupted(EngineError):
    exit_code = 27


class CassetteMiss(EngineError):
    exit_code = 28


class CacheError(SummbotError):
    exit_code = 30


class OutputError(SummbotError):
    exit_code = 31


class OutputLocked(OutputError):
    """Another ``summbot batch`` holds the output folder's lock; two runs never interleave."""

    exit_code = 32
