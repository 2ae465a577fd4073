"""Reading a source (a path, ``-`` for stdin, or an http(s) URL) into decoded text.

This is the first stage of the pipeline: bytes in, one ``Document`` out (its name, its text,
whether it is HTML). Everything that can go wrong with the input itself is refused here, as an
``InputError`` subclass whose message names the source and says what to do:

    SourceNotFound      no such file (a URL typed without https:// gets a hint)
    InputError          the file exists but cannot be read (permission denied, I/O error)
    SourceIsDirectory   a folder
    SourceTooLarge      over ``max_bytes`` (10 MB by default): checked with ``stat`` before a
                        single byte is read, and every read is bounded (stdin, FIFOs, URLs too)
    EmptySource         empty or whitespace-only
    BinarySource        a known binary signature (PNG, PDF, gzip, zip...), or NUL/control bytes
    UndecodableSource   bytes whose encoding cannot be told with confidence (see below)
    UnsupportedURL      a scheme other than http/https (``ftp://``, ``file://``, ``javascript:``)
    FetchError          DNS failure, refused connection, timeout, HTTP 4xx/5xx, redirect loop

How the encoding is decided, in order (the first rule that applies wins):

1. A byte-order mark: UTF-8, UTF-16 LE/BE or UTF-32 LE/BE. A BOM is an explicit statement,
   so bytes that then fail to decode are refused (UndecodableSource), not guessed at.
2. Binary check (see ``_binary_kind``). BOM-less UTF-16 is recognised here by its pattern of
   NUL bytes in every other position, and decoded rather than refused.
3. A declared charset (the HTTP ``Content-Type``, then an HTML ``<meta charset>`` or XML
   declaration) when Python knows it and the bytes decode cleanly with it. As in browsers,
   ``iso-8859-1`` and ``ascii`` labels mean windows-1252. One well-known mislabel is corrected:
   a page that declares a Latin single-byte charset but is valid, non-ASCII UTF-8 is UTF-8.
4. Strict UTF-8.
5. UTF-8 damaged by a few stray bytes (valid multi-byte UTF-8 sequences outnumber the invalid
   bytes): decoded as UTF-8, each invalid byte read as windows-1252. This also repairs files
   pasted together from a UTF-8 and a cp1252 source, without mojibake in either part.
6. Windows-1252. It is a superset of Latin-1's printable characters, so Latin-1 text (é, ü)
   decodes identically; Latin-1's 0x80-0x9F are invisible C1 controls that real text does not
   use. Two guards make the rest UndecodableSource, with the advice to re-save as UTF-8,
   rather than a guess: the five bytes cp1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) may
   appear at most once per 1000 bytes (stray noise, dropped), since more means a multi-byte
   legacy encoding (Shift-JIS, GBK...); and when most letters come out accented
   (``Ïðèâåò``), the bytes are another single-byte encoding (Cyrillic, Greek...) that cp1252
   would turn into mojibake. Only the encodings above are read without a declaration.

After decoding, text is normalised: newlines to ``\\n``, ANSI colour codes, control characters
and invisible zero-width characters removed, obvious double-encoded UTF-8 (``â€œ`` for ``“``)
repaired, and Unicode composed to NFC. Curly quotes and other punctuation are kept as they are.

HTML or text: ``.html``/``.htm``/``.xhtml`` are HTML; ``.txt``/``.md`` are text unless they
open like a saved web page (``<!doctype html``, ``<html>``); anything else (stdin, no suffix,
a URL's ``Content-Type`` other than html/plain) is sniffed: a web page's opening, or markup
throughout (10+ tags, at least one per 200 characters).

URLs are fetched with ``urllib.request`` rather than httpx: it is in the standard library (no
dependency, and imported only when a URL is read) and one GET with redirects, a timeout and a
size cap needs nothing more. No charset detector (charset_normalizer) either: its guesses on
short texts are unreliable, and the rules above decide the encodings the issue asks for
exactly, refusing the rest.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass
from typing import IO, Any, Literal
from urllib.parse import urlsplit, urlunsplit

from . import __version__
from .errors import (
    BinarySource,
    ConfigError,
    EmptySource,
    FetchError,
    InputError,
    SourceIsDirectory,
    SourceNotFound,
    SourceTooLarge,
    UndecodableSource,
    UnsupportedURL,
)
from .redaction import display_url  # re-exported: part of this module's API

DEFAULT_MAX_BYTES = 10_000_000  # 10 MB: a long-read article is well under 1 MB of HTML.
DEFAULT_TIMEOUT = 20.0  # seconds, for the whole fetch (connect, headers and body).
MAX_REDIRECTS = 5
USER_AGENT = f"summbot/{__version__} (+https://pypi.org/project/summbot/)"
STDIN_NAME = "<stdin>"

_READ_CHUNK = 1 << 16
_SNIFF_BYTES = 8192
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})


@dataclass
class Document:
    """A source read and decoded, before any cleaning.

    ``name`` is how messages and the article's ``source`` refer to it: the path or URL as the
    user typed it, or ``<stdin>``. ``url`` is the final URL after redirects (None for files).
    """

    name: str
    text: str
    is_html: bool
    encoding: str = "utf-8"
    url: str | None = None


def read_source(
    source: str,
    *,
    stdin: IO[Any] | None = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
) -> Document:
    """Read a path, ``-`` (stdin) or an http(s) URL into a decoded ``Document``.

    Args:
        source: a file path, ``-`` for standard input, or an ``http://`` / ``https://`` URL.
        stdin: the binary stream ``-`` reads from (the CLI passes ``sys.stdin.buffer``); a text
            stream is accepted too. Defaults to ``sys.stdin.buffer``.
        max_bytes: refuse sources larger than this many bytes (default 10 MB).
        timeout: seconds allowed for fetching a URL, all of it (default 20).

    Raises:
        InputError: a subclass naming the source and saying what to do (see the module doc).
        ConfigError: ``max_bytes`` or ``timeout`` is not positive.
    """
    source = os.fspath(source)
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    if limit < 1:
        raise ConfigError(f"max_bytes={max_bytes}: must be at least 1 byte.")
    seconds = DEFAULT_TIMEOUT if timeout is None else timeout
    if not seconds > 0:
        raise ConfigError(f"timeout={timeout}: must be more than 0 seconds.")

    if source == "-":
        return _read_stdin(stdin, limit)
    scheme = _url_scheme(source)
    if scheme in ("http", "https"):
        return _fetch(source, max_bytes=limit, timeout=seconds)
    if scheme is not None:
        raise UnsupportedURL(_unsupported_url_message(source, scheme))
    return _read_file(source, limit)


# --- paths -------------------------------------------------------------------------------


def _read_file(path: str, limit: int) -> Document:
    if not path:
        raise SourceNotFound("'': no source given; pass a file path, - for stdin, or a URL.")
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise SourceNotFound(_not_found_message(path)) from None
    except PermissionError:
        raise InputError(f"{path}: permission denied; check the file's permissions.") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({_os_reason(error)}); check the path.") from None
    except ValueError:  # an embedded NUL: no file can have that name
        raise SourceNotFound(_not_found_message(path.replace("\0", "\\0"))) from None
    if stat.S_ISDIR(info.st_mode):
        raise SourceIsDirectory(
            f"{path}: is a directory; pass a file (use 'summbot batch' for folders)."
        )
    # The size is known before opening a regular file, so a 50 MB file is refused without
    # reading anything. FIFOs and devices (``<(cmd)``, /dev/stdin) report no size: the bounded
    # read below still caps them.
    if stat.S_ISREG(info.st_mode) and info.st_size > limit:
        raise SourceTooLarge(_too_large_message(path, info.st_size, limit))
    try:
        with open(path, "rb") as handle:
            data = _read_bounded(handle, limit)
    except PermissionError:
        raise InputError(f"{path}: permission denied; check the file's permissions.") from None
    except IsADirectoryError:  # pragma: no cover - a race with the stat above
        raise SourceIsDirectory(
            f"{path}: is a directory; pass a file (use 'summbot batch' for folders)."
        ) from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({_os_reason(error)}); check the path.") from None
    if data is None:
        raise SourceTooLarge(_too_large_message(path, None, limit))
    if not data.strip():
        what = "is empty" if not data else "holds only whitespace"
        raise EmptySource(f"{path}: the file {what}; nothing to summarise.")
    kind = _kind_from_suffix(path)
    text, encoding, is_html = decode_bytes(data, path, kind=kind)
    return Document(path, text, is_html, encoding)


def _not_found_message(path: str) -> str:
    # "example.com/news/story" is a URL without its scheme, not a missing file.
    if re.match(
        r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:/|$)", path, re.IGNORECASE
    ) and ("/" in path or path.lower().startswith("www.")):
        return f"{path}: no such file; if it is a web page, add https:// in front."
    return f"{path}: no such file; check the path, or use - to read from stdin."


def _kind_from_suffix(path: str) -> Literal["html", "text"] | None:
    suffix = os.path.splitext(path)[1].lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def _os_reason(error: OSError) -> str:
    return (error.strerror or type(error).__name__).lower()


# --- stdin -------------------------------------------------------------------------------


def _read_stdin(stdin: Any, limit: int) -> Document:
    # With file descriptor 0 closed (``summbot clean - <&-``, some daemons) ``sys.stdin`` is None.
    stream = stdin if stdin is not None else getattr(sys.stdin, "buffer", sys.stdin)
    if stream is None or getattr(stream, "closed", False):
        raise EmptySource(
            f"{STDIN_NAME}: stdin is closed; pipe an article "
            "(cat article.txt | summbot clean -) or pass a file path."
        )
    isatty = getattr(stream, "isatty", None)
    if callable(isatty) and isatty():
        # Reading a terminal would wait silently for typing: almost always a forgotten pipe.
        raise EmptySource(
            f"{STDIN_NAME}: nothing is piped in; pipe an article "
            "(cat article.txt | summbot clean -) or pass a file path."
        )
    data = _read_bounded(stream, limit)
    if data is None:
        raise SourceTooLarge(
            f"{STDIN_NAME}: the input is over the {format_size(limit)} limit; "
            "split it or raise --max-bytes."
        )
    if not data:
        raise EmptySource(f"{STDIN_NAME}: no input on stdin; nothing to summarise.")
    if not data.strip():
        raise EmptySource(f"{STDIN_NAME}: the input holds only whitespace; nothing to summarise.")
    if isinstance(data, str):  # a text stream: decoded already
        text, encoding, is_html = _finish(data, STDIN_NAME, None, "text stream")
    else:
        text, encoding, is_html = decode_bytes(data, STDIN_NAME, kind=None)
    return Document(STDIN_NAME, text, is_html, encoding)


def _read_bounded(stream: Any, limit: int) -> Any:
    """Read at most ``limit`` bytes; None when there is more than that."""
    chunks = []
    total = 0
    while True:
        chunk = stream.read(min(_READ_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            return None
    if chunks and isinstance(chunks[0], str):
        return "".join(chunks)
    return b"".join(chunks)


# --- URLs --------------------------------------------------------------------------------

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]+):")
# Schemes refused even without "//" (a bare "javascript:..." is no file path a user means).
_OPAQUE_SCHEMES = frozenset(
    {
        "javascript",
        "data",
        "mailto",
        "about",
        "file",
        "ftp",
        "ftps",
        "sftp",
        "tel",
        "blob",
        "view-source",
        "chrome",
        "ws",
        "wss",
        "news",
        "gopher",
        "ssh",
        "git",
        "s3",
    }
)


def _url_scheme(source: str) -> str | None:
    """The lower-cased scheme when ``source`` is a URL, else None (it is a path).

    One-letter schemes are Windows drives (``C:\\x``), not URLs.
    """
    match = _SCHEME.match(source)
    if not match:
        return None
    scheme = match.group(1).lower()
    if source[match.end() :].startswith("//") or scheme in _OPAQUE_SCHEMES:
        return scheme
    return None


def _unsupported_url_message(source: str, scheme: str) -> str:
    shown = display_url(source) if "//" in source else _truncate(source, 60)
    if scheme == "file":
        path = urlsplit(source).path
        return (
            f"{shown}: only http:// and https:// URLs are supported; "
            f"for a local file pass its path ({path})."
        )
    return f"{shown}: only http:// and https:// URLs are supported."


def _truncate(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _fetch(url: str, *, max_bytes: int, timeout: float) -> Document:
    """GET ``url``: redirects followed (up to ``MAX_REDIRECTS``), ``timeout`` for all of it.

    The deadline is checked between redirects and between pieces of the body, and every
    socket operation is bounded too, so a stalled server is given up on within about
    ``timeout`` seconds (at worst twice that, when it stalls just before the deadline).
    """
    import time
    import urllib.error
    import urllib.request

    shown = display_url(url)
    host, target, authorization = _request_target(url, shown)

    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(_redirect_handler(shown, deadline))
    request = urllib.request.Request(
        target,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
            "Accept-Encoding": "gzip, deflate",
        },
    )
    if authorization:
        # Unredirected: the credentials go to the host the user named, never to a redirect target.
        request.add_unredirected_header("Authorization", authorization)
    try:
        with opener.open(request, timeout=timeout) as response:
            headers = response.headers
            length = headers.get("Content-Length", "")
            if length.strip().isdigit() and int(length) > max_bytes:
                raise SourceTooLarge(_page_too_large_message(shown, int(length), max_bytes))
            body = _read_response(response, shown, max_bytes, deadline, timeout)
            final_url = response.geturl()
    except urllib.error.HTTPError as error:
        error.close()
        raise FetchError(_http_error_message(shown, error.code, error.reason)) from None
    except urllib.error.URLError as error:
        raise FetchError(_network_error_message(shown, host, error.reason, timeout)) from None
    except OSError as error:  # timeouts and resets while reading the body
        raise FetchError(_network_error_message(shown, host, error, timeout)) from None
    except _invalid_url_error() as error:
        raise UnsupportedURL(f"{shown}: is not a valid URL ({error}); check it.") from None
    except _http_client_errors() as error:
        raise FetchError(
            f"{shown}: the server broke off the response ({type(error).__name__}); try again later."
        ) from None

    body = _decompress(body, headers.get("Content-Encoding", ""), shown, max_bytes)
    if not body.strip():
        raise EmptySource(f"{shown}: the page is empty; check the URL.")
    content_type = headers.get_content_type()  # "text/plain" when the header is missing
    declared = headers.get_content_charset()
    kind: Literal["html", "text"] | None = None
    if content_type in ("text/html", "application/xhtml+xml"):
        kind = "html"
    elif content_type in ("text/plain", "text/markdown") and headers.get("Content-Type"):
        kind = "text"
    text, encoding, is_html = decode_bytes(body, shown, kind=kind, declared=declared)
    return Document(shown, text, is_html, encoding, url=final_url)


def _request_target(url: str, shown: str) -> tuple[str, str, str | None]:
    """The host, the URL as sent, and the Basic ``Authorization`` for ``user:password@``.

    Browsers accept ``https://example.com/café story``; http.client does not, so the path and
    query are quoted (existing ``%XX`` escapes kept) and an international host name is
    IDNA-encoded. The fragment never goes to the server. urllib does not turn ``user:pass@``
    into a login (it would look the whole ``user:pass@host`` up as a host name), so the
    credentials leave the URL and become a header.
    """
    import base64
    from urllib.parse import quote, unquote

    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        port = parts.port
    except ValueError:  # "http://host:abc/", "http://[::1/"
        raise UnsupportedURL(f"{shown}: is not a valid URL; check it.") from None
    if not host:
        raise UnsupportedURL(f"{shown}: the URL has no host name; check the URL.")
    if re.search(r"[\s<>\"{}|\\^`]", host):
        raise UnsupportedURL(f"{shown}: is not a valid URL; check it.")
    netloc = parts.netloc.rpartition("@")[2]
    if not host.isascii():
        try:
            netloc = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise UnsupportedURL(
                f"{shown}: is not a valid URL (bad host name); check it."
            ) from None
        netloc += f":{port}" if port is not None else ""
    authorization = None
    if parts.username is not None:
        login = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        authorization = "Basic " + base64.b64encode(login.encode("utf-8")).decode("ascii")
    safe = "/%:@!$&'()*+,;=-._~"
    path = quote(parts.path, safe=safe) or "/"
    query = quote(parts.query, safe=safe + "?")
    return host, urlunsplit((parts.scheme, netloc, path, query, "")), authorization


def _invalid_url_error() -> type[Exception]:
    import http.client

    return http.client.InvalidURL


def _http_client_errors() -> tuple[type[Exception], ...]:
    import http.client

    return (http.client.HTTPException,)


def _read_response(response: Any, shown: str, limit: int, deadline: float, timeout: float) -> bytes:
    """Read the body in pieces, so both the size cap and the overall deadline hold.

    ``read1`` returns whatever has arrived, so a server dripping bytes slowly cannot keep the
    fetch alive past the deadline (each socket read is separately bounded by ``timeout``).
    """
    import time

    chunks = []
    total = 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError("deadline")
        chunk = response.read1(_READ_CHUNK)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise SourceTooLarge(_page_too_large_message(shown, None, limit))
    return b"".join(chunks)


def _decompress(body: bytes, encoding: str, shown: str, limit: int) -> bytes:
    """Undo gzip/deflate content-encoding, bounded so a compressed bomb stays capped."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    import zlib

    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(
            f"{shown}: the server sent '{encoding}'-compressed content, which summbot cannot "
            "read; save the page from a browser and pass the file."
        )
    # wbits=47 accepts gzip and zlib headers; raw deflate (seen from some servers) needs -15.
    for wbits in (47, -15):
        try:
            inflater = zlib.decompressobj(wbits)
            data = inflater.decompress(body, limit + 1)
            if len(data) > limit:
                raise SourceTooLarge(_page_too_large_message(shown, None, limit))
            return data
        except zlib.error:
            continue
    raise FetchError(f"{shown}: the server sent corrupt compressed data; try again later.")


