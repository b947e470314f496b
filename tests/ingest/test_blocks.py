"""digest.ingest.blocks: plain-text and Markdown structure (title, teaser, headings, lists)."""

from __future__ import annotations

import pytest

from digest.ingest.article import article_from_text
from digest.ingest.blocks import Parsed, parse_text
from ingest.ingest_texts import (
    BIBLIOTHEK,
    LONG_PARAGRAPH,
    RADSTATION_MD,
    assert_nothing_lost,
    assert_offsets,
    body_texts,
)


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
        # Length alone no longer decides (issue 14): a title-like 12-word line is a heading,
        # a run-on sentence of the same length or a line over 16 words is not.
        ("Die Tagesordnung des Gipfels ist von militärischen Themen geprägt", True),
        ("Er sagte, die Stadt werde das Projekt trotz der hohen Kosten weiterführen", False),
        ("Die Kosten trägt zum größten Teil der Bund weil das Land kein Geld hat", False),
        (
            "Ein Satz mit siebzehn Wörtern ist für eine Zwischenzeile in einem Artikel "
            "der Lokalzeitung eindeutig viel zu lang",
            False,
        ),
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


def test_no_title_gives_a_title_derived_from_the_first_sentence() -> None:
    # Issue 14: never an empty "# " title; the first sentence stands in, marked as derived.
    article = article_from_text(f"{LONG_PARAGRAPH}\n\n{LONG_PARAGRAPH.replace('Talheim', 'Au')}")
    assert article.title.text.startswith("Der Gemeinderat von Talheim")
    assert article.title.text.endswith("…") and article.title_derived
    assert [s.text for s in article.title.sentences] == [article.title.text]
    assert article.sentences[0].text.startswith("Der Gemeinderat")  # still in the body
    assert_offsets(article)


# -- parse_text directly: raw blocks with their kind, marker, level and source line ----------

HAUSHALT_MD = """\
Rathaus
==========

Der Rat hat am Abend lange über den Haushalt für das nächste Jahr beraten und ihn beschlossen.

Zahlen im Detail
----------------

3. Die Stadt spart.
- Schulen bekommen mehr Geld
  für neue Rechner
- Straßen werden saniert

> Wir sparen nicht an der Bildung.
>
> > Das ist ein Versprechen.

---
Die Kämmerin nannte den Haushalt solide und
- auch für die kommenden Jahre tragfähig.
"""


def raw_rows(parsed: Parsed) -> list[tuple[str, str, str | None, int, int, int]]:
    return [(b.kind, b.text, b.marker, b.level, b.line, b.n_lines) for b in parsed.blocks]


def test_parse_text_gives_raw_blocks_with_source_lines() -> None:
    parsed = parse_text(HAUSHALT_MD, "md")
    assert parsed.title is not None
    assert (parsed.title.text, parsed.title.level, parsed.title.line) == ("Rathaus", 1, 1)
    assert raw_rows(parsed) == [
        ("paragraph", "Der Rat hat am Abend lange über den Haushalt für das nächste Jahr beraten "
         "und ihn beschlossen.", None, 0, 4, 1),
        ("heading", "Zahlen im Detail", None, 2, 6, 1),  # setext "---" underline: level 2
        ("paragraph", "3. Die Stadt spart.", None, 0, 9, 1),  # no neighbour numbered 2: text
        ("list_item", "Schulen bekommen mehr Geld für neue Rechner", "-", 0, 10, 2),
        ("list_item", "Straßen werden saniert", "-", 0, 12, 1),
        ("quote", "Wir sparen nicht an der Bildung.", None, 0, 14, 1),
        ("quote", "Das ist ein Versprechen.", None, 0, 16, 1),  # "> >" flattened, ">" splits
        # A lower-case dash line after an open sentence continues it rather than a list.
        ("paragraph", "Die Kämmerin nannte den Haushalt solide und - auch für die kommenden "
         "Jahre tragfähig.", None, 0, 19, 2),
    ]  # fmt: skip
    assert [(d.line, d.text, d.reason) for d in parsed.dropped] == [(18, "---", "separator")]


def test_parse_text_reads_kicker_byline_and_numbered_items_in_plain_text() -> None:
    text = (
        "Sport\n\nGrünwald gewinnt das Derby gegen den FC Talheim klar\n\n"
        "Von Lena Hartwig · 12. Mai 2026\n\n"
        "Der TSV Grünwald hat das Derby gewonnen.\u200b Vor 2.000 Zuschauern drehte die "
        "Mannschaft das Spiel.\n\n1. Halbzeit: 0:1\n2. Halbzeit: 3:0\n"
    )
    parsed = parse_text(text, "txt")
    assert parsed.title is not None and parsed.title.line == 3
    assert parsed.title.text == "Grünwald gewinnt das Derby gegen den FC Talheim klar"
    assert parsed.date == "2026-05-12"
    assert parsed.metadata == {
        "author": "Lena Hartwig",
        "byline": "Von Lena Hartwig · 12. Mai 2026",
        "kicker": "Sport",
    }
    assert [(d.line, d.reason) for d in parsed.dropped] == [(5, "byline"), (1, "kicker")]
    assert raw_rows(parsed) == [
        ("paragraph", "Der TSV Grünwald hat das Derby gewonnen. Vor 2.000 Zuschauern drehte die "
         "Mannschaft das Spiel.", None, 0, 7, 1),  # the zero-width space is gone
        ("list_item", "Halbzeit: 0:1", "1.", 0, 9, 1),
        ("list_item", "Halbzeit: 3:0", "2.", 0, 10, 1),
    ]  # fmt: skip


def test_parse_text_front_matter_gives_title_and_date_but_a_rule_is_no_front_matter() -> None:
    md = "---\ntitle: Hallenbau\ndate: 3. Feber 2026\n---\nDer Rat hat den Bau beschlossen.\n"
    parsed = parse_text(md, "md")
    assert parsed.title is not None and parsed.title.text == "Hallenbau"
    assert parsed.date == "2026-02-03"
    assert [d.line for d in parsed.dropped if d.reason == "front_matter"] == [1, 2, 3, 4]
    assert raw_rows(parsed) == [("paragraph", "Der Rat hat den Bau beschlossen.", None, 0, 5, 1)]
    # Lines that are not "key: value" make the first "---" a rule, and the second an underline.
    ruled = parse_text("---\nKein Vorspann hier\n---\nDer Rat hat den Bau beschlossen.\n", "md")
    assert [(d.line, d.reason) for d in ruled.dropped] == [(1, "separator")]
    assert ruled.title is not None and (ruled.title.text, ruled.title.level) == (
        "Kein Vorspann hier",
        2,
    )
    # In plain text the same lines are never front matter.
    assert all(d.reason != "front_matter" for d in parse_text(md, "txt").dropped)
