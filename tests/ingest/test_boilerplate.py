"""digest.ingest.boilerplate: dropped lines and their reasons, promo runs, duplicates, language."""

from __future__ import annotations

import pytest

from digest.errors import InputError
from digest.ingest.article import article_from_text, load_article
from ingest.ingest_texts import (
    BIBLIOTHEK,
    ENGLISH,
    FRENCH,
    LONG_PARAGRAPH,
    SAMPLES,
    assert_nothing_lost,
)


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


@pytest.mark.parametrize(("text", "language"), [(ENGLISH, "English"), (FRENCH, "French")])
def test_not_german(text: str, language: str) -> None:
    with pytest.raises(InputError) as err:
        load_article("-", data=text.encode("utf-8"))
    message = str(err.value)
    assert "does not look like German text (German stop-word ratio 0.0" in message
    assert language in message
