"""digest.translate.markup_transfer: emphasis and links move from German sentences to English."""

from __future__ import annotations

from digest.ingest.article import article_from_text
from digest.ingest.document import Block
from digest.translate.markup_transfer import SentenceSpan, apply, partial_texts, plan

RADSTATION = (
    "# Neue Radstation\n\n"
    "Der Rat hat die Station **einstimmig** beschlossen. *Sie öffnet im Mai.* Mehr steht auf "
    "der [Seite der Stadt](https://example.org/rad). Die Kosten trägt das Land.\n"
)
URL = "https://example.org/rad"
WORDS = {"einstimmig": "unanimously", "Seite der Stadt": "city website"}


def paragraph(md: str) -> Block:
    return next(b for b in article_from_text(md, fmt="md").blocks if b.kind == "paragraph")


def test_a_block_without_markup_has_no_plan() -> None:
    article = article_from_text(RADSTATION, fmt="md")
    assert plan(article.title) is None
    assert plan(paragraph("# Titel\n\nDer Rat tagt. Die Stadt zahlt für alles.\n")) is None


def test_spans_are_cut_per_sentence_with_their_source_words() -> None:
    spans = plan(paragraph(RADSTATION))
    assert spans == [
        SentenceSpan(0, 24, 34, "strong", "", "einstimmig", whole=False),
        SentenceSpan(1, 0, 18, "em", "", "Sie öffnet im Mai.", whole=True, full=True),
        SentenceSpan(2, 19, 34, "link", URL, "Seite der Stadt", whole=False),
    ]
    # Only spans inside a sentence need their words translated on their own.
    assert partial_texts(spans) == ["einstimmig", "Seite der Stadt"]


def test_spans_land_on_their_translated_words() -> None:
    spans = plan(paragraph(RADSTATION))
    assert spans is not None
    targets = [
        "The council approved the station unanimously.",
        "It opens in May.",
        "More is on the city's website.",  # "city website" overlaps these words best
        "The state pays the costs.",
    ]
    assert apply(spans, targets, WORDS, "b1.1") == (
        "The council approved the station **unanimously**. *It opens in May.* More is on the "
        f"[city's website]({URL}). The state pays the costs.",
        [],
    )


def test_a_link_that_cannot_be_placed_is_appended_and_lost_emphasis_is_reported() -> None:
    spans = plan(paragraph(RADSTATION))
    assert spans is not None
    targets = [
        "The council approved the station without a vote against.",
        "It opens in May.",
        "Details are online.",
        "The state pays.",
    ]
    markdown, warnings = apply(spans, targets, WORDS, "b1.1")
    assert markdown == (
        "The council approved the station without a vote against. *It opens in May.* "
        f"Details are online ([city website]({URL})). The state pays."
    )
    assert warnings == ["block b1.1: strong on 'einstimmig' could not be placed in the translation"]


def test_names_are_found_as_written_and_whole_sentences_are_wrapped_one_by_one() -> None:
    block = paragraph(
        "# Derby\n\nKapitän **Erik Sommer** traf zweimal. *Der Trainer war zufrieden. Die Fans "
        "feierten lange.* Das nächste Spiel ist am Samstag.\n"
    )
    spans = plan(block)
    assert spans is not None
    assert partial_texts(spans) == ["Erik Sommer"]
    targets = [
        "Captain Erik Sommer scored twice.",
        "The coach was pleased.",
        "The fans celebrated for a long time.",
        "The next game is on Saturday.",
    ]
    assert apply(spans, targets, {}, block.id) == (
        "Captain **Erik Sommer** scored twice. *The coach was pleased.* *The fans celebrated "
        "for a long time.* The next game is on Saturday.",
        [],
    )


def test_unsafe_links_keep_their_words_but_never_reach_the_plan() -> None:
    block = paragraph(
        "# Titel\n\nFür die Anmeldung bitte [hier](JaVaScRiPt:alert(1)) klicken, sagte die "
        "Verwaltung der Stadt am Abend.\n"
    )
    assert block.text == (
        "Für die Anmeldung bitte hier klicken, sagte die Verwaltung der Stadt am Abend."
    )
    assert plan(block) is None


def test_markup_and_html_in_the_translation_are_escaped() -> None:
    block = paragraph(
        "# Titel\n\n**Die Halle kommt.** Sie steht am Sportplatz, der mit dem Bus "
        "zu erreichen ist.\n"
    )
    spans = plan(block)
    assert spans is not None
    markdown, _ = apply(spans, ["The *hall* <b>comes</b>.", "It is [there]."], {}, block.id)
    assert markdown == "**The \\*hall\\* \\<b>comes\\</b>.** It is \\[there\\]."
