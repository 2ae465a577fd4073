"""Reading sources: files, stdin and URLs, decoded right whatever the encoding."""

from __future__ import annotations

import codecs
import gzip
import io
import os
import socket
import tracemalloc
from pathlib import Path

import http_helpers
import pytest
from http_helpers import LoopbackServer, closed_port

from summbot import sources
from summbot.errors import (
    BinarySource,
    ConfigError,
    EmptySource,
    FetchError,
    InputError,
    SourceNotFound,
    SourceTooLarge,
    UndecodableSource,
    UnsupportedURL,
)
from summbot.sources import (
    USER_AGENT,
    Document,
    decode_bytes,
    format_size,
    normalize_text,
    parse_size,
    read_source,
)

http_server = http_helpers.http_server  # the fixture

ARTICLE = "The council voted on Tuesday. “We’re pleased,” said the mayor of Saint-Étienne."
PAGE = (
    "<!DOCTYPE html><html><head><title>Vote</title></head><body><article>"
    "<h1>Council votes</h1><p>The council voted on Tuesday to build the bridge.</p>"
    "</article></body></html>"
)


def write(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(path)


# --- files ------------------------------------------------------------------------------


def test_reads_a_text_file_under_the_name_the_user_typed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "story.txt", ARTICLE + "\n")
    assert read_source("story.txt") == Document("story.txt", ARTICLE + "\n", False, "utf-8")


def test_html_suffixes_mark_the_document_as_html(tmp_path: Path) -> None:
    for suffix in (".html", ".htm", ".xhtml"):
        assert read_source(write(tmp_path, "page" + suffix, PAGE)).is_html


def test_html_is_sniffed_from_content_when_the_suffix_says_nothing(tmp_path: Path) -> None:
    assert read_source(write(tmp_path, "download", PAGE)).is_html
    assert read_source(write(tmp_path, "story.page", "<div><p>" * 10 + "Hi.")).is_html


def test_a_txt_file_holding_a_saved_web_page_is_read_as_html(tmp_path: Path) -> None:
    assert read_source(write(tmp_path, "saved.txt", "\n  " + PAGE)).is_html


def test_text_that_mentions_a_tag_or_two_stays_text(tmp_path: Path) -> None:
    text = "Editors wrap paragraphs in <p> tags and use <em> for stress. " * 3
    assert not read_source(write(tmp_path, "notes", text)).is_html
    assert not read_source(write(tmp_path, "notes.md", "# Title\n\n<b>bold</b> " + text)).is_html


def test_a_fifo_is_read_with_the_same_cap(tmp_path: Path) -> None:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    import threading

    def feed() -> None:
        with open(path, "wb") as pipe:
            pipe.write(ARTICLE.encode())

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        assert read_source(str(path)).text == ARTICLE
    finally:
        writer.join()


def test_a_50_mb_file_is_refused_from_its_size_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: instant, and all NULs if it were read
    tracemalloc.start()
    try:
        with pytest.raises(SourceTooLarge) as caught:
            read_source(str(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(caught.value) == (
        f"{path}: 52.4 MB is over the 10 MB limit; split the file or raise --max-bytes."
    )
    assert peak < 1_000_000


def test_max_bytes_sets_the_cap(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "x" * 1500)
    assert read_source(path, max_bytes=1500).text == "x" * 1500
    with pytest.raises(SourceTooLarge) as caught:
        read_source(path, max_bytes=1000)
    assert str(caught.value) == (
        f"{path}: 1.5 kB is over the 1 kB limit; split the file or raise --max-bytes."
    )


def test_permission_denied_is_its_own_message(tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path, "secret.txt", ARTICLE)

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(sources, "open", denied, raising=False)
    with pytest.raises(InputError) as caught:
        read_source(path)
    assert type(caught.value) is InputError
    assert str(caught.value) == f"{path}: permission denied; check the file's permissions."


def test_a_web_address_typed_without_its_scheme_gets_a_hint(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SourceNotFound) as caught:
        read_source("example.com/news/story")
    assert str(caught.value) == (
        "example.com/news/story: no such file; if it is a web page, add https:// in front."
    )


def test_bad_settings_are_config_errors() -> None:
    with pytest.raises(ConfigError, match=r"^max_bytes=0: must be at least 1 byte\.$"):
        read_source("x.txt", max_bytes=0)
    with pytest.raises(ConfigError, match=r"^timeout=0: must be more than 0 seconds\.$"):
        read_source("x.txt", timeout=0)


# --- encodings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + ARTICLE.encode("utf-32-le"), "utf-32-le"),
        (ARTICLE.encode("utf-16-le"), "utf-16-le"),  # no BOM: found by its NUL pattern
        (ARTICLE.encode("utf-16-be"), "utf-16-be"),
    ],
    ids=[
        "utf8-bom",
        "utf16le-bom",
        "utf16be-bom",
        "utf32le-bom",
        "utf16le-no-bom",
        "utf16be-no-bom",
    ],
)
def test_unicode_files_decode_with_or_without_a_bom(data: bytes, encoding: str) -> None:
    assert decode_bytes(data, "a.txt") == (ARTICLE, encoding, False)


