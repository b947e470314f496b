"""Tests for digest.ingest: decoding, rejection, structure, boilerplate, duplicates, offsets."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from digest.errors import InputError
from digest.ingest import charset as decoding
from digest.ingest import html_page as html_extract
from digest.ingest.article import ArticleLimits, article_from_text, decode_bytes, load_article
from digest.ingest.document import Article

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

# Invented article (plain text) with one line of every boilerplate kind the rules know.
BIBLIOTHEK = """\
Bibliothek Sonnfeld öffnet künftig auch am Sonntag

SONNFELD-KULTUR-BIBLIOTHEK

Von Jana Beck · 4. März 2025

Die Stadtbibliothek Sonnfeld wird ab März auch sonntags geöffnet sein. Der Kulturausschuss \
hat dem Modellversuch am Mittwoch einstimmig zugestimmt.

Foto: Stadt Sonnfeld/Jana Beck

Bisher war die Bibliothek nur von Dienstag bis Samstag geöffnet. Viele Familien hätten sich \
längere Öffnungszeiten gewünscht, sagte Bibliotheksleiterin Marion Falk. „Gerade am Wochenende \
haben Eltern und Kinder Zeit zum Lesen“, betonte sie.

Was sich ändert

Am Sonntag soll die Bibliothek von 11 bis 17 Uhr öffnen. Dafür wird kein zusätzliches Personal \
eingestellt, stattdessen helfen Ehrenamtliche bei der Ausleihe. Die Rückgabe funktioniert über \
einen Automaten im Foyer.

• Öffnung am Sonntag von 11 bis 17 Uhr
• Ausleihe mit dem neuen Selbstbedienungsterminal
• Lesecafé mit Kuchen aus der Schulküche

➤ Mehr lesen: Neue Spielplätze für die Innenstadt

Lesen Sie auch: Warum das Hallenbad im Sommer schließt

Anzeige

Teilen

Newsletter

Zur Startseite

Jetzt abonnieren

Quelle: dpa

Kritik aus dem Personalrat

Der Personalrat sieht den Versuch skeptisch. Ehrenamtliche dürften keine regulären Stellen \
ersetzen, heißt es in einer Stellungnahme. Die Stadt verweist darauf, dass alle Beschäftigten \
weiterhin an Werktagen arbeiten.

© Stadtbibliothek Sonnfeld

Kommentare

Leseratte77: Endlich! Darauf warten wir seit Jahren.
Bücherwurm: Und wer bezahlt die Heizung am Sonntag?
"""

RADSTATION_MD = """\
# Neue Radstation am Bahnhof Kleinfeld

Ab Herbst können Pendlerinnen und Pendler ihre Fahrräder am Bahnhof Kleinfeld **sicher** abstellen.

## Platz für 400 Räder