def _http_error_message(shown: str, code: int, reason: Any) -> str:
    from http import HTTPStatus

    try:
        phrase = HTTPStatus(code).phrase
    except ValueError:
        phrase = str(reason or "").strip()
    status = f"{code} {phrase}".strip()
    if 300 <= code < 400:
        return f"{shown}: the server answered {status} without a usable redirect; check the URL."
    if code in (401, 403, 407, 451):
        return (
            f"{shown}: the server refused access ({status}); the page may need a login or block "
            "scripts: save it from your browser and pass the file."
        )
    if code == 429:
        return f"{shown}: the server answered {status}; wait a while and try again."
    if code >= 500:
        return f"{shown}: the server failed ({status}); try again later."
    return f"{shown}: the server answered {status}; check the URL."


def _network_error_message(shown: str, host: str, reason: Any, timeout: float) -> str:
    import socket
    import ssl

    if isinstance(reason, socket.gaierror):
        return (
            f"{shown}: could not find the server {host} (DNS lookup failed); "
            "check the URL and your network."
        )
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return f"{shown}: timed out after {_seconds(timeout)}; try again later or raise --timeout."
    if isinstance(reason, ConnectionRefusedError):
        return f"{shown}: could not connect (connection refused); check the URL and your network."
    if isinstance(reason, ssl.SSLCertVerificationError):
        detail = reason.verify_message or "verification failed"
        return f"{shown}: the site's TLS certificate is not trusted ({detail}); check the URL."
    if isinstance(reason, ssl.SSLError):
        return f"{shown}: the secure connection failed ({reason.reason or reason}); check the URL."
    if isinstance(reason, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)):
        return f"{shown}: the connection was cut off; try again later."
    if isinstance(reason, OSError):
        detail = (reason.strerror or str(reason) or type(reason).__name__).lower()
    else:
        detail = str(reason)
    return f"{shown}: could not connect ({detail}); check the URL and your network."


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _page_too_large_message(shown: str, size: int | None, limit: int) -> str:
    if size is None:
        return f"{shown}: the page is over the {format_size(limit)} limit; raise --max-bytes."
    return (
        f"{shown}: the page is {format_size(size)}, over the {format_size(limit)} limit; "
        "raise --max-bytes."
    )