def test_cp1252_curly_quotes_euro_and_accents_decode_without_mojibake() -> None:
    text = "“It’s €5 — a bargain,” said Zoë at the café… ‘Really?’"
    assert decode_bytes(text.encode("cp1252"), "a.txt") == (text, "windows-1252", False)


def test_latin1_accents_decode_without_mojibake() -> None:
    text = "Grüße aus München: la fête à Noël, señor, Ångström."
    assert decode_bytes(text.encode("latin-1"), "a.txt") == (text, "iso-8859-1", False)


def test_a_few_stray_bytes_in_utf8_are_read_as_cp1252_not_turned_into_mojibake() -> None:
    data = "“Café” crème brûlée. ".encode() * 3 + "naïve".encode("cp1252")
    text, encoding, _ = decode_bytes(data, "a.txt")
    assert text == "“Café” crème brûlée. " * 3 + "naïve"
    assert encoding == "utf-8 (stray bytes read as windows-1252)"


def test_double_encoded_utf8_is_repaired() -> None:
    original = "He said “no” — twice… at the café, Müller’s"
    garbled = "".join(
        bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in original.encode()
    )
    assert garbled.startswith("He said â€œno")
    assert normalize_text(garbled) == original
    assert normalize_text(original.encode().decode("latin-1")) == original


def test_real_text_that_looks_a_little_like_mojibake_is_left_alone() -> None:
    text = "Ãlvaro and Âme visited the château; l’âme du vin."
    assert normalize_text(text) == text


def test_an_html_meta_charset_is_honoured() -> None:
    page = '<html><head><meta charset="koi8-r"></head><body><p>Привет, мир.</p></body></html>'
    text, encoding, is_html = decode_bytes(page.encode("koi8-r"), "page.html", kind="html")
    assert (text, encoding, is_html) == (page, "koi8-r", True)


def test_a_meta_http_equiv_charset_is_honoured() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
        "</head><body><p>“Déjà vu”</p></body></html>"
    )
    text, encoding, _ = decode_bytes(page.encode("cp1252"), "page.html", kind="html")
    assert (text, encoding) == (page, "windows-1252")


def test_utf8_mislabelled_as_latin1_is_read_as_utf8() -> None:
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>“Café”</p></body></html>'
    text, encoding, _ = decode_bytes(page.encode("utf-8"), "page.html", kind="html")
    assert (text, encoding) == (page, "utf-8")


def test_an_xml_prolog_is_dropped_from_decoded_html() -> None:
    page = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<html><body><p>Olé</p></body></html>'
    text, encoding, is_html = decode_bytes(page.encode("latin-1"), "page.xhtml", kind="html")
    assert (text, encoding, is_html) == (
        "\n<html><body><p>Olé</p></body></html>",
        "windows-1252",
        True,
    )


