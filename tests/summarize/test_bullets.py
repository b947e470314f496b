"""Key bullets add to the summary: no repeats, spread over the sections, each on its own."""

from __future__ import annotations

from pathlib import Path

from conftest import write_models_yaml
from digest.config import load_config
from digest.ingest import load_article
from digest.models import load_models
from digest.options import DigestOptions
from digest.results import DigestResult
from digest.summarize import summarize
from digest.summarize.assemble import (
    NEAR_DUPLICATE,
    _apportion,
    _openers,
    _paragraph_starts,
    _spread,
    _standalone,
)
from digest.summarize.extractive import similarity
from digest.text.sentences import split_sentences

FIVE_SECTIONS = Path(__file__).parents[1] / "data" / "articles" / "fuenf-abschnitte.txt"


def _digest(path: Path, tmp_path: Path, summarizer: str, bullets: int = 5) -> DigestResult:
    models = load_models(
        load_config(write_models_yaml(tmp_path / "m.yaml", None)),
        summarizer=summarizer,
        translator=None,
    )
    [r] = summarize(load_article(path), models, DigestOptions(to=(), bullets=bullets))
    return r


def _summary_sentences(r: DigestResult) -> list[str]:
    return [r.summary.de[a:b] for a, b in split_sentences(r.summary.de)]


def test_extractive_bullets_add_to_the_summary_and_cover_the_sections(tmp_path: Path) -> None:
    r = _digest(FIVE_SECTIONS, tmp_path, "extractive")
    headed = [s for s in r.article.sections if s.heading is not None]
    assert len(headed) == 5  # the fixture really is a five-section article
    assert len(r.bullets) == 5
    said = _summary_sentences(r)
    for b in r.bullets:
        assert not set(b.source_ids) & set(r.summary_source_ids), b.text.de
        assert all(similarity(b.text.de, s) < NEAR_DUPLICATE for s in said), b.text.de
        assert _standalone(b.text.de), b.text.de
    # The lead is not counted: the bullets reach at least three of the headed sections.
    reached = {b.section_id for b in r.bullets} & {s.id for s in headed}
    assert len(reached) >= 3, [b.section_id for b in r.bullets]
    assert not any(b.text.de.startswith("Zuvor") for b in r.bullets)
    assert not any("key bullets" in w for w in r.warnings)


def test_sentence_that_points_back_is_no_standalone_bullet() -> None:
    assert not _standalone("Zuvor war ein Standort im Gewerbegebiet geprüft worden.")
    assert not _standalone("Er kündigte Widerstand an.")
    assert not _standalone("Wer zahlt am Ende die Rechnung?")
    assert _standalone("Die Heizzentrale entsteht neben dem Sportplatz.")


def test_apportion_is_proportional_and_complete() -> None:
    assert _apportion([300.0, 100.0, 100.0], 5) == [3, 1, 1]
    assert _apportion([100.0] * 5, 5) == [1] * 5
    assert _apportion([100.0] * 6, 5) == [1, 1, 1, 1, 1, 0]  # ties go to the earlier section
    assert _apportion([0.0, 0.0], 3) == [0, 0]


def test_spread_passes_seats_of_a_dry_section_on_and_skips_near_duplicates() -> None:
    groups = [
        [(0.9, "Der Kessel leistet vier Megawatt."), (0.8, "Der Kessel leistet 4 Megawatt.")],
        [],
        [(0.5, "Das Netz versorgt 600 Haushalte."), (0.4, "Die Bauzeit beträgt zwei Jahre.")],
    ]
    picks = _spread(groups, [1.0, 5.0, 1.0], 3)
    texts = [t for _, t in picks]
    assert "Der Kessel leistet 4 Megawatt." not in texts  # near-duplicate of the first pick
    assert sorted(g for g, _ in picks) == [0, 2, 2]


def test_abstractive_bullets_do_not_restate_the_article_summary(tmp_path: Path) -> None:
    # No teaser, so the fake model's article summary (the first words of the article) is the
    # same text as its summary of the first section: that one must not come back as a bullet.
    article = tmp_path / "ohne-vorspann.txt"
    article.write_text(
        "Neue Fähre für den Kreuzsee\n\n"
        "Fähre wird bestellt\n\n"
        "Der Landkreis bestellt eine elektrische Fähre für den Kreuzsee bei Wendorf. "
        "Sie soll ab 2028 fahren.\n\n"
        "Platz für Räder\n\n"
        "Auf dem Deck finden vierzig Fahrräder und zwölf Autos Platz.\n\n"
        "Strom vom Ufer\n\n"
        "Geladen wird das Schiff an beiden Anlegern mit Strom aus Solaranlagen.\n",
        encoding="utf-8",
    )
    r = _digest(article, tmp_path, "fake-summarizer", bullets=3)
    said = _summary_sentences(r)
    assert said, "the fake summarizer wrote a summary"
    first_section = r.sections[0].summary.de
    assert any(similarity(first_section, s) >= NEAR_DUPLICATE for s in said)
    for b in r.bullets:
        assert all(similarity(b.text.de, s) < NEAR_DUPLICATE for s in said), b.text.de
    assert r.bullets and len(r.bullets) < 3
    assert any("only 2 of 3 key bullets" in w for w in r.warnings)


def test_paragraph_openings_come_from_the_article_blocks() -> None:
    art = load_article(FIVE_SECTIONS)
    starts = _paragraph_starts(_openers(art), art.sentences)
    firsts = {b.sentences[0].id for b in art.blocks if b.sentences}
    assert [s.id for s, st in zip(art.sentences, starts, strict=True) if st] == [
        s.id for s in art.sentences if s.id in firsts
    ]
    assert sum(starts) == 8 and not all(starts)  # lead + seven paragraphs, 28 sentences
    # A run that starts inside a paragraph still opens with a start.
    assert _paragraph_starts(_openers(art), art.sentences[1:3]) == (True, False)