def _redirect_handler(shown: str, deadline: float) -> Any:
    """A handler following at most ``MAX_REDIRECTS`` redirects, only to http(s) URLs, and
    giving each hop only the time left before ``deadline``.

    Built on demand so that ``urllib.request`` is imported only when a URL is read.
    """
    import time
    import urllib.request
    from urllib.parse import urljoin

    class RedirectHandler(urllib.request.HTTPRedirectHandler):
        hops = 0

        def http_error_302(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
            target = headers.get("Location") or headers.get("URI")
            if target:
                scheme = urlsplit(urljoin(req.full_url, target)).scheme.lower()
                if scheme not in ("http", "https"):
                    fp.close()
                    raise FetchError(
                        f"{shown}: redirects to a {scheme}: URL, which summbot cannot fetch; "
                        "open it in a browser and save the page."
                    )
            self.hops += 1
            if self.hops > MAX_REDIRECTS:
                fp.close()
                raise FetchError(
                    f"{shown}: too many redirects (more than {MAX_REDIRECTS}); "
                    "open it in a browser and save the page."
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                fp.close()
                raise TimeoutError("deadline")
            req.timeout = remaining  # urllib opens the next hop with the old request's timeout
            return super().http_error_302(req, fp, code, msg, headers)

        http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

        def redirect_request(
            self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
        ) -> Any:
            # Before Python 3.11 urllib does not follow 308; it is a 307 that may be cached.
            code = 307 if code == 308 else code
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return RedirectHandler()


# --- sizes -------------------------------------------------------------------------------


def format_size(size: int) -> str:
    """``52428800`` -> ``52.4 MB``: decimal units, as file managers and --max-bytes use."""
    if size < 1000:
        return f"{size} bytes" if size != 1 else "1 byte"
    for unit, scale in (("kB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        value = size / scale
        if value < 999.95 or unit == "GB":
            text = f"{value:.1f}"
            return f"{text.removesuffix('.0')} {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b|bytes?)?\s*$", re.IGNORECASE)
_SCALES = {
    "": 1,
    "b": 1,
    "byte": 1,
    "bytes": 1,
    "k": 10**3,
    "kb": 10**3,
    "m": 10**6,
    "mb": 10**6,
    "g": 10**9,
    "gb": 10**9,
    "ki": 2**10,
    "kib": 2**10,
    "mi": 2**20,
    "mib": 2**20,
    "gi": 2**30,
    "gib": 2**30,
}


def parse_size(text: str) -> int:
    """``"10MB"`` -> 10_000_000; plain numbers are bytes; KiB/MiB/GiB are binary units.

    Raises:
        ValueError: with a message saying what is accepted.
    """
    match = _SIZE.match(str(text))
    if not match:
        raise ValueError(f"{text!r} is not a size; use bytes or a unit, e.g. 20MB or 500kB.")
    size = int(float(match.group(1)) * _SCALES[(match.group(2) or "").lower()])
    if size < 1:
        raise ValueError(f"{text!r} is too small; use at least 1 byte.")
    return size


def _too_large_message(path: str, size: int | None, limit: int) -> str:
    if size is None:
        return (
            f"{path}: more than the {format_size(limit)} limit; "
            "split the file or raise --max-bytes."
        )
    return (
        f"{path}: {format_size(size)} is over the {format_size(limit)} limit; "
        "split the file or raise --max-bytes."
    )


# --- bytes -> text -----------------------------------------------------------------------

_BOMS = (  # UTF-32 first: its LE BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

# (signature, offset, what it is, what to do instead)
_PASS_ARTICLE = "pass a .txt or .html article."
_MAGIC: tuple[tuple[bytes, int, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "a PNG image", _PASS_ARTICLE),
    (b"\xff\xd8\xff", 0, "a JPEG image", _PASS_ARTICLE),
    (b"GIF87a", 0, "a GIF image", _PASS_ARTICLE),
    (b"GIF89a", 0, "a GIF image", _PASS_ARTICLE),
    (b"RIFF", 0, "audio, video or image data", _PASS_ARTICLE),
    (b"%PDF-", 0, "a PDF document", "copy its text into a .txt file and pass that."),
    (b"\x1f\x8b", 0, "gzip-compressed data", "decompress it first (gunzip), then pass the file."),
    (b"BZh", 0, "bzip2-compressed data", "decompress it first (bunzip2), then pass the file."),
    (b"\xfd7zXZ\x00", 0, "xz-compressed data", "decompress it first (unxz), then pass the file."),
    (b"\x28\xb5\x2f\xfd", 0, "zstd-compressed data", "decompress it first (unzstd), then pass it."),
    (b"7z\xbc\xaf\x27\x1c", 0, "a 7-Zip archive", "extract the article and pass that file."),
    (
        b"PK\x03\x04",
        0,
        "a zip archive (or a .docx/.epub)",
        "save the article as .txt and pass that.",
    ),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        0,
        "an old Office document",
        "save it as .txt and pass that.",
    ),
    (b"{\\rtf", 0, "an RTF document", "save it as .txt and pass that."),
    (b"\x7fELF", 0, "a program", _PASS_ARTICLE),
    (b"MZ", 0, "a Windows program", _PASS_ARTICLE),
    (b"SQLite format 3\x00", 0, "an SQLite database", _PASS_ARTICLE),
    (b"ftyp", 4, "a video or image (MP4/HEIC)", _PASS_ARTICLE),
    (b"ID3", 0, "an MP3 audio file", _PASS_ARTICLE),
    (b"OggS", 0, "Ogg audio or video", _PASS_ARTICLE),
    (b"wOFF", 0, "a web font", _PASS_ARTICLE),
    (b"wOF2", 0, "a web font", _PASS_ARTICLE),
)
# C0 controls that never appear in text (tab, newlines, form feed and ESC do).
_BINARY_CONTROLS = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


def decode_bytes(
    data: bytes,
    name: str,
    *,
    kind: Literal["html", "text"] | None = None,
    declared: str | None = None,
) -> tuple[str, str, bool]:
    """Decode and normalise a source's bytes: ``(text, encoding, is_html)``.

    ``kind`` is what the file suffix or content type says (None: sniff the content);
    ``declared`` is a charset from a transport header. See the module docstring for the rules.

    Raises:
        BinarySource, UndecodableSource, EmptySource: naming ``name``.
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                raw = data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                raise UndecodableSource(
                    f"{name}: starts with a {label} byte-order mark but is not valid {label}; "
                    "re-save it as UTF-8."
                ) from None
            return _finish(raw, name, kind, codec)

    sample = data[:_SNIFF_BYTES]
    utf16 = _bomless_utf16(sample)
    if utf16:
        try:
            return _finish(data.decode(utf16), name, kind, utf16)
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: the binary check below decides
    binary = _binary_kind(sample)
    if binary:
        what, advice = binary
        raise BinarySource(f"{name}: looks like {what}, not text or HTML; {advice}")

    ascii_view = data[:65536].decode("latin-1")
    is_html = (
        kind == "html"
        or (kind is None and _sniff_html(ascii_view))
        or (kind == "text" and _starts_like_html(ascii_view))
    )
    charsets: list[str | None] = [declared]
    if is_html:
        charsets.append(_meta_charset(ascii_view[:4096]))
    for charset in charsets:
        usable = _usable_codec(charset)
        if usable is None:
            continue
        if usable == "cp1252" and _is_utf8(data) and not data.isascii():
            break  # a Latin label on UTF-8 bytes: the commonest mislabel on the web
        try:
            text = data.decode(usable)
        except UnicodeDecodeError:
            continue  # the declaration is wrong; fall back to the bytes themselves
        label = "windows-1252" if usable == "cp1252" else usable
        return _finish(text, name, "html" if is_html else kind, label)

    text, encoding = _guess_decode(data, name)
    return _finish(text, name, "html" if is_html else kind, encoding)


def _finish(raw: str, name: str, kind: str | None, encoding: str) -> tuple[str, str, bool]:
    text = normalize_text(raw)
    if not text.strip():
        raise EmptySource(f"{name}: holds only whitespace; nothing to summarise.")
    if kind == "html":
        is_html = True
    elif kind == "text":
        is_html = _starts_like_html(text)
    else:
        is_html = _sniff_html(text)
    if is_html:
        # Decoded now, so the XML prolog's encoding is stale, and lxml refuses a str with one.
        text = _XML_PROLOG.sub("", text, count=1)
    return text, encoding, is_html


def _bomless_utf16(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` when mostly-ASCII UTF-16 shows NULs in every other byte."""
    if len(sample) < 4 or sample.count(0) < len(sample) // 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nuls, odd_nuls = even.count(0), odd.count(0)
    if odd_nuls >= 0.7 * len(odd) and even_nuls <= 0.05 * len(even):
        return "utf-16-le"
    if even_nuls >= 0.7 * len(even) and odd_nuls <= 0.05 * len(odd):
        return "utf-16-be"
    return None


def _binary_kind(sample: bytes) -> tuple[str, str] | None:
    """What binary data this looks like, and what to do; None for text.

    A known file signature decides at once. Otherwise the share of NULs and of C0 control
    bytes that text never contains does: a stray NUL in a long text is noise (stripped later);
    more than 1 in 200 bytes, or NULs and controls in over 1 in 20 bytes, is not text.
    """
    for magic, offset, what, advice in _MAGIC:
        if sample[offset : offset + len(magic)] == magic:
            if magic == b"MZ" and sample[:200].isascii() and 0 not in sample:
                continue  # a text file that starts with "MZ..."
            if magic in (b"BZh", b"ID3", b"RIFF", b"OggS", b"wOFF", b"wOF2") and 0 not in sample:
                continue  # short, letter-like signatures: demand real binary content too
            return what, advice
    if not sample:
        return None
    nuls = sample.count(0)
    controls = len(sample) - len(sample.translate(None, _BINARY_CONTROLS)) - nuls
    if nuls * 200 > len(sample) or (nuls + controls) * 20 > len(sample):
        return "binary data", _PASS_ARTICLE
    return None


_META_CHARSET = re.compile(r"<meta[^>]+?charset\s*=\s*[\"']?\s*([a-z0-9_.:-]+)", re.IGNORECASE)
_XML_PROLOG = re.compile(r"^\s*<\?xml[^>]*\?>")
_XML_ENCODING = re.compile(r"<\?xml[^>]+encoding\s*=\s*[\"']([a-z0-9_.:-]+)", re.IGNORECASE)


def _meta_charset(head: str) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag or XML declaration."""
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1) if match else None


def _usable_codec(label: str | None) -> str | None:
    """The Python codec for a declared charset, with the WHATWG Latin-1 -> cp1252 rule."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    if name in ("latin-1", "iso8859-1", "ascii", "cp1252"):
        return "cp1252"
    if name.startswith(("utf-16", "utf-32")):
        return None  # a declaration readable as ASCII cannot be UTF-16 (BOMs were handled)
    return name


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _guess_decode(data: bytes, name: str) -> tuple[str, str]:
    """Rules 4-6 of the module docstring: UTF-8, damaged UTF-8, then cp1252/Latin-1."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # surrogateescape maps each byte UTF-8 rejects to one lone surrogate U+DC80..U+DCFF.
    escaped = data.decode("utf-8", errors="surrogateescape")
    invalid = len(_ESCAPED_BYTE.findall(escaped))
    valid = len(_UTF8_MULTIBYTE.findall(data))
    if valid > invalid:
        return escaped.translate(_ESCAPED_TO_CP1252), "utf-8 (stray bytes read as windows-1252)"

    undefined = sum(data.count(bytes([byte])) for byte in _CP1252_UNDEFINED)
    if undefined * 1000 > len(data):
        raise UndecodableSource(_undecodable_message(name))
    text = data.decode("cp1252", errors="ignore")
    if _looks_like_other_single_byte(text):
        raise UndecodableSource(_undecodable_message(name))
    uses_cp1252_range = any(data.count(bytes([byte])) for byte in range(0x80, 0xA0))
    return text, "windows-1252" if uses_cp1252_range else "iso-8859-1"


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_ESCAPED_TO_CP1252 = {
    0xDC00 + byte: bytes([byte]).decode("cp1252", errors="ignore") for byte in range(0x80, 0x100)
}


def _undecodable_message(name: str) -> str:
    return (
        f"{name}: could not tell the text encoding (not UTF-8, UTF-16 or Windows-1252/Latin-1); "
        "re-save it as UTF-8."
    )


def _looks_like_other_single_byte(text: str) -> bool:
    """True when cp1252 turned most letters into accented ones: Cyrillic/Greek in disguise.

    Latin-script languages keep most letters in ASCII (French ~4% accented, Vietnamese-in-
    cp1258 aside); Cyrillic or Greek decoded as cp1252 comes out >80% in the À-ÿ range.
    """
    letters = [ch for ch in text if ch.isalpha()]
    accented = sum(1 for ch in letters if "\u00c0" <= ch <= "\u00ff")
    return accented >= 20 and accented * 2 > len(letters)


# --- normalising decoded text ------------------------------------------------------------

_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b\u2060\ufeff\u00ad]")
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028]")
# Double-encoded UTF-8: "Ã©" for "é", "â€œ" for "“", "Â " for a no-break space. Only lead
# characters Â/Ã (Latin-1 range) and â (punctuation, €) are repaired, and only when the bytes
# form valid UTF-8 again, so real text ("Â", "Ã" in Portuguese names) is left alone.
_MOJIBAKE = re.compile(
    "[ÂÃ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013-\u203a\u20ac\u2122]|â[€\u0080][\u0080-\u00bf\u0152-\u2122]"
)


def normalize_text(text: str) -> str:
    """Newlines to ``\\n``; controls, ANSI codes and zero-width characters out; NFC.

    Curly quotes, dashes and no-break spaces are kept as they are: the cleaner and the
    sentence splitter read them, and quotes are cited verbatim.
    """
    if "Â" in text or "Ã" in text or "â" in text:
        text = _MOJIBAKE.sub(_undo_mojibake, text)
    text = _LINE_BREAKS.sub("\n", text).replace("\u2029", "\n\n")
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    text = _CONTROLS.sub("", text)
    return unicodedata.normalize("NFC", text)


def _undo_mojibake(match: re.Match[str]) -> str:
    # C1 characters stand for the cp1252 holes (0x81, 0x8D, 0x8F, 0x90, 0x9D) a Latin-1
    # decoder let through: "â€\x9d" is "”".
    try:
        raw = bytes(
            ord(ch) if "\x80" <= ch <= "\x9f" else ch.encode("cp1252")[0] for ch in match.group(0)
        )
        return raw.decode("utf-8")
    except UnicodeError:
        return match.group(0)


# --- HTML or text ------------------------------------------------------------------------

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG = re.compile(
    r"</?(?:html|head|body|div|p|span|a|br|article|section|script|style|meta|link|title|"
    r"h[1-6]|ul|ol|li|table|tr|td|img|nav|header|footer|main|figure|em|strong|b|i)\b[^>]*>",
    re.IGNORECASE,
)


def _starts_like_html(text: str) -> bool:
    """A document that opens like a web page (doctype, ``<html>``, ``<head>``)."""
    return bool(_HTML_START.match(text[:4096]))


def _sniff_html(text: str) -> bool:
    """HTML by its opening, or by markup throughout: at least 10 tags, 1 per 200 characters.

    An article that quotes a ``<p>`` tag or two stays text.
    """
    if _starts_like_html(text):
        return True
    head = text[:65536]
    tags = len(_HTML_TAG.findall(head))
    return tags >= 10 and tags * 200 >= len(head)


__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "Document",
    "decode_bytes",
    "display_url",
    "format_size",
    "normalize_text",
    "parse_size",
    "read_source",
]
