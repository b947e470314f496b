"""digest.ingest.html_page (and html_meta): HTML pages to blocks, metadata and dropped parts."""

from __future__ import annotations

import pytest

from digest.ingest import html_page
from digest.ingest.article import article_from_text
from ingest.ingest_texts import (
    LONG_PARAGRAPH,
    POKAL_HTML,
    assert_offsets,
    body_texts,
    input_error,
    norm,
)


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
    kept = norm(article.text)
    dropped = norm(" ".join(d.text for d in article.dropped))
    tree = lxml.html.document_fromstring(POKAL_HTML)
    for el in tree.body.iter("p", "li", "h1", "h2", "h3", "figcaption", "button", "a"):
        key = norm(el.text_content())
        assert key in kept or key in dropped, el.text_content()
    for d in article.dropped:
        assert d.line > 0


def test_html_fallback_walker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_page, "_trafilatura_blocks", lambda html: ([], {}))
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