Die Station bietet *überdachte* Stellplätze und eine kleine Werkstatt. Mehr steht auf der \
[Internetseite der Stadt](https://example.org/radstation). Die Stadt rechnet mit hoher Nachfrage.

1. Stellplätze für 400 Fahrräder
2. Ladepunkte für E-Bikes
3. Schließfächer für Helme

> Wir wollen, dass das Rad die erste Wahl für den Weg zum Zug wird.
> So sagte es der Bürgermeister bei der Vorstellung.

Anzeige

Die Bauarbeiten beginnen im Mai und sollen bis September abgeschlossen sein. Während der \
Arbeiten bleibt der Bahnhofsvorplatz für Autos gesperrt.
"""

# The arrow is not in cp1252.
BIBLIOTHEK_8BIT = BIBLIOTHEK.replace("➤ Mehr lesen", "Mehr lesen")

POKAL_HTML = """\
<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>Heimsieg für Grünwald | Kreisblatt</title>
<meta property="og:title" content="Heimsieg für Grünwald">
<meta name="date" content="2025-10-05">
</head>
<body>
<div id="cookie-hinweis" class="cookie-consent"><p>Wir nutzen Cookies. Bitte stimmen Sie der \
Verarbeitung zu oder passen Sie die Einstellungen an.</p><button>Alle akzeptieren</button></div>
<header><nav><ul><li><a href="/">Startseite</a></li><li><a href="/sport">Sport</a></li></ul>\
</nav></header>
<main>
<article>
<h1>Grünwald gewinnt das Derby gegen Talheim</h1>
<p class="teaser">Der TSV Grünwald hat das Derby gegen den FC Talheim mit 3:1 gewonnen. Vor \
2.000 Zuschauern drehte die Mannschaft einen frühen Rückstand.</p>
<figure><img src="a.jpg" alt=""><figcaption>Jubel nach dem Schlusspfiff. Foto: Kreisblatt/Tom \
Hahn</figcaption></figure>
<h2>Ein schwieriger Beginn</h2>
<p>Schon nach zehn Minuten lag Grünwald zurück. Ein Abwehrfehler ermöglichte den Talheimern \
die frühe Führung. Danach übernahm der Gastgeber aber die Kontrolle über das Spiel und \
erspielte sich zahlreiche Chancen.</p>
<p>Kurz vor der Pause glich Kapitän Erik Sommer mit einem Kopfball aus. Das Spiel war nun \
<em>völlig offen</em>, und beide Mannschaften suchten den Weg nach vorn.</p>
<p>Anzeige</p>
<h2>Die Tore im Überblick</h2>
<ul><li>10. Minute: 0:1 durch Paul Weiß</li><li>44. Minute: 1:1 durch Erik Sommer</li>\
<li>71. Minute: 2:1 durch Lukas Brandt</li><li>88. Minute: 3:1 durch Erik Sommer</li></ul>
<blockquote><p>„Die Mannschaft hat Moral gezeigt, darauf bin ich stolz.“</p></blockquote>
<p>Trainer Jens Köhler lobte nach dem Spiel vor allem die Geduld seiner Spieler. Das nächste \
Spiel bestreitet Grünwald am kommenden Samstag in Oberau.</p>
</article>
<aside class="related"><h3>Mehr Sport</h3><ul><li><a href="/a">Handball: Talheim verliert \
knapp in der Nachspielzeit</a></li></ul></aside>
<section class="comments"><h3>Kommentare (1)</h3><p>Starkes Spiel, weiter so Jungs und \
Mädels!</p></section>
</main>
<footer><p>© 2025 Kreisblatt Verlag</p><a href="/impressum">Impressum</a></footer>
</body>
</html>
"""

ENGLISH = (
    "The city council approved the new cycling lanes on Thursday evening. The project will "
    "cost about three million euros and is expected to be finished by the end of next year, "
    "according to the mayor, who said that it was an important step for the city."
)
FRENCH = (
    "Le conseil municipal a approuvé jeudi soir la construction de nouvelles pistes cyclables. "
    "Le projet coûtera environ trois millions d'euros et devrait être terminé à la fin de "
    "l'année prochaine, selon le maire qui a parlé d'une étape importante pour la ville."
)
LONG_PARAGRAPH = (
    "Der Gemeinderat von Talheim hat am Dienstagabend nach einer langen und teilweise hitzigen "
    "Debatte beschlossen, die alte Turnhalle der Grundschule abzureißen und an ihrer Stelle "
    "eine moderne Mehrzweckhalle zu errichten, die neben dem Schulsport auch den örtlichen "
    "Vereinen, der Musikschule und der Volkshochschule zur Verfügung stehen soll, wobei die "
    "Kosten nach ersten Schätzungen bei rund sechs Millionen Euro liegen und zu einem großen "
    "Teil vom Land getragen werden sollen."
)


# -- helpers ---------------------------------------------------------------------------------


def assert_offsets(article: Article) -> None:
    """Every block and sentence is an exact slice of Article.text, in order, ids as documented."""
    text = article.text
    previous_end = -1
    for block in article.blocks:
        assert text[block.start : block.end] == block.text, block.id
        assert "\n" not in block.text
        if block.text:
            assert block.start > previous_end, block.id
            previous_end = block.end
        for n, sent in enumerate(block.sentences, 1):
            assert text[sent.start : sent.end] == sent.text, sent.id
            assert sent.id == f"{block.id}.{n}"
            assert block.start <= sent.start < sent.end <= block.end
        if block.kind in ("title", "heading") and block.text:
            assert len(block.sentences) == 1
    for n, section in enumerate(article.sections, 1):
        assert section.id == f"sec{n}"
        if section.heading is not None:
            assert section.heading.id == f"h{n}"
        for k, block in enumerate(section.blocks, 1):
            assert block.id == f"b{n}.{k}"
    assert article.title.id == "t"
    if article.teaser is not None:
        assert article.teaser.id == "lead"
    nonempty = [b.text for b in article.blocks if b.text]
    assert text == "\n\n".join(nonempty)


def _norm(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


def assert_nothing_lost(article: Article, source: str) -> None:
    """Each source line is in the cleaned text or among the dropped lines (normalised)."""
    kept = _norm(article.text)
    dropped = _norm(" ".join(d.text for d in article.dropped))
    for line in source.splitlines():
        line = re.sub(r"\]\([^)]*\)", "]", line)  # Markdown link targets are not text
        line = re.sub(r"^\s*(?:[•\-*–·▪+>#]+|\d{1,3}[.)])\s+", "", line)  # markers are not text
        key = _norm(line)
        assert key in kept or key in dropped, line


def load_text(tmp_path: Path, name: str, content: bytes) -> Article:
    path = tmp_path / name
    path.write_bytes(content)
    return load_article(path)


def body_texts(article: Article) -> list[str]:
    return [b.text for s in article.sections for b in s.blocks]


def input_error(match: str) -> pytest.RaisesExc[InputError]:
    return pytest.raises(InputError, match=match)


# -- input kinds -----------------------------------------------------------------------------


def test_txt_file(tmp_path: Path) -> None:
    article = load_text(tmp_path, "bibliothek.txt", BIBLIOTHEK.encode("utf-8"))
    assert article.format == "txt"
    assert article.source == str(tmp_path / "bibliothek.txt")
    assert article.title.text == "Bibliothek Sonnfeld öffnet künftig auch am Sonntag"
    assert_offsets(article)


def test_md_file(tmp_path: Path) -> None:
    for suffix in (".md", ".markdown"):
        article = load_text(tmp_path, "radstation" + suffix, RADSTATION_MD.encode("utf-8"))
        assert article.format == "md"
        assert article.title.text == "Neue Radstation am Bahnhof Kleinfeld"
        assert_offsets(article)


def test_html_file(tmp_path: Path) -> None:
    for suffix in (".html", ".htm"):
        article = load_text(tmp_path, "derby" + suffix, POKAL_HTML.encode("utf-8"))
        assert article.format == "html"
        assert article.title.text == "Grünwald gewinnt das Derby gegen Talheim"
        assert_offsets(article)


@pytest.mark.parametrize(
    ("content", "fmt"),
    [(POKAL_HTML, "html"), (RADSTATION_MD, "md"), (BIBLIOTHEK, "txt")],
)
def test_stdin_data_is_sniffed(content: str, fmt: str) -> None:
    article = load_article("-", data=content.encode("utf-8"))
    assert article.format == fmt
    assert article.source == "-"
    assert_offsets(article)


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


def test_unknown_extension_is_sniffed_and_fmt_overrides(tmp_path: Path) -> None:
    no_suffix = load_text(tmp_path, "artikel", POKAL_HTML.encode("utf-8"))
    assert no_suffix.format == "html"
    forced = load_article("notiz.dat", data=BIBLIOTHEK.encode("utf-8"), fmt="txt")
    assert forced.format == "txt"


def test_article_from_text() -> None:
    article = article_from_text(RADSTATION_MD, fmt="md", source="radstation")
    assert article.source == "radstation"
    assert article.format == "md"
    assert len(article.content_sha256) == 64
    assert_offsets(article)


def test_content_sha256_is_of_raw_bytes(tmp_path: Path) -> None:
    import hashlib

    raw = BIBLIOTHEK.encode("utf-16")
    article = load_text(tmp_path, "a.txt", raw)
    assert article.content_sha256 == hashlib.sha256(raw).hexdigest()


# -- encodings -------------------------------------------------------------------------------

UMLAUT_PROBE = "„Gerade am Wochenende haben Eltern und Kinder Zeit zum Lesen“"


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


# -- bad input -------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    with input_error(r"empty\.txt is empty"):
        load_text(tmp_path, "empty.txt", b"")


@pytest.mark.parametrize(
    "raw", [b"   \n\t\n  ", "\u00a0 \n \u2003".encode(), "  \n ".encode("utf-16")]
)
def test_whitespace_only(tmp_path: Path, raw: bytes) -> None:
    with input_error("is empty"):
        load_text(tmp_path, "leer.txt", raw)


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

    monkeypatch.setattr(decoding, "open", no_open, raising=False)
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


@pytest.mark.parametrize(("text", "language"), [(ENGLISH, "English"), (FRENCH, "French")])
def test_not_german(text: str, language: str) -> None:
    with pytest.raises(InputError) as err:
        load_article("-", data=text.encode("utf-8"))
    message = str(err.value)
    assert "does not look like German text (German stop-word ratio 0.0" in message
    assert language in message


def test_too_short() -> None:
    with input_error("too short"):
        article_from_text("Hallo Welt.")
    with input_error("too short"):
        article_from_text("Nur eine Überschrift\n\nFoto: dpa")


def test_invisible_characters_only() -> None:
    with input_error("too short"):
        article_from_text("\u200b\u200b\n\n\u00ad\n")


def test_min_words_is_configurable() -> None:
    text = "Die Stadt baut eine Brücke über den Fluss."
    assert load_article("-", data=text.encode(), limits=ArticleLimits(min_words=3))
    with input_error("at least 50 needed"):
        load_article("-", data=text.encode(), limits=ArticleLimits(min_words=50))


def test_unsupported_format_argument() -> None:
    with input_error("unsupported format 'pdf'"):
        article_from_text(BIBLIOTHEK, fmt="pdf")  # type: ignore[arg-type]


def test_missing_directory_and_unsupported(tmp_path: Path) -> None:
    with input_error("does not exist"):
        load_article(tmp_path / "fehlt.txt")
    with input_error("is a directory"):
        load_article(tmp_path)
    with input_error(r"unsupported file type '\.pdf'"):
        load_article(tmp_path / "bericht.pdf")


# -- structure -------------------------------------------------------------------------------


def test_plain_text_structure() -> None:
    article = article_from_text(BIBLIOTHEK)
    assert article.teaser is not None
    assert article.teaser.kind == "teaser"
    assert article.teaser.text.startswith("Die Stadtbibliothek Sonnfeld wird ab März")
    headings = [s.heading.text if s.heading else None for s in article.sections]
    assert headings == [None, "Was sich ändert", "Kritik aus dem Personalrat"]
    items = [b for b in article.sections[1].blocks if b.kind == "list_item"]
    assert [b.list_marker for b in items] == ["•", "•", "•"]
    assert items[0].text == "Öffnung am Sonntag von 11 bis 17 Uhr"
    assert article.date == "2025-03-04"
    assert article.metadata["author"] == "Jana Beck"
    assert_offsets(article)


def test_teaser_rule() -> None:
    short = "Titel der Meldung\n\nDie Stadt baut eine Brücke über den Fluss.\n\n"
    article = article_from_text(short + LONG_PARAGRAPH)
    assert article.teaser is not None
    # Longer than 60 words and no heading after it: body, not teaser.
    long_first = article_from_text(f"Titel der Meldung\n\n{LONG_PARAGRAPH}\n\n{LONG_PARAGRAPH}")
    assert long_first.teaser is None
    # Nothing follows: the only paragraph is body text.
    alone = article_from_text("Titel der Meldung\n\nDie Stadt baut eine Brücke über den Fluss.")
    assert alone.teaser is None
    assert body_texts(alone) == ["Die Stadt baut eine Brücke über den Fluss."]


@pytest.mark.parametrize(
    ("line", "is_heading"),
    [
        ("Was genau geplant ist", True),
        ("Kritik vom Handel", True),
        ("2026 wird alles anders", True),
        ("Die wichtigsten Punkte im Überblick:", False),
        ("Die Stadt hat entschieden.", False),
        ("Wie geht es weiter?", False),
        ("„Wir schaffen das“", False),
        ("Ein Satz mit elf Wörtern ist für eine Zwischenzeile viel zu lang", False),
        ("Die Pläne der Stadt für", False),
    ],
)
def test_heading_rule(line: str, is_heading: bool) -> None:
    article = article_from_text(
        f"Titel der Meldung\n\n{LONG_PARAGRAPH}\n\n{line}\n\n{LONG_PARAGRAPH}"
    )
    headings = [s.heading.text for s in article.sections if s.heading]
    assert (headings == [line]) is is_heading
    assert_offsets(article)


def test_heading_directly_above_hard_wrapped_paragraph() -> None:
    text = (
        "Titel der Meldung\n\n"
        f"{LONG_PARAGRAPH}\n\n"
        "Neue Halle bis 2028\n"
        "Die Bauarbeiten sollen im kommenden Frühjahr beginnen und etwa zwei Jahre\n"
        "dauern, teilte die Verwaltung mit. Während dieser Zeit weichen die Vereine\n"
        "in die Halle der Nachbargemeinde aus.\n"
    )
    article = article_from_text(text)
    assert article.sections[-1].heading is not None
    assert article.sections[-1].heading.text == "Neue Halle bis 2028"
    paragraph = article.sections[-1].blocks[0].text
    assert paragraph.startswith("Die Bauarbeiten sollen") and "Jahre dauern" in paragraph


def test_long_lines_without_blank_lines_are_paragraphs() -> None:
    text = "Titel der Meldung\n" + "\n".join([LONG_PARAGRAPH] * 2).replace("Talheim", "Sonnfeld", 1)
    article = article_from_text(text)
    assert article.title.text == "Titel der Meldung"
    assert len(article.blocks) == 3


@pytest.mark.parametrize("marker", ["•", "-", "*", "–", "·", "▪", "1.", "1)"])
def test_list_markers(marker: str) -> None:
    def item(n: int) -> str:
        m = marker.replace("1", str(n)) if marker[0].isdigit() else marker
        return f"{m} Punkt Nummer {n} der Liste"

    text = (
        f"Titel der Meldung\n\n{LONG_PARAGRAPH}\n\nDie Liste:\n\n{item(1)}\n{item(2)}\n{item(3)}\n"
    )
    article = article_from_text(text)
    items = [b for b in article.blocks if b.kind == "list_item"]
    assert [b.text for b in items] == [f"Punkt Nummer {n} der Liste" for n in (1, 2, 3)]
    expected = (
        [marker.replace("1", str(n)) for n in (1, 2, 3)] if marker[0].isdigit() else [marker] * 3
    )
    assert [b.list_marker for b in items] == expected
    assert_offsets(article)


def test_ordinal_lines_are_not_lists() -> None:
    text = (
        "Titel der Meldung\n\n"
        "1. FC Köln gewinnt das Testspiel in Talheim deutlich mit drei zu null Toren.\n\n"
        f"{LONG_PARAGRAPH}\n"
        "– und das schon im kommenden Jahr.\n"
    )
    article = article_from_text(text)
    assert not [b for b in article.blocks if b.kind == "list_item"]
    assert any(b.text.startswith("1. FC Köln gewinnt") for b in article.blocks)
    assert article.blocks[-1].text.endswith(
        "getragen werden sollen. – und das schon im kommenden Jahr."
    )


def test_list_item_continuation_lines() -> None:
    text = (
        f"Titel der Meldung\n\n{LONG_PARAGRAPH}\n\n"
        "- Strom: minus 9 Prozent im Durchschnitt,\n  gültig ab dem 1. Januar\n"
        "- Gas: der Preis bleibt stabil\n"
    )
    items = [b.text for b in article_from_text(text).blocks if b.kind == "list_item"]
    assert items == [
        "Strom: minus 9 Prozent im Durchschnitt, gültig ab dem 1. Januar",
        "Gas: der Preis bleibt stabil",
    ]


def test_quotes() -> None:
    text = (
        "Titel der Meldung\n\n"
        f"{LONG_PARAGRAPH}\n\n"
        "> Wir bauen für die nächsten fünfzig Jahre.\n> Das ist unser Versprechen.\n\n"
        "„Wir sind sehr zufrieden mit dem Ergebnis der Abstimmung im Rat.“\n\n"
        '"Das wird eine große Halle für alle Vereine der Gemeinde."\n'
    )
    article = article_from_text(text)
    kinds = {b.text: b.kind for b in article.blocks}
    assert kinds["Wir bauen für die nächsten fünfzig Jahre. Das ist unser Versprechen."] == "quote"
    assert kinds["„Wir sind sehr zufrieden mit dem Ergebnis der Abstimmung im Rat.“"] == "paragraph"
    assert kinds['"Das wird eine große Halle für alle Vereine der Gemeinde."'] == "paragraph"


def test_markdown_structure_and_inline() -> None:
    article = article_from_text(RADSTATION_MD, fmt="md")
    assert article.teaser is not None
    assert article.teaser.text == (
        "Ab Herbst können Pendlerinnen und Pendler ihre Fahrräder am Bahnhof Kleinfeld sicher "
        "abstellen."
    )
    assert article.teaser.markup is not None and "**sicher**" in article.teaser.markup
    first = article.sections[0]
    assert first.heading is not None and first.heading.text == "Platz für 400 Räder"
    para = first.blocks[0]
    assert "*überdachte*" not in para.text and "überdachte Stellplätze" in para.text
    assert "Mehr steht auf der Internetseite der Stadt." in para.text
    assert para.markup is not None
    assert "[Internetseite der Stadt](https://example.org/radstation)" in para.markup
    assert all("](" not in s.text and "*" not in s.text for s in para.sentences)
    items = [b for b in first.blocks if b.kind == "list_item"]
    assert [b.list_marker for b in items] == ["1.", "2.", "3."]
    quotes = [b for b in first.blocks if b.kind == "quote"]
    assert quotes[0].text.startswith("Wir wollen, dass das Rad") and quotes[0].text.endswith(
        "bei der Vorstellung."
    )
    assert [d.reason for d in article.dropped] == ["advertisement"]
    assert_offsets(article)
    assert_nothing_lost(article, RADSTATION_MD)


def test_markdown_inline_variants() -> None:
    md = (
        "Titel\n=====\n\n"
        f"{LONG_PARAGRAPH}\n\n"
        "Ein __fetter__ und ein _schräger_ Satz mit `Code`, ~~alt~~ und \\*Sternchen\\* bleibt "
        "lesbar, auch mit <https://example.org> und [Verweis][1].\n\n"
        "[1]: https://example.org/verweis\n"
    )
    article = article_from_text(md, fmt="md")
    assert article.title.text == "Titel"
    last = article.blocks[-1]
    assert last.text == (
        "Ein fetter und ein schräger Satz mit Code, alt und *Sternchen* bleibt lesbar, auch mit "
        "https://example.org und Verweis."
    )
    assert [d.reason for d in article.dropped] == ["link_reference"]


def test_markdown_short_lines_need_markup_to_be_headings() -> None:
    md = (
        f"# Titel der Meldung\n\n{LONG_PARAGRAPH}\n\nNur eine kurze Zeile\n\n{LONG_PARAGRAPH}"
        f"\n\n**Neue Halle bis 2028**\n\n{LONG_PARAGRAPH.replace('Talheim', 'Au')}\n"
    )
    article = article_from_text(md, fmt="md")
    assert [s.heading.text for s in article.sections if s.heading] == ["Neue Halle bis 2028"]
    assert "Nur eine kurze Zeile" in body_texts(article)


def test_markdown_table_rows_become_items() -> None:
    md = (
        f"# Ergebnisse der Wahl\n\n{LONG_PARAGRAPH}\n\n"
        "| Partei | Stimmen |\n|---|---:|\n| Grüne | 31 Prozent |\n| SPD | 27 Prozent |\n"
    )
    items = [b for b in article_from_text(md, fmt="md").blocks if b.kind == "list_item"]
    assert [b.text for b in items] == ["Partei | Stimmen", "Grüne | 31 Prozent", "SPD | 27 Prozent"]


def test_markdown_front_matter() -> None:
    md = f"---\ntitle: Hallenbau in Talheim\ndate: 2025-02-01\n---\n\n{LONG_PARAGRAPH}\n"
    article = article_from_text(md, fmt="md")
    assert article.title.text == "Hallenbau in Talheim"
    assert article.date == "2025-02-01"
    assert {d.reason for d in article.dropped} == {"front_matter"}
    assert_offsets(article)


def test_kicker_line() -> None:
    title = "Grünwald gewinnt das Derby gegen den FC Talheim"
    text = f"Sport\n\n{title}\n\n{LONG_PARAGRAPH}\n\n{LONG_PARAGRAPH}"
    article = article_from_text(text)
    assert article.title.text == "Grünwald gewinnt das Derby gegen den FC Talheim"
    assert article.metadata["kicker"] == "Sport"
    assert [d.reason for d in article.dropped] == ["kicker"]


def test_no_title_gives_empty_title_block() -> None:
    article = article_from_text(f"{LONG_PARAGRAPH}\n\n{LONG_PARAGRAPH.replace('Talheim', 'Au')}")
    assert article.title.text == "" and article.title.start == article.title.end == 0
    assert article.title.sentences == ()
    assert article.text.startswith("Der Gemeinderat")
    assert_offsets(article)


# -- HTML ------------------------------------------------------------------------------------


def test_html_structure_and_metadata() -> None:
    article = article_from_text(POKAL_HTML, fmt="html")
    assert article.metadata["og_title"] == "Heimsieg für Grünwald"
    assert article.date == "2025-10-05"
    assert article.teaser is not None and article.teaser.text.startswith("Der TSV Grünwald hat")
    headings = [s.heading.text for s in article.sections if s.heading]
    assert headings == ["Ein schwieriger Beginn", "Die Tore im Überblick"]
    items = [b.text for b in article.blocks if b.kind == "list_item"]
    assert items[0] == "10. Minute: 0:1 durch Paul Weiß" and len(items) == 4
    quotes = [b.text for b in article.blocks if b.kind == "quote"]
    assert quotes == ["„Die Mannschaft hat Moral gezeigt, darauf bin ich stolz.“"]
    emphasis = next(b for b in article.blocks if "völlig offen" in b.text)
    assert emphasis.markup is not None and "*völlig offen*" in emphasis.markup
    for junk in ("Cookies", "Startseite", "Handball", "Starkes Spiel", "Impressum", "Schlusspfiff"):
        assert junk not in article.text
    reasons = {d.reason for d in article.dropped}
    expected = {"cookie_banner", "navigation", "photo_caption", "advertisement", "related_links"}
    assert expected | {"comments", "footer"} <= reasons
    assert_offsets(article)


def test_html_nothing_lost() -> None:
    import lxml.html

    article = article_from_text(POKAL_HTML, fmt="html")
    kept = _norm(article.text)
    dropped = _norm(" ".join(d.text for d in article.dropped))
    tree = lxml.html.document_fromstring(POKAL_HTML)
    for el in tree.body.iter("p", "li", "h1", "h2", "h3", "figcaption", "button", "a"):
        key = _norm(el.text_content())
        assert key in kept or key in dropped, el.text_content()
    for d in article.dropped:
        assert d.line > 0


def test_html_fallback_walker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_extract, "_trafilatura_blocks", lambda html: ([], {}))
    article = article_from_text(POKAL_HTML, fmt="html")
    assert article.metadata["extractor"] == "lxml"
    assert article.title.text == "Grünwald gewinnt das Derby gegen Talheim"
    assert article.teaser is not None and article.teaser.text.startswith("Der TSV Grünwald")
    assert [b.kind for b in article.blocks].count("list_item") == 4
    assert any(b.kind == "quote" for b in article.blocks)
    for junk in ("Cookies", "Startseite", "Starkes Spiel", "Impressum", "Schlusspfiff", "Anzeige"):
        assert junk not in article.text
    assert_offsets(article)


def test_html_br_paragraphs_and_sub_lists() -> None:
    second = LONG_PARAGRAPH.replace("Talheim", "Sonnfeld")
    page = (
        "<html><body><article><h1>Neue Halle</h1>"
        f"<div>{LONG_PARAGRAPH}<br><br>{second}<br><br>Anzeige</div>"
        "<ul><li>Erster Punkt der Liste<ul><li>Ein Unterpunkt</li></ul></li>"
        "<li>Zweiter Punkt der Liste</li></ul></article></body></html>"
    )
    article = article_from_text(page, fmt="html")
    assert LONG_PARAGRAPH in body_texts(article) and second in body_texts(article)
    items = [b.text for b in article.blocks if b.kind == "list_item"]
    assert items == ["Erster Punkt der Liste", "Ein Unterpunkt", "Zweiter Punkt der Liste"]
    assert [(d.text, d.reason) for d in article.dropped] == [("Anzeige", "advertisement")]


def test_html_nested_too_deeply_is_one_line_error() -> None:
    page = "<html><body>" + "<div>" * 3000 + f"<p>{LONG_PARAGRAPH}</p>" + "</div>" * 3000
    with input_error("nested too deeply"):
        article_from_text(page, fmt="html")


def test_html_title_from_metadata_without_h1() -> None:
    page = POKAL_HTML.replace("<h1>Grünwald gewinnt das Derby gegen Talheim</h1>", "")
    assert article_from_text(page, fmt="html").title.text == "Heimsieg für Grünwald"
    page = page.replace('<meta property="og:title" content="Heimsieg für Grünwald">', "")
    assert article_from_text(page, fmt="html").title.text == "Heimsieg für Grünwald"


def test_html_without_text_is_rejected() -> None:
    with input_error("too short"):
        article_from_text("<html><body><nav>Startseite</nav></body></html>", fmt="html")


# -- boilerplate -----------------------------------------------------------------------------


def test_boilerplate_lines_and_reasons() -> None:
    article = article_from_text(BIBLIOTHEK)
    source = BIBLIOTHEK.splitlines()
    reasons = {d.text: d.reason for d in article.dropped}
    assert reasons == {
        "SONNFELD-KULTUR-BIBLIOTHEK": "agency_slug",
        "Von Jana Beck · 4. März 2025": "byline",
        "Foto: Stadt Sonnfeld/Jana Beck": "photo_credit",
        "➤ Mehr lesen: Neue Spielplätze für die Innenstadt": "promo",
        "Lesen Sie auch: Warum das Hallenbad im Sommer schließt": "promo",
        "Anzeige": "advertisement",
        "Teilen": "social_share",
        "Newsletter": "promo",
        "Zur Startseite": "navigation",
        "Jetzt abonnieren": "promo",
        "Quelle: dpa": "photo_credit",
        "© Stadtbibliothek Sonnfeld": "photo_credit",
        "Kommentare": "comments_trailer",
        "Leseratte77: Endlich! Darauf warten wir seit Jahren.": "comments_trailer",
        "Bücherwurm: Und wer bezahlt die Heizung am Sonntag?": "comments_trailer",
    }
    for d in article.dropped:
        assert source[d.line - 1].strip() == d.text  # line numbers point at the source
        assert d.text not in article.text
    assert_nothing_lost(article, BIBLIOTHEK)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Mehr zum Thema: So lesen Sie Ihre Stromrechnung", "promo"),
        ("Werbung", "advertisement"),
        ("Facebook Twitter WhatsApp E-Mail", "social_share"),
        ("Bild: Kreisblatt", "photo_credit"),
        ("Nach oben", "navigation"),
        ("Start › Politik › Kommunales", "navigation"),
        ("(dpa)", "agency_credit"),
        ("Dienstag, 4. März 2025, 14:30 Uhr", "dateline"),
        ("Lesezeit: 3 Minuten", "reading_time"),
        ("* * *", "separator"),
    ],
)
def test_more_boilerplate_reasons(line: str, reason: str) -> None:
    article = article_from_text(
        f"Titel der Meldung\n\n{LONG_PARAGRAPH}\n\n{line}\n\n{LONG_PARAGRAPH}"
    )
    assert [(d.text, d.reason) for d in article.dropped] == [(line, reason)]


def test_sentences_that_look_like_promo_are_kept() -> None:
    line = "Lesen Sie auch die Hinweise der Polizei zum Schulweg, bevor die Ferien beginnen."
    article = article_from_text(f"Titel der Meldung\n\n{LONG_PARAGRAPH}\n\n{line}")
    assert line in article.text
    assert not article.dropped


def test_comments_trailer_needs_article_before_it() -> None:
    article = article_from_text(BIBLIOTHEK)
    assert article.dropped[-1].reason == "comments_trailer"
    assert "Heizung am Sonntag" not in article.text


# -- duplicates ------------------------------------------------------------------------------


def test_exact_and_normalised_duplicates() -> None:
    repeat = LONG_PARAGRAPH.upper().replace(",", "")  # same words, different case/punctuation
    text = (
        "Titel der Meldung\n\nDie Stadt baut eine neue Halle.\n\n"
        f"{LONG_PARAGRAPH}\n\nZwischenzeile\n\n{LONG_PARAGRAPH}\n\n{repeat}"
    )
    article = article_from_text(text)
    first, second = article.sections
    original = first.blocks[0]
    assert original.duplicate_of is None
    assert [b.duplicate_of for b in second.blocks] == [original.id, original.id]
    assert second.sentences == ()
    assert all(not s.id.startswith("b2.") for s in article.sentences)


def test_near_duplicates() -> None:
    near = LONG_PARAGRAPH.replace("hitzigen", "heftigen")
    different = (
        LONG_PARAGRAPH.replace("Turnhalle der Grundschule", "Stadthalle am Markt")
        .replace("sechs Millionen", "acht Millionen")
        .replace("Musikschule", "Feuerwehr")
        .replace("Dienstagabend", "Montag")
    )
    text = f"Titel der Meldung\n\n{LONG_PARAGRAPH}\n\n{near}\n\n{different}"
    blocks = article_from_text(text).sections[0].blocks
    assert [b.duplicate_of for b in blocks] == [None, blocks[0].id, None]


def test_repeated_passage_inside_longer_paragraph() -> None:
    pull = "Die Kosten liegen nach ersten Schätzungen bei rund sechs Millionen Euro."
    long_one = f"Zur Finanzierung äußerte sich der Kämmerer. {pull} Das Land übernimmt viel."
    article = article_from_text(f"Titel der Meldung\n\n{LONG_PARAGRAPH}\n\n> {pull}\n\n{long_one}")
    quote = next(b for b in article.blocks if b.kind == "quote")
    assert quote.duplicate_of == article.sections[0].blocks[-1].id


def test_sample_duplicate_is_marked() -> None:
    article = load_article(SAMPLES / "wasserstoff-langer-bericht.txt")
    dups = [b for b in article.blocks if b.duplicate_of]
    assert len(dups) == 1
    assert dups[0].text.startswith("Bei der Elektrolyse wird Wasser")
    original = next(b for b in article.blocks if b.id == dups[0].duplicate_of)
    assert original.text == dups[0].text


# -- samples and performance -----------------------------------------------------------------


def sample_files() -> list[Path]:
    suffixes = {".txt", ".md", ".markdown", ".html", ".htm"}
    return sorted(
        p for p in SAMPLES.glob("*") if p.suffix in suffixes and p.name.lower() != "readme.md"
    )


def test_there_are_enough_samples() -> None:
    assert len(sample_files()) >= 5


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_sample_offsets(path: Path) -> None:
    article = load_article(path)
    assert_offsets(article)
    assert article.title.text
    assert article.sentences
    assert "\ufffd" not in article.text
    if article.format != "html":
        assert_nothing_lost(article, decode_bytes(path.read_bytes())[0])


def test_three_thousand_words() -> None:
    paragraphs = [
        f"Im Ortsteil {n} hat der Rat am {n % 28 + 1}. Mai beschlossen, die Straße zu sanieren. "
        f"Die Arbeiten kosten rund {n * 3} Millionen Euro und dauern etwa {n % 9 + 2} Monate. "
        f"Anwohnerinnen und Anwohner sollen früh informiert werden, sagte die Sprecherin. "
        f"Der Verkehr wird in dieser Zeit über die Nachbarstraße {n} umgeleitet."
        for n in range(1, 80)
    ]
    parts = ["Große Sanierung in allen Ortsteilen"]
    for n, para in enumerate(paragraphs):
        if n % 10 == 5:
            parts.append(f"Abschnitt {n}")
        parts.append(para)
    text = "\n\n".join(parts)
    assert len(text.split()) >= 3000
    article = article_from_text(text)
    assert article.word_count >= 3000
    # Paragraphs before the first "Abschnitt" line, then one section per such heading.
    assert [s.heading.text if s.heading else None for s in article.sections] == [None] + [
        f"Abschnitt {n}" for n in range(5, 80, 10)
    ]
    assert_offsets(article)


# -- decoding module, promo runs, copied web pages -------------------------------------------


def test_decode_bytes_is_still_importable_from_article() -> None:
    from digest.ingest import article

    assert article.decode_bytes is decoding.decode_bytes


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


RELATED = """\
Neue Buslinie für das Gewerbegebiet

Ab Montag fährt die Linie 12 alle zwanzig Minuten vom Bahnhof bis ins Gewerbegebiet Nord. \
Die Stadtwerke reagieren damit auf Beschwerden vieler Pendlerinnen und Pendler.

{block}

Die neue Linie kostet die Stadt rund 400.000 Euro im Jahr. Der Fahrgastbeirat begrüßt das \
Angebot und fordert zusätzlich Fahrten am Wochenende.
"""


@pytest.mark.parametrize(
    ("block", "reason"),
    [
        (
            "Mehr zum Thema\nTaktverdichtung: Was sich im Herbst ändert\nNeue Haltestellen",
            "related_links",
        ),
        ("Lesen Sie auch:\n• Radwege: Stadt plant neuen Ring", "related_links"),
        (
            "## Das könnte Sie auch interessieren\nStreit um Parkgebühren geht weiter",
            "related_links",
        ),
        ("Newsletter\nJetzt anmelden und nichts verpassen!", "promo"),
    ],
)
def test_lines_under_a_bare_promo_header_are_dropped(block: str, reason: str) -> None:
    text = RELATED.format(block=block)
    article = article_from_text(text, fmt="md" if block.startswith("#") else "txt")
    header, *members = block.split("\n")
    assert [(d.text, d.reason) for d in article.dropped] == [(header, "promo")] + [
        (m, reason) for m in members
    ]
    assert_nothing_lost(article, text)


def test_promo_run_stops_at_a_subheading_or_a_sentence() -> None:
    text = (
        "Neue Buslinie für das Gewerbegebiet\n\n" + LONG_PARAGRAPH + "\n"
        "Mehr zum Thema\n"
        "Taktverdichtung im Herbst\n"
        "Was Pendler wissen müssen\n" + LONG_PARAGRAPH.replace("a", "e") + "\n\n"
        "Lesen Sie auch\n"
        "Die Linie 12 fährt künftig auch nachts.\n"
    )
    article = article_from_text(text)
    dropped = [(d.text, d.reason) for d in article.dropped]
    assert ("Taktverdichtung im Herbst", "related_links") in dropped
    assert [s.heading.text for s in article.sections if s.heading] == ["Was Pendler wissen müssen"]
    assert "Die Linie 12 fährt künftig auch nachts." in article.text  # a sentence is text


def test_page_copied_as_plain_text() -> None:
    # Kept out of samples/ so the model tests in test_cli do not run on it as well.
    path = Path(__file__).parent / "data" / "articles" / "faehre-webkopie.txt"
    article = load_article(path)
    assert article.title.text == "Neue Elektrofähre für die Inselroute: Erste Fahrt im Juni"
    assert article.metadata["kicker"] == "Nahverkehr"
    assert article.date == "2026-03-14"
    assert article.metadata["author"] == "Okke Petersen"
    assert article.teaser is not None and article.teaser.text.startswith("Die Reederei")
    assert [s.heading.text if s.heading else None for s in article.sections] == [
        None,
        "Was die Fahrgäste erwartet",
        "Kritik an den Kosten",
        "Wie es weitergeht",
    ]
    items = [b for b in article.blocks if b.kind == "list_item"]
    assert [b.list_marker for b in items] == ["-", "-", "-"]
    assert items[0].text == "ein Ruheraum mit 40 Sitzplätzen,"
    reasons = {d.reason for d in article.dropped}
    assert {
        "navigation", "kicker", "dateline", "byline", "reading_time", "social_share",
        "photo_credit", "promo", "related_links", "advertisement", "agency_slug",
        "agency_credit", "comments_trailer",
    } <= reasons  # fmt: skip
    for needle in ("Mehr zum Thema", "Inselbahn", "Werbung", "Skeptiker61", "abonnieren"):
        assert needle not in article.text
    # Paragraphs without blank lines between them stay separate paragraphs.
    first = article.sections[0].blocks
    assert first[0].text.startswith("Das Schiff") and first[1].text.startswith("„Für die Insel")
    sentences = [s.text for s in article.sentences]
    assert "Die Fähre hat rund 23,5 Mio. Euro gekostet." in sentences
    assert any(
        s.startswith("Die Reederei rechnet damit") and "1. Betriebsjahr" in s for s in sentences
    )
    assert_offsets(article)


def test_content_overrides_a_misleading_file_name(tmp_path: Path) -> None:
    page = load_text(tmp_path, "gespeichert.txt", POKAL_HTML.encode())
    assert page.format == "html" and "<p" not in page.text
    assert page.title.text == "Grünwald gewinnt das Derby gegen Talheim"
    assert "read as html" in page.metadata["format_note"]
    plain = load_text(tmp_path, "artikel.html", BIBLIOTHEK.encode())
    assert plain.format == "txt" and plain.title.text.startswith("Bibliothek Sonnfeld")
    assert [s.heading.text for s in plain.sections if s.heading] == [
        s.heading.text for s in article_from_text(BIBLIOTHEK).sections if s.heading
    ]
    markdown = load_text(tmp_path, "radstation.txt", RADSTATION_MD.encode())
    assert markdown.format == "md" and "**" not in markdown.text and "](" not in markdown.text


def test_file_name_format_is_kept_when_the_content_is_ambiguous(tmp_path: Path) -> None:
    # One "#" line and a "---" rule are not enough to read a .txt file as Markdown, and an
    # explicit format always wins.
    text = BIBLIOTHEK.replace("Was sich ändert", "# Was sich ändert").replace("* * *", "---")
    assert load_text(tmp_path, "a.txt", text.encode()).format == "txt"
    assert "format_note" not in load_text(tmp_path, "b.txt", BIBLIOTHEK.encode()).metadata
    forced = load_article(tmp_path / "b.txt", fmt="txt", data=POKAL_HTML.encode())
    assert forced.format == "txt"
