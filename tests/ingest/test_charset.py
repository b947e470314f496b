"""digest.ingest.charset: bytes from files and stdin, encodings, binary and size refusals."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from digest.errors import InputError
from digest.ingest import charset
from digest.ingest.article import ArticleLimits, article_from_text, decode_bytes, load_article
from ingest.ingest_texts import (
    BIBLIOTHEK,
    BIBLIOTHEK_8BIT,
    LONG_PARAGRAPH,
    POKAL_HTML,
    UMLAUT_PROBE,
    assert_offsets,
    input_error,
    load_text,
)


def test_stdin_stream_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO(BIBLIOTHEK_8BIT.encode("cp1252"))

        def isatty(self) -> bool:
            return False

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    article = load_article("-")
    assert article.encoding == "cp1252"
    assert article.title.text.startswith("Bibliothek Sonnfeld öffnet")


def test_stdin_terminal_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal:
        buffer = io.BytesIO(b"")

        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    with input_error("terminal"):
        load_article("-")


@pytest.mark.parametrize(
    ("codec", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16-le"),  # Python writes a little-endian BOM
        ("utf-16-be", "utf-16-be"),
        ("cp1252", "cp1252"),
    ],
)
def test_encodings(tmp_path: Path, codec: str, expected: str) -> None:
    raw = BIBLIOTHEK_8BIT.encode(codec)
    if codec == "utf-16-be":
        raw = b"\xfe\xff" + raw
    article = load_text(tmp_path, f"{codec}.txt", raw)
    assert article.encoding == expected
    assert UMLAUT_PROBE in article.text
    assert "Selbstbedienungsterminal" in article.text
    assert not article.text.startswith("\ufeff")
    assert_offsets(article)


def test_cp1252_quote_bytes() -> None:
    # 0x84 and 0x93 are „ and “ in cp1252 (in latin-1 they would be control characters).
    raw = "„Schön“, sagte die Bürgermeisterin über die Straße.".encode("cp1252")
    assert b"\x84" in raw and b"\x93" in raw
    text, encoding = decode_bytes(raw)
    assert encoding == "cp1252"
    assert text == "„Schön“, sagte die Bürgermeisterin über die Straße."


def test_latin1_umlauts() -> None:
    text, _ = decode_bytes("Die Brücke über die Möhne ist größer.".encode("latin-1"))
    assert text == "Die Brücke über die Möhne ist größer."


@pytest.mark.parametrize(
    "original",
    [
        "Grüße aus Köln: „Zitat“ – 5 €",
        "Ã¤ sieht aus wie Mojibake, ist aber gültiges UTF-8: â€ž",
        "Straße, Maß, Fuß, Öl, Übermut, Ärger",
        "Emoji 🚲 und CO₂ und ½",
    ],
)
def test_valid_utf8_is_never_misdecoded(original: str) -> None:
    text, encoding = decode_bytes(original.encode("utf-8"))
    assert text == original
    assert encoding == "utf-8"


def test_cp850_and_mac_roman_are_recognised() -> None:
    sentence = "Die Bürger über Straßen und Gebühren, die Äpfel und Öfen: für Grüße."
    for codec in ("cp850", "mac-roman"):
        text, encoding = decode_bytes(sentence.encode(codec))
        assert (text, encoding) == (sentence, codec)


def test_mostly_utf8_with_a_stray_cp1252_byte() -> None:
    raw = "Die Grüße aus München".encode() + b" und \xfcber alles."
    text, encoding = decode_bytes(raw)
    assert text == "Die Grüße aus München und über alles."
    assert encoding.startswith("utf-8")


def test_line_endings_are_normalised(tmp_path: Path) -> None:
    lines = BIBLIOTHEK.split("\n")
    # Order matters: "\r" followed by an empty line's "\n" would be one CRLF line end.
    mixed = "".join(line + ("\n", "\r", "\r\n")[i % 3] for i, line in enumerate(lines))
    article = load_text(tmp_path, "mixed.txt", mixed.encode("utf-8"))
    assert "\r" not in article.text
    reference = article_from_text(BIBLIOTHEK)
    assert article.text == reference.text
    assert [(d.line, d.reason) for d in article.dropped] == [
        (d.line, d.reason) for d in reference.dropped
    ]
    text, _ = decode_bytes(b"Zeile eins\r\nZeile zwei\rZeile drei\n")
    assert text == "Zeile eins\nZeile zwei\nZeile drei\n"


def test_html_meta_charset(tmp_path: Path) -> None:
    page = POKAL_HTML.replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    article = load_text(tmp_path, "derby.html", page.encode("cp1252"))
    assert article.encoding == "cp1252"
    assert "„Die Mannschaft hat Moral gezeigt, darauf bin ich stolz.“" in article.text
    assert article.title.text == "Grünwald gewinnt das Derby gegen Talheim"


def test_wrong_utf16_meta_charset_is_ignored() -> None:
    page = POKAL_HTML.replace('<meta charset="utf-8">', '<meta charset="utf-16">')
    text, encoding = decode_bytes(page.encode("cp1252"))
    assert encoding == "cp1252"
    assert "Grünwald gewinnt" in text


def test_utf16_without_bom_is_detected() -> None:
    text, encoding = decode_bytes(BIBLIOTHEK.encode("utf-16-le"))
    assert encoding == "utf-16-le"
    assert UMLAUT_PROBE in text


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(32), "JPEG"),
        (b"GIF89a\x01\x00\x01\x00" + bytes(16), "GIF"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(32), "ZIP"),
        (b"Text mit \x00 NUL \x00 Bytes \x00\x01\x02 darin, ohne BOM.", "NUL bytes"),
        (bytes(range(1, 32)) * 20 + b"Hallo Welt", "control characters"),
    ],
)
def test_binary_is_rejected(tmp_path: Path, raw: bytes, kind: str) -> None:
    with pytest.raises(InputError) as err:
        load_text(tmp_path, "datei.txt", raw)
    message = str(err.value)
    assert "looks like a binary file" in message
    assert kind in message
    assert "not a text article" in message
    assert "\n" not in message


def test_huge_file_fails_from_its_size_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "riesig.txt"
    with open(path, "wb") as fh:
        fh.truncate(50_000_000)  # sparse: 50 MB on paper, nothing on disk

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file over the limit must not be opened")

    monkeypatch.setattr(charset, "open", no_open, raising=False)
    with pytest.raises(InputError) as err:
        load_article(path)
    message = str(err.value)
    assert "50,000,000" in message and "5,000,000" in message and "\n" not in message


def test_too_large_data_and_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    limits = ArticleLimits(max_bytes=1_000)
    with input_error("too large"):
        load_article("x.txt", data=b"a" * 1_001, limits=limits)

    class BigStdin:
        buffer = io.BytesIO(b"Wort " * 10_000)

        def isatty(self) -> bool:
            return False

    monkeypatch.setattr(sys, "stdin", BigStdin())
    with input_error("more than 1,000 bytes"):
        load_article("-", limits=limits)
    assert BigStdin.buffer.tell() == 1_001  # read no more than the limit + 1


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b"{\\rtf1\\ansi\\deff0 {\\fonttbl} Die Stadt baut eine Br\\'fccke.}", "RTF"),
        (b"BZh91AY&SY" + bytes(range(40)), "bzip2"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(40), "RIFF"),
        (b"\x00\x00\x00\x18ftypheic" + bytes(40), "MP4/HEIC"),
        (b"SQLite format 3\x00" + bytes(40), "SQLite"),
    ],
)
def test_more_binary_signatures(raw: bytes, kind: str) -> None:
    with input_error(f"binary file \\({re.escape(kind)}"):
        load_article("x.txt", data=raw)


def test_text_that_starts_like_a_signature_is_text() -> None:
    text = "RIFF-Studie: Wattenmeer erholt sich\n\n" + LONG_PARAGRAPH
    assert load_article("x.txt", data=text.encode()).title.text.startswith("RIFF-Studie")


def test_utf8_with_many_stray_cp1252_bytes() -> None:
    # A UTF-8 file with cp1252 quotes pasted into it, many times over: each part keeps its
    # own encoding and the repair is one pass (a per-error re-decode would be quadratic).
    part = "Größe „Test“ – ".encode() + "„ok“ ".encode("cp1252")
    text, enc = decode_bytes(part * 20_000)
    assert enc == "utf-8 (repaired cp1252 bytes)"
    assert text == "Größe „Test“ – „ok“ " * 20_000


def test_decode_bytes_is_still_importable_from_article() -> None:
    from digest.ingest import article

    assert article.decode_bytes is charset.decode_bytes