@pytest.mark.parametrize(
    "data",
    [
        ("Москва сообщила сегодня о новых мерах поддержки. " * 4).encode("cp1251"),
        ("東京都は本日、新しい対策を発表しました。" * 4).encode("shift_jis"),
        ("北京今天宣布了新的支持措施。" * 4).encode("gbk"),
    ],
    ids=["cp1251", "shift-jis", "gbk"],
)
def test_legacy_encodings_that_cannot_be_told_apart_are_refused(data: bytes) -> None:
    with pytest.raises(UndecodableSource) as caught:
        decode_bytes(data, "legacy.txt")
    assert str(caught.value) == (
        "legacy.txt: could not tell the text encoding (not UTF-8, UTF-16 or "
        "Windows-1252/Latin-1); re-save it as UTF-8."
    )


def test_a_bom_followed_by_invalid_utf16_is_refused() -> None:
    with pytest.raises(UndecodableSource) as caught:
        decode_bytes(codecs.BOM_UTF16_LE + b"A\x00\x00\xdcB\x00", "odd.txt")
    assert str(caught.value) == (
        "odd.txt: starts with a UTF-16 byte-order mark but is not valid UTF-16; re-save it as UTF-8."
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"\x89PNG\r\n\x1a\n" + bytes(64),
            "looks like a PNG image, not text or HTML; pass a .txt or .html article.",
        ),
        (
            b"\xff\xd8\xff\xe0" + bytes(64),
            "looks like a JPEG image, not text or HTML; pass a .txt or .html article.",
        ),
        (
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
            "looks like a PDF document, not text or HTML; copy its text into a .txt file and pass that.",
        ),
        (
            gzip.compress(PAGE.encode()),
            "looks like gzip-compressed data, not text or HTML; decompress it first (gunzip), then pass the file.",
        ),
        (
            b"PK\x03\x04" + bytes(40),
            "looks like a zip archive (or a .docx/.epub), not text or HTML; save the article as .txt and pass that.",
        ),
        (
            bytes(range(256)) * 4,
            "looks like binary data, not text or HTML; pass a .txt or .html article.",
        ),
        (
            b"text\x00" * 50,
            "looks like binary data, not text or HTML; pass a .txt or .html article.",
        ),
    ],
    ids=["png", "jpeg", "pdf", "gzip", "zip", "random", "nuls"],
)
def test_binary_data_is_refused_and_named(data: bytes, message: str) -> None:
    with pytest.raises(BinarySource) as caught:
        decode_bytes(data, "file")
    assert str(caught.value) == f"file: {message}"


def test_a_stray_nul_in_a_long_text_is_noise_not_binary() -> None:
    data = ARTICLE.encode() * 10 + b"\x00" + ARTICLE.encode()
    assert decode_bytes(data, "a.txt")[0] == ARTICLE * 11


# --- normalising ------------------------------------------------------------------------


def test_newlines_are_normalised() -> None:
    assert normalize_text("one\r\ntwo\rthree\u2028four\u2029five\x0csix") == (
        "one\ntwo\nthree\nfour\n\nfive\nsix"
    )


def test_controls_zero_width_and_ansi_codes_are_removed() -> None:
    raw = "\x1b[1mBold\x1b[0m\x07 wo\u200brd\u00ad, soft\x01 \ufeffstart\x9d"
    assert normalize_text(raw) == "Bold word, soft start"


def test_text_is_composed_to_nfc_and_curly_quotes_are_kept() -> None:
    assert normalize_text("“Cafe\u0301” — it’s") == "“Café” — it’s"


# --- stdin ------------------------------------------------------------------------------


class Endless(io.RawIOBase):
    """A stdin that never ends, counting what was read from it."""

    def __init__(self) -> None:
        self.served = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        assert size > 0, "an unbounded read of stdin"
        self.served += size
        return b"a" * size


def test_stdin_is_read_as_bytes_and_named_stdin() -> None:
    stream = io.BytesIO(codecs.BOM_UTF8 + ARTICLE.encode())
    assert read_source("-", stdin=stream) == Document("<stdin>", ARTICLE, False, "utf-8")


def test_stdin_may_be_a_text_stream() -> None:
    document = read_source("-", stdin=io.StringIO(PAGE + "\r\n"))
    assert document == Document("<stdin>", PAGE + "\n", True, "text stream")


