"""Emphasis and links carried from German sentences to their translations (markup_transfer)."""

from __future__ import annotations

from digest.ingest.article import article_from_text
from digest.ingest.document import Block
from digest.translate.markup_transfer import apply, partial_texts, plan

BODY = (
    "Der Gemeinderat von Talheim hat am Dienstagabend den Bau einer neuen Halle beschlossen. "
    "Die Kosten liegen nach Angaben der Verwaltung bei rund vier Millionen Euro insgesamt."
)


def block(paragraph: str) -> Block:
    """The block of ``paragraph`` in a small Markdown article."""
    article = article_from_text(f"# Neue Halle für Talheim\n\n{BODY}\n\n{paragraph}\n", fmt="md")
    return next(b for b in article.blocks if b.markup and b.kind == "paragraph")


def test_plan_cuts_spans_per_sentence() -> None:
    b = block(
        "**Die Halle kommt.** Sie steht am *alten Sportplatz* neben der Schule. "
        "Mehr im [Plan](https://example.org/plan)."
    )
    spans = plan(b)
    assert spans is not None
    got = [(s.sentence, s.kind, s.text, s.whole, s.full, s.url) for s in spans]
    assert got == [
        (0, "strong", "Die Halle kommt.", True, True, ""),
        (1, "em", "alten Sportplatz", False, False, ""),
        (2, "link", "Plan", False, False, "https://example.org/plan"),
    ]
    assert partial_texts(spans) == ["alten Sportplatz", "Plan"]


def test_plan_is_none_without_markup_or_spans() -> None:
    assert plan(block("Eine Zeile mit einem \\*Sternchen\\* ohne Hervorhebung.")) is None
    article = article_from_text(f"# Titel der Meldung\n\n{BODY}\n\n{BODY}\n", fmt="md")
    assert all(plan(b) is None for b in article.blocks)


def test_plan_drops_unsafe_links_keeping_the_words() -> None:
    b = block("Bitte [hier](JaVaScRiPt:alert(1)) klicken, sagte die Verwaltung am Abend.")
    assert b.text == "Bitte hier klicken, sagte die Verwaltung am Abend."
    assert plan(b) is None


def test_apply_places_whole_exact_translated_and_fuzzy_spans() -> None:
    b = block(
        "**Die Halle kommt.** Sie steht am *alten Sportplatz* neben der Schule. "
        "Mehr im [Plan](https://example.org/plan)."
    )
    spans = plan(b)
    assert spans is not None
    targets = [
        "The hall is coming.",
        "It stands at the old sports field next to the school.",
        "More in the plan.",
    ]
    md, warnings = apply(spans, targets, {"alten Sportplatz": "old sports field"}, b.id)
    assert md == (
        "**The hall is coming.** It stands at the *old sports field* next to the school. "
        "More in the [plan](https://example.org/plan)."
    )
    assert warnings == []
    # Its own translation is not in the sentence: the best-overlapping run of words is.
    md, _ = apply(spans, targets, {"alten Sportplatz": "former field"}, b.id)
    assert "It stands at the old sports *field* next to the school." in md


def test_apply_appends_unplaceable_links_and_reports_lost_emphasis() -> None:
    b = block("Sie steht am *alten Sportplatz*, mehr im [Plan](https://example.org/plan).")
    spans = plan(b)
    assert spans is not None
    md, warnings = apply(spans, ["It is next to the school, see above."], {"Plan": "map"}, b.id)
    assert md == "It is next to the school, see above ([map](https://example.org/plan))."
    assert warnings == [
        f"block {b.id}: em on 'alten Sportplatz' could not be placed in the translation"
    ]


def test_apply_escapes_markup_and_html_in_the_translation() -> None:
    b = block("**Die Halle kommt.** Sie steht am Sportplatz, sagte der Bürgermeister.")
    spans = plan(b)
    assert spans is not None
    md, _ = apply(spans, ["The *hall* <b>comes</b>.", "It is [there]."], {}, b.id)
    assert md == "**The \\*hall\\* \\<b>comes\\</b>.** It is \\[there\\]."
