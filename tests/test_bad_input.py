"""Every bad input gets one line on stderr naming it and saying what to do, its own exit
code, no traceback, and nothing on stdout. Driven through ``summbot clean`` as a user runs it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import http_helpers
import pytest
from click.testing import CliRunner
from http_helpers import LoopbackServer, closed_port

from summbot import errors, sources
from summbot.cli import cli

http_server = http_helpers.http_server  # the fixture

ARTICLE = (
    "The city council approved the new bridge on Tuesday after a two-hour debate. "
    "“It is a good day for the river towns,” the mayor said.\n"
)
CP1251_TEXT = ("Москва сообщила сегодня о новых мерах поддержки. " * 4).encode("cp1251")
NAV_ONLY_PAGE = """<!DOCTYPE html>
<html><head><title>Example News</title></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<footer><p><a href="/terms">Terms</a> | <a href="/privacy">Privacy</a></p></footer>
</body></html>
"""


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str


def run(*args: str, stdin: bytes | None = None) -> Outcome:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return Outcome(result.exit_code, result.stdout, result.stderr)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test runs in an empty folder, so messages show short relative names."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def make(name: str, data: bytes | str) -> str:
    Path(name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return name


@dataclass
class Case:
    id: str
    setup: Callable[[], list[str]]  # builds the input, returns the command line after `clean`
    message: str
    error: type[errors.SummbotError]
    stdin: bytes | None = None


def sparse_50_mb() -> list[str]:
    with open("big.txt", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    return ["big.txt"]


CASES = [
    Case(
        "missing-file",
        lambda: ["missing.txt"],
        "missing.txt: no such file; check the path, or use - to read from stdin.",
        errors.SourceNotFound,
    ),
    Case(
        "url-without-scheme",
        lambda: ["example.com/news/story"],
        "example.com/news/story: no such file; if it is a web page, add https:// in front.",
        errors.SourceNotFound,
    ),
    Case(
        "directory",
        lambda: [os.mkdir("articles") or "articles/"],
        "articles/: is a directory; pass a file (use 'summbot batch' for folders).",
        errors.SourceIsDirectory,
    ),
    Case(
        "empty-file",
        lambda: [make("empty.txt", b"")],
        "empty.txt: the file is empty; nothing to summarise.",
        errors.EmptySource,
    ),
    Case(
        "whitespace-only-file",
        lambda: [make("blank.txt", b" \n\t\r\n  \n")],
        "blank.txt: the file holds only whitespace; nothing to summarise.",
        errors.EmptySource,
    ),
    Case(
        "bom-only-file",
        lambda: [make("bom.txt", b"\xef\xbb\xbf\n")],
        "bom.txt: holds only whitespace; nothing to summarise.",
        errors.EmptySource,
    ),
    Case(
        "empty-stdin",
        lambda: ["-"],
        "<stdin>: no input on stdin; nothing to summarise.",
        errors.EmptySource,
        stdin=b"",
    ),
    Case(
        "png",
        lambda: [make("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))],
        "photo.png: looks like a PNG image, not text or HTML; pass a .txt or .html article.",
        errors.BinarySource,
    ),
    Case(
        "binary-named-txt",
        lambda: [make("notes.txt", bytes(range(256)) * 8)],
        "notes.txt: looks like binary data, not text or HTML; pass a .txt or .html article.",
        errors.BinarySource,
    ),
    Case(
        "gzip",
        lambda: [make("page.html.gz", b"\x1f\x8b\x08\x00" + bytes(40))],
        "page.html.gz: looks like gzip-compressed data, not text or HTML; "
        "decompress it first (gunzip), then pass the file.",
        errors.BinarySource,
    ),
    Case(
        "binary-stdin",
        lambda: ["-"],
        "<stdin>: looks like a PDF document, not text or HTML; "
        "copy its text into a .txt file and pass that.",
        errors.BinarySource,
        stdin=b"%PDF-1.4\n%\xc7\xec\x8f\xa2\n",
    ),
    Case(
        "undecodable",
        lambda: [make("russian.txt", CP1251_TEXT)],
        "russian.txt: could not tell the text encoding (not UTF-8, UTF-16 or "
        "Windows-1252/Latin-1); re-save it as UTF-8.",
        errors.UndecodableSource,
    ),
    Case(
        "50-mb-file",
        sparse_50_mb,
        "big.txt: 52.4 MB is over the 10 MB limit; split the file or raise --max-bytes.",
        errors.SourceTooLarge,
    ),
    Case(
        "over-max-bytes",
        lambda: [make("long.txt", ARTICLE * 20), "--max-bytes", "2kB"],
        "long.txt: 2.7 kB is over the 2 kB limit; split the file or raise --max-bytes.",
        errors.SourceTooLarge,
    ),
    Case(
        "stdin-over-max-bytes",
        lambda: ["-", "--max-bytes", "1000"],
        "<stdin>: the input is over the 1 kB limit; split it or raise --max-bytes.",
        errors.SourceTooLarge,
        stdin=ARTICLE.encode() * 20,
    ),
    Case(
        "ftp-url",
        lambda: ["ftp://x/y"],
        "ftp://x/y: only http:// and https:// URLs are supported.",
        errors.UnsupportedURL,
    ),
    Case(
        "javascript-url",
        lambda: ["javascript:alert(1)"],
        "javascript:alert(1): only http:// and https:// URLs are supported.",
        errors.UnsupportedURL,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_gets_one_line_and_its_own_exit_code(case: Case, in_tmp: Path) -> None:
    args = case.setup()
    before = sorted(os.listdir(in_tmp))
    outcome = run("clean", *args, stdin=case.stdin)
    assert outcome == Outcome(case.error.exit_code, "", f"summbot: {case.message}\n")
    assert sorted(os.listdir(in_tmp)) == before  # nothing written


def test_every_bad_input_class_has_a_distinct_exit_code() -> None:
    classes = [
        errors.InputError,
        errors.SourceNotFound,
        errors.SourceIsDirectory,
        errors.EmptySource,
        errors.BinarySource,
        errors.UndecodableSource,
        errors.SourceTooLarge,
        errors.NoArticleFound,
        errors.UnsupportedURL,
        errors.FetchError,
    ]
    codes = [cls.exit_code for cls in classes]
    assert len(set(codes)) == len(codes)
    assert 0 not in codes and 1 not in codes


def test_permission_denied(monkeypatch: pytest.MonkeyPatch) -> None:
    make("secret.txt", ARTICLE)

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    # Tests run as root here, where chmod 000 does not stop a read; fail the open instead.
    monkeypatch.setattr(sources, "open", denied, raising=False)
    outcome = run("clean", "secret.txt")
    assert outcome == Outcome(
        2, "", "summbot: secret.txt: permission denied; check the file's permissions.\n"
    )


def test_an_html_page_with_no_text_has_no_article() -> None:
    make(
        "app.html", "<!DOCTYPE html><html><head><script>boot()</script></head><body></body></html>"
    )
    outcome = run("clean", "app.html")
    assert outcome == Outcome(
        errors.NoArticleFound.exit_code,
        "",
        "summbot: app.html: no article text found in this HTML page; "
        "save the article's text to a .txt file and try that.\n",
    )


def test_an_html_page_with_only_a_menu_and_footer_has_no_article() -> None:
    make("menu.html", NAV_ONLY_PAGE)
    outcome = run("clean", "menu.html")
    assert outcome == Outcome(
        errors.NoArticleFound.exit_code,
        "",
        "summbot: menu.html: no article text found in this HTML page; "
        "save the article's text to a .txt file and try that.\n",
    )


def test_a_bad_max_bytes_is_a_usage_error() -> None:
    make("a.txt", ARTICLE)
    outcome = run("clean", "a.txt", "--max-bytes", "lots")
    assert outcome.code == 2
    assert outcome.stdout == ""
    assert outcome.stderr.endswith(
        "Error: Invalid value for '--max-bytes': 'lots' is not a size; "
        "use bytes or a unit, e.g. 20MB or 500kB.\n"
    )


# --- URLs, over a loopback server -------------------------------------------------------


def test_connection_refused() -> None:
    url = f"http://127.0.0.1:{closed_port()}/x"
    outcome = run("clean", url)
    assert outcome == Outcome(
        11,
        "",
        f"summbot: {url}: could not connect (connection refused); "
        "check the URL and your network.\n",
    )


def test_a_host_that_does_not_resolve(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    outcome = run("clean", "https://no-such-host.invalid/story")
    assert outcome == Outcome(
        11,
        "",
        "summbot: https://no-such-host.invalid/story: could not find the server "
        "no-such-host.invalid (DNS lookup failed); check the URL and your network.\n",
    )


def test_http_404(http_server: LoopbackServer) -> None:
    url = http_server.url("/gone")
    outcome = run("clean", url)
    assert outcome == Outcome(
        11, "", f"summbot: {url}: the server answered 404 Not Found; check the URL.\n"
    )


def test_a_url_that_times_out(http_server: LoopbackServer) -> None:
    http_server.route("/slow", body="<p>late</p>", delay=30)
    url = http_server.url("/slow")
    outcome = run("clean", url, "--timeout", "0.2")
    assert outcome == Outcome(
        11, "", f"summbot: {url}: timed out after 0.2 s; try again later or raise --timeout.\n"
    )


def test_an_oversized_page(http_server: LoopbackServer) -> None:
    http_server.route("/huge", body=ARTICLE * 1000)
    url = http_server.url("/huge")
    outcome = run("clean", url, "--max-bytes", "100kB")
    assert outcome == Outcome(
        8,
        "",
        f"summbot: {url}: the page is 137 kB, over the 100 kB limit; raise --max-bytes.\n",
    )


def test_a_text_page_over_http_is_cleaned(http_server: LoopbackServer) -> None:
    http_server.route("/story.txt", body=ARTICLE, content_type="text/plain; charset=utf-8")
    outcome = run("clean", http_server.url("/story.txt"))
    assert outcome == Outcome(0, ARTICLE, "")


# --- the real process: stderr only, no traceback unless --debug --------------------------


def summbot(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "summbot", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_the_process_prints_one_line_on_stderr_and_no_traceback() -> None:
    done = summbot("clean", "missing.txt")
    assert (done.returncode, done.stdout, done.stderr.decode()) == (
        3,
        b"",
        "summbot: missing.txt: no such file; check the path, or use - to read from stdin.\n",
    )


def test_binary_piped_into_the_process_is_refused() -> None:
    done = summbot("clean", "-", stdin=b"\x89PNG\r\n\x1a\n" + bytes(500))
    assert (done.returncode, done.stdout, done.stderr.decode()) == (
        6,
        b"",
        (
            "summbot: <stdin>: looks like a PNG image, not text or HTML; "
            "pass a .txt or .html article.\n"
        ),
    )


def test_debug_shows_the_traceback() -> None:
    done = summbot("--debug", "clean", "missing.txt")
    stderr = done.stderr.decode()
    assert done.returncode == 1
    assert done.stdout == b""
    assert stderr.startswith("Traceback (most recent call last):\n")
    assert stderr.endswith(
        "summbot.errors.SourceNotFound: missing.txt: no such file; "
        "check the path, or use - to read from stdin.\n"
    )


def test_a_closed_stdin_does_not_stop_reading_a_file(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("The council met on Monday. It voted to build a ferry.\n")

    done = subprocess.run(
        [sys.executable, "-m", "summbot", "clean", str(article)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.close(0),  # noqa: PLW1509 - the point is a closed fd 0
    )

    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout.decode() == "The council met on Monday. It voted to build a ferry.\n"


def test_dash_with_a_closed_stdin_is_one_line_and_exit_5() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "summbot", "clean", "-"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.close(0),  # noqa: PLW1509 - the point is a closed fd 0
    )

    assert (done.returncode, done.stdout, done.stderr.decode()) == (
        5,
        b"",
        "summbot: <stdin>: stdin is closed; pipe an article (cat article.txt | summbot clean -) "
        "or pass a file path.\n",
    )