def test_whitespace_on_stdin_is_empty() -> None:
    with pytest.raises(EmptySource) as caught:
        read_source("-", stdin=io.BytesIO(b" \n\t\n"))
    assert str(caught.value) == "<stdin>: the input holds only whitespace; nothing to summarise."


def test_stdin_reads_are_bounded() -> None:
    stream = Endless()
    with pytest.raises(SourceTooLarge) as caught:
        read_source("-", stdin=stream, max_bytes=100_000)
    assert str(caught.value) == (
        "<stdin>: the input is over the 100 kB limit; split it or raise --max-bytes."
    )
    assert stream.served <= 100_001


def test_a_terminal_on_stdin_is_refused_instead_of_waiting() -> None:
    class Terminal(io.BytesIO):
        def isatty(self) -> bool:
            return True

    with pytest.raises(EmptySource) as caught:
        read_source("-", stdin=Terminal(b""))
    assert str(caught.value) == (
        "<stdin>: nothing is piped in; pipe an article (cat article.txt | summbot clean -) "
        "or pass a file path."
    )


# --- URLs -------------------------------------------------------------------------------


def test_fetches_an_html_page_with_summbots_user_agent(http_server: LoopbackServer) -> None:
    http_server.route("/story", body=PAGE)
    document = read_source(http_server.url("/story"))
    assert document == Document(
        http_server.url("/story"), PAGE, True, "utf-8", http_server.url("/story")
    )
    assert http_server.requests[0].headers["User-Agent"] == USER_AGENT


def test_redirects_are_followed(http_server: LoopbackServer) -> None:
    http_server.redirect("/old", "/moved", status=301)
    http_server.redirect("/moved", http_server.url("/story"), status=308)
    http_server.route("/story", body=PAGE)
    document = read_source(http_server.url("/old"))
    assert (document.name, document.url, document.text) == (
        http_server.url("/old"),
        http_server.url("/story"),
        PAGE,
    )


def test_a_redirect_loop_is_cut_off(http_server: LoopbackServer) -> None:
    for hop in range(10):
        http_server.redirect(f"/r{hop}", f"/r{hop + 1}")
    url = http_server.url("/r0")
    with pytest.raises(FetchError) as caught:
        read_source(url)
    assert str(caught.value) == (
        f"{url}: too many redirects (more than 5); open it in a browser and save the page."
    )
    assert len(http_server.requests) == 6


def test_a_redirect_to_another_scheme_is_not_followed(http_server: LoopbackServer) -> None:
    http_server.redirect("/file", "ftp://files.example.com/story.txt")
    url = http_server.url("/file")
    with pytest.raises(FetchError) as caught:
        read_source(url)
    assert str(caught.value) == (
        f"{url}: redirects to a ftp: URL, which summbot cannot fetch; "
        "open it in a browser and save the page."
    )


def test_text_plain_is_read_as_text_with_the_header_charset(http_server: LoopbackServer) -> None:
    text = "“<p>” is how HTML starts a paragraph, said Zoë. " * 12
    http_server.route(
        "/t", body=text.encode("cp1252"), content_type="text/plain; charset=windows-1252"
    )
    document = read_source(http_server.url("/t"))
    assert (document.text, document.is_html, document.encoding) == (text, False, "windows-1252")


def test_a_gzipped_response_is_decompressed(http_server: LoopbackServer) -> None:
    http_server.route("/z", body=gzip.compress(PAGE.encode()), headers={"Content-Encoding": "gzip"})
    assert read_source(http_server.url("/z")).text == PAGE


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (404, "the server answered 404 Not Found; check the URL."),
        (410, "the server answered 410 Gone; check the URL."),
        (
            403,
            (
                "the server refused access (403 Forbidden); the page may need a login or block "
                "scripts: save it from your browser and pass the file."
            ),
        ),
        (429, "the server answered 429 Too Many Requests; wait a while and try again."),
        (503, "the server failed (503 Service Unavailable); try again later."),
    ],
)
def test_http_errors_name_the_status(
    http_server: LoopbackServer, status: int, message: str
) -> None:
    http_server.route("/x", status=status, body="<html><body>no</body></html>")
    url = http_server.url("/x")
    with pytest.raises(FetchError) as caught:
        read_source(url)
    assert str(caught.value) == f"{url}: {message}"


