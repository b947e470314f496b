"""digest.ingest.article: load_article and article_from_text, formats, limits, offsets, samples."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from digest.ingest.article import ArticleLimits, article_from_text, decode_bytes, load_article
from ingest.ingest_texts import (
    BIBLIOTHEK,
    POKAL_HTML,
    RADSTATION_MD,
    assert_nothing_lost,
    assert_offsets,
    input_error,
    load_text,
    sample_files,
)


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

    raw = BIBLIOTHEK.encode("utf-16")
    article = load_text(tmp_path, "a.txt", raw)
    assert article.content_sha256 == hashlib.sha256(raw).hexdigest()


def test_empty_file(tmp_path: Path) -> None:
    with input_error(r"empty\.txt is empty"):
        load_text(tmp_path, "empty.txt", b"")


@pytest.mark.parametrize(
    "raw", [b"   \n\t\n  ", "\u00a0 \n \u2003".encode(), "  \n ".encode("utf-16")]
)
def test_whitespace_only(tmp_path: Path, raw: bytes) -> None:
    with input_error("is empty"):
        load_text(tmp_path, "leer.txt", raw)


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
    body = [b for b in article.blocks if b.kind not in ("title", "heading")]
    assert sum(len(b.text.split()) for b in body) >= 3000
    # The one sentence every paragraph repeats word for word counts once (issue 14).
    repeats = [s for b in body for s in b.sentences if s.duplicate_of]
    assert len(repeats) == 78 and {s.duplicate_of for s in repeats} == {"lead.3"}
    assert article.word_count >= 3000 - 78 * 10
    # Paragraphs before the first "Abschnitt" line, then one section per such heading.
    assert [s.heading.text if s.heading else None for s in article.sections] == [None] + [
        f"Abschnitt {n}" for n in range(5, 80, 10)
    ]
    assert_offsets(article)


def test_page_copied_as_plain_text() -> None:
    # Kept out of samples/ so the model tests in test_cli do not run on it as well.
    path = Path(__file__).parents[1] / "data" / "articles" / "faehre-webkopie.txt"
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