def test_a_slow_server_times_out(http_server: LoopbackServer) -> None:
    http_server.route("/slow", body=PAGE, delay=30)
    url = http_server.url("/slow")
    with pytest.raises(FetchError) as caught:
        read_source(url, timeout=0.2)
    assert str(caught.value) == f"{url}: timed out after 0.2 s; try again later or raise --timeout."


def test_a_body_dripping_in_cannot_outlast_the_timeout(http_server: LoopbackServer) -> None:
    http_server.route("/drip", body=PAGE, drip=0.02)  # ~4 s in all, each byte well in time
    url = http_server.url("/drip")
    with pytest.raises(FetchError) as caught:
        read_source(url, timeout=0.3)
    assert str(caught.value) == f"{url}: timed out after 0.3 s; try again later or raise --timeout."


def test_redirects_share_one_deadline(http_server: LoopbackServer) -> None:
    http_server.route("/slow-hop", status=302, headers={"Location": "/slower"}, delay=0.15)
    http_server.route("/slower", status=302, headers={"Location": "/story"}, delay=0.15)
    http_server.route("/story", body=PAGE, delay=0.15)
    url = http_server.url("/slow-hop")
    with pytest.raises(FetchError) as caught:
        read_source(url, timeout=0.35)  # each hop is in time, all three are not
    assert (
        str(caught.value) == f"{url}: timed out after 0.35 s; try again later or raise --timeout."
    )


def test_a_declared_oversized_page_is_refused_before_reading(http_server: LoopbackServer) -> None:
    http_server.route("/big", body="x" * 20_000)
    url = http_server.url("/big")
    with pytest.raises(SourceTooLarge) as caught:
        read_source(url, max_bytes=10_000)
    assert (
        str(caught.value) == f"{url}: the page is 20 kB, over the 10 kB limit; raise --max-bytes."
    )


def test_an_undeclared_oversized_page_is_cut_off(http_server: LoopbackServer) -> None:
    http_server.route("/big", body="x" * 200_000, send_length=False)
    url = http_server.url("/big")
    with pytest.raises(SourceTooLarge) as caught:
        read_source(url, max_bytes=10_000)
    assert str(caught.value) == f"{url}: the page is over the 10 kB limit; raise --max-bytes."


def test_a_compressed_bomb_is_capped(http_server: LoopbackServer) -> None:
    http_server.route(
        "/bomb", body=gzip.compress(b" " * 5_000_000), headers={"Content-Encoding": "gzip"}
    )
    url = http_server.url("/bomb")
    with pytest.raises(SourceTooLarge) as caught:
        read_source(url, max_bytes=100_000)
    assert str(caught.value) == f"{url}: the page is over the 100 kB limit; raise --max-bytes."


def test_an_empty_page_is_empty(http_server: LoopbackServer) -> None:
    http_server.route("/empty", body=" \n ")
    url = http_server.url("/empty")
    with pytest.raises(EmptySource) as caught:
        read_source(url)
    assert str(caught.value) == f"{url}: the page is empty; check the URL."


def test_a_binary_download_is_refused(http_server: LoopbackServer) -> None:
    http_server.route("/img", body=b"\x89PNG\r\n\x1a\n" + bytes(200), content_type="image/png")
    url = http_server.url("/img")
    with pytest.raises(BinarySource) as caught:
        read_source(url)
    assert (
        str(caught.value)
        == f"{url}: looks like a PNG image, not text or HTML; pass a .txt or .html article."
    )


def test_connection_refused() -> None:
    url = f"http://127.0.0.1:{closed_port()}/story"
    with pytest.raises(FetchError) as caught:
        read_source(url)
    assert str(caught.value) == (
        f"{url}: could not connect (connection refused); check the URL and your network."
    )


def test_a_host_that_does_not_resolve(monkeypatch) -> None:
    def no_such_host(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    with pytest.raises(FetchError) as caught:
        read_source("https://news.example.invalid/story")
    assert str(caught.value) == (
        "https://news.example.invalid/story: could not find the server news.example.invalid "
        "(DNS lookup failed); check the URL and your network."
    )


def test_a_password_in_the_url_is_not_repeated_in_messages() -> None:
    url = f"http://reader:hunter2@127.0.0.1:{closed_port()}/story"
    with pytest.raises(FetchError) as caught:
        read_source(url)
    assert "hunter2" not in str(caught.value)
    assert str(caught.value).startswith("http://reader:***@127.0.0.1:")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://x/y", "ftp://x/y: only http:// and https:// URLs are supported."),
        (
            "javascript:alert(1)",
            "javascript:alert(1): only http:// and https:// URLs are supported.",
        ),
        (
            "data:text/html,<p>hi</p>",
            "data:text/html,<p>hi</p>: only http:// and https:// URLs are supported.",
        ),
        (
            "file:///tmp/story.txt",
            (
                "file:///tmp/story.txt: only http:// and https:// URLs are supported; "
                "for a local file pass its path (/tmp/story.txt)."
            ),
        ),
        ("http:///story", "http:///story: the URL has no host name; check the URL."),
    ],
)
def test_urls_other_than_http_are_unsupported(url: str, message: str) -> None:
    with pytest.raises(UnsupportedURL) as caught:
        read_source(url)
    assert str(caught.value) == message


def test_a_url_with_spaces_and_accents_is_percent_encoded(http_server: LoopbackServer) -> None:
    http_server.route("/caf%C3%A9%20news?q=cr%C3%A8me%20br%C3%BBl%C3%A9e", body=PAGE)
    document = read_source(http_server.url("/café news?q=crème brûlée#top"))
    assert (document.name, document.text) == (
        http_server.url("/café news?q=crème brûlée#top"),
        PAGE,
    )


@pytest.mark.parametrize(
    "url", ["http://example.com:port/x", "http://exa mple.com/x", "http://[::1/x"]
)
def test_a_malformed_url_is_named(url: str) -> None:
    with pytest.raises(UnsupportedURL) as caught:
        read_source(url)
    assert str(caught.value) == f"{url}: is not a valid URL; check it."


def test_a_path_with_a_nul_is_no_such_file() -> None:
    with pytest.raises(SourceNotFound) as caught:
        read_source("story\0.txt")
    assert str(caught.value) == (
        "story\\0.txt: no such file; check the path, or use - to read from stdin."
    )


def test_a_windows_drive_is_a_path_not_a_url(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SourceNotFound):
        read_source("C:\\news\\story.txt")


# --- sizes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (1, "1 byte"),
        (999, "999 bytes"),
        (1500, "1.5 kB"),
        (10_000_000, "10 MB"),
        (50 * 1024 * 1024, "52.4 MB"),
        (999_990, "1 MB"),
        (3_000_000_000, "3 GB"),
    ],
)
def test_sizes_are_shown_in_decimal_units(size: int, text: str) -> None:
    assert format_size(size) == text


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("2000", 2000),
        ("20MB", 20_000_000),
        ("500kB", 500_000),
        ("1.5 mb", 1_500_000),
        ("1MiB", 1_048_576),
        ("2G", 2_000_000_000),
    ],
)
def test_max_bytes_accepts_units(text: str, size: int) -> None:
    assert parse_size(text) == size


def test_a_size_that_is_not_one_says_what_is_accepted() -> None:
    with pytest.raises(
        ValueError, match=r"^'ten' is not a size; use bytes or a unit, e\.g\. 20MB or 500kB\.$"
    ):
        parse_size("ten")


# --- through `summbot clean` ------------------------------------------------------------

NEWS_PAGE = """<!DOCTYPE html><html><head><meta charset="windows-1252">
<title>Bridge approved | Example News</title></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Council approves river bridge</h1>
<p>The city council approved the new river bridge on Tuesday after a two-hour debate.</p>
<p>“It is a good day for the river towns,” the mayor said, adding that work starts in spring.</p>
<p>Opponents said the €40 million cost was too high for a town of 12,000 people.</p>
</article><footer>© 2026 Example News. All rights reserved.</footer></body></html>
"""
NEWS_BODY = (
    "The city council approved the new river bridge on Tuesday after a two-hour debate.\n\n"
    "“It is a good day for the river towns,” the mayor said, adding that work starts in spring."
    "\n\nOpponents said the €40 million cost was too high for a town of 12,000 people."
)


def clean_json(*args: str, stdin: bytes | None = None) -> dict[str, object]:
    import json

    from click.testing import CliRunner

    from summbot.cli import cli

    result = CliRunner().invoke(cli, ["clean", *args, "--format", "json"], input=stdin)
    assert (result.exit_code, result.stderr) == (0, "")
    return dict(json.loads(result.stdout))


def test_clean_reads_a_cp1252_web_page_from_a_url(http_server: LoopbackServer) -> None:
    http_server.route("/news/bridge", body=NEWS_PAGE.encode("cp1252"), content_type="text/html")
    article = clean_json(http_server.url("/news/bridge"))
    assert (article["source"], article["title"], article["text"]) == (
        http_server.url("/news/bridge"),
        "Council approves river bridge",
        NEWS_BODY,
    )


def test_clean_reads_a_utf16_html_file(tmp_path: Path) -> None:
    page = NEWS_PAGE.replace("windows-1252", "utf-16")
    path = write(tmp_path, "bridge.htm", codecs.BOM_UTF16_LE + page.encode("utf-16-le"))
    assert clean_json(path)["text"] == NEWS_BODY


def test_clean_sniffs_html_piped_on_stdin() -> None:
    article = clean_json("-", stdin=NEWS_PAGE.encode("cp1252"))
    assert (article["source"], article["text"]) == ("<stdin>", NEWS_BODY)


# --- review fixes: closed stdin, credentials in URLs --------------------------------------

CLOSED_STDIN = (
    "<stdin>: stdin is closed; pipe an article (cat article.txt | summbot clean -) "
    "or pass a file path."
)


def test_a_closed_stdin_stream_is_empty_not_a_crash() -> None:
    stream = io.BytesIO(b"The council met.")
    stream.close()
    with pytest.raises(EmptySource) as caught:
        read_source("-", stdin=stream)
    assert str(caught.value) == CLOSED_STDIN


def test_no_stdin_at_all_is_empty_not_a_crash(monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", None)  # what Python sets when fd 0 is closed
    with pytest.raises(EmptySource) as caught:
        read_source("-")
    assert str(caught.value) == CLOSED_STDIN


def test_a_url_with_credentials_logs_in_with_basic_auth(http_server: LoopbackServer) -> None:
    http_server.route("/story", body=PAGE)
    url = http_server.url("/story").replace("http://", "http://reader:hunter2@")

    document = read_source(url)

    assert (document.name, document.text) == (url.replace("hunter2", "***"), PAGE)
    # base64("reader:hunter2")
    assert http_server.requests[0].headers["Authorization"] == "Basic cmVhZGVyOmh1bnRlcjI="


def test_url_credentials_are_not_passed_on_to_a_redirect_target(
    http_server: LoopbackServer,
) -> None:
    http_server.redirect("/old", f"http://localhost:{http_server.port}/story")
    http_server.route("/story", body=PAGE)

    read_source(http_server.url("/old").replace("http://", "http://reader:hunter2@"))

    assert [r.path for r in http_server.requests] == ["/old", "/story"]
    assert "Authorization" in http_server.requests[0].headers
    assert "Authorization" not in http_server.requests[1].headers


def test_a_password_in_a_url_too_malformed_to_parse_is_still_hidden() -> None:
    with pytest.raises(UnsupportedURL) as caught:
        read_source("http://bob:secret@[::1/x")
    assert str(caught.value) == "http://bob:***@[::1/x: is not a valid URL; check it."


def test_a_token_given_as_the_url_user_name_is_hidden_too() -> None:
    # "https://TOKEN@host/..." is how tokens ride in URLs; only a password used to be masked.
    url = f"http://ghp_SECRET123@127.0.0.1:{closed_port()}/story"
    with pytest.raises(FetchError) as caught:
        read_source(url)
    assert str(caught.value).startswith("http://***@127.0.0.1:")
    assert "SECRET" not in str(caught.value)
