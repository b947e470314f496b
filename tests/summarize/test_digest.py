"""The digest pipeline through the Python API: provenance, length, bullets, guards, flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLE_FILES, write_models_yaml
from digest.backends.fake import FakeModel
from digest.config import load_config
from digest.errors import ConfigError
from digest.ingest import load_article
from digest.ingest.article import article_from_text
from digest.ingest.document import Sentence
from digest.models import Models, load_models
from digest.options import DigestOptions
from digest.summarize import summarize
from digest.summarize.extractive import GERMAN_STOPWORDS, german_tokens, similarity, stem
from digest.summarize.strategies import (
    AbstractiveSummarizer,
    ExtractiveSummarizer,
    SummaryRequest,
    _query,
    drop_repeats,
    loops,
)
from digest.text.sentences import split_sentences


def fake_models(
    tmp_path: Path,
    *,
    summarizer: str = "extractive",
    translator_mode: str = "translate",
    summarizer_mode: str = "summarize",
    to_en: bool = True,
) -> Models:
    """Models from a test models.yaml: extractive or a fake summarizer, a fake translator."""
    path = write_models_yaml(tmp_path / "models.yaml", None, fake_mode=translator_mode)
    text = path.read_text(encoding="utf-8").replace("'fake:summarize'", f"'fake:{summarizer_mode}'")
    path.write_text(text, encoding="utf-8")
    return load_models(
        load_config(path), summarizer=summarizer, translator="default" if to_en else None
    )


def content_stems(text: str) -> set[str]:
    return {stem(t) for t in german_tokens(text) if t not in GERMAN_STOPWORDS}


ARTICLES = [load_article(p) for p in SAMPLE_FILES]


def test_extractive_bullets_are_the_sentences_they_cite(tmp_path: Path) -> None:
    models = fake_models(tmp_path)
    results = summarize(ARTICLES, models, DigestOptions(bullets=5))
    assert len(results) == len(ARTICLES)
    for art, r in zip(ARTICLES, results, strict=True):
        assert 3 <= len(r.bullets) <= 5, art.source
        starts = []
        for b in r.bullets:
            assert len(b.source_ids) == len(b.spans) == 1
            sent = art.sentence(b.source_ids[0])
            ((start, end),) = b.spans
            assert art.text[start:end] == sent.text == b.text.de
            assert b.text.en  # translated
            starts.append(start)
        assert starts == sorted(starts), "bullets follow the article order"
        texts = [b.text.de for b in r.bullets]
        for i, a in enumerate(texts):
            for other in texts[i + 1 :]:
                assert similarity(a, other) <= 0.6  # no two bullets say the same thing


def test_abstractive_bullets_rest_on_their_source_sentences(tmp_path: Path) -> None:
    models = fake_models(tmp_path, summarizer="fake-summarizer")
    results = summarize(ARTICLES, models, DigestOptions(bullets=4))
    checked = 0
    for art, r in zip(ARTICLES, results, strict=True):
        assert r.bullets, art.source
        for b in r.bullets:
            sources = [art.sentence(i) for i in b.source_ids]
            assert b.spans == tuple((s.start, s.end) for s in sources)
            assert all(art.text[s.start : s.end] == s.text for s in sources)
            # The fake summary keeps words of the section: the cited sentences must hold them.
            cited = set().union(*(content_stems(s.text) for s in sources))
            words = content_stems(b.text.de)
            assert len(words & cited) >= 0.8 * len(words), (b.text.de, b.source_ids)
            section = next(s for s in art.sections if s.id == b.section_id)
            assert set(b.source_ids) <= {s.id for s in section.sentences}
            checked += 1
    assert checked >= 3 * len(ARTICLES)


@pytest.mark.parametrize("n", [3, 7])
def test_bullet_count_is_honoured(tmp_path: Path, n: int) -> None:
    models = fake_models(tmp_path, to_en=False)
    long_article = next(a for a in ARTICLES if len(a.sentences) >= 20)
    [r] = summarize(long_article, models, DigestOptions(to=(), bullets=n))
    assert len(r.bullets) == n
    assert [b.id for b in r.bullets] == [f"k{i}" for i in range(1, n + 1)]


@pytest.mark.parametrize("n", [2, 8])
def test_bullet_count_outside_three_to_seven_is_refused(tmp_path: Path, n: int) -> None:
    models = fake_models(tmp_path, to_en=False)
    with pytest.raises(ConfigError, match="between 3 and 7"):
        summarize(ARTICLES[0], models, DigestOptions(to=(), bullets=n))


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize("summarizer", ["extractive", "fake-summarizer"])
def test_length_in_sentences_and_words_is_honoured(tmp_path: Path, summarizer: str) -> None:
    models = fake_models(tmp_path, summarizer=summarizer, to_en=False)
    for n in (1, 3):
        for r in summarize(ARTICLES, models, DigestOptions(to=(), length=n)):
            assert 1 <= len(_sentences(r.summary.de)) <= n, r.summary.de
    for words in (40,):
        opts = DigestOptions(to=(), length=words, length_unit="words")
        for r in summarize(ARTICLES, models, opts):
            first = _sentences(r.summary.de)[0]
            # One over-long first sentence is kept rather than an empty summary.
            assert len(r.summary.de.split()) <= max(words, len(first.split())), r.summary.de


def test_extractive_summary_has_exactly_the_requested_sentences(tmp_path: Path) -> None:
    models = fake_models(tmp_path, to_en=False)
    long_article = next(a for a in ARTICLES if len(a.sentences) >= 20)
    for n in (2, 5):
        [r] = summarize(long_article, models, DigestOptions(to=(), length=n))
        assert len(r.summary_source_ids) == n
        assert r.summary.de == " ".join(long_article.sentence(i).text for i in r.summary_source_ids)


def _sents(*texts: str) -> tuple[Sentence, ...]:
    out, pos = [], 0
    for i, t in enumerate(texts, start=1):
        out.append(Sentence(f"s{i}", pos, pos + len(t), t))
        pos += len(t) + 1
    return tuple(out)


def test_extractive_summarizer_skips_boilerplate_and_repeated_sentences() -> None:
    core = "Der Stadtrat beschließt neue Radwege für die Innenstadt und den Ring um die Altstadt."
    sents = _sents(
        core,
        "Lesen Sie auch: Stadtrat beschließt neue Radwege Innenstadt Altstadt Ring",
        "Foto: Stadtrat Radwege Innenstadt / dpa",
        core,  # the same paragraph again, as web copies often have it
        "Die Radwege um die Altstadt sollen bis 2027 fertig sein, sagt der Stadtrat.",
        "Der Handel fürchtet um Parkplätze in der Innenstadt und kritisiert den Stadtrat.",
    )
    [out] = ExtractiveSummarizer().summarize(
        [SummaryRequest("x", sents, title="Stadtrat beschließt Radwege", max_sentences=4)]
    )
    assert out.source_ids[0] == "s1"
    assert not {"s2", "s3", "s4"} & set(out.source_ids)
    assert len(out.source_ids) == 3


def test_duplicate_paragraphs_never_become_two_bullets(tmp_path: Path) -> None:
    para = (
        "Die Gemeinde Tannfeld bekommt eine neue Grundschule für 12 Millionen Euro. "
        "Der Bau soll im Frühjahr beginnen und zwei Jahre dauern."
    )
    text = (
        "Neue Grundschule für Tannfeld\n\n"
        f"{para}\n\n"
        "Der Gemeinderat stimmte am Dienstag einstimmig für die Pläne des Architekten. "
        "Die Schule soll Platz für 300 Kinder bieten und eine Mensa erhalten.\n\n"
        f"{para}\n\n"
        "Eltern hatten seit Jahren über zu kleine Klassenräume und marode Toiletten geklagt. "
        "Die alte Schule wird nach dem Umzug abgerissen, auf dem Gelände entstehen Wohnungen.\n"
    )
    art = article_from_text(text)
    models = fake_models(tmp_path, to_en=False)
    [r] = summarize(art, models, DigestOptions(to=(), bullets=5))
    texts = [b.text.de for b in r.bullets]
    assert len(texts) == len(set(texts)) >= 3


def test_repetition_loop_is_retried_with_stronger_settings(tmp_path: Path) -> None:
    models = fake_models(tmp_path, summarizer="fake-summarizer", summarizer_mode="repeat")
    assert isinstance(models.summarizer, AbstractiveSummarizer)
    engine = models.summarizer.engine
    assert isinstance(engine, FakeModel)
    [r] = summarize(ARTICLES[0], models, DigestOptions(to=()))
    assert "again and again again" not in r.summary.de
    for s in r.sections:
        assert not loops(s.summary.de)
    assert any(c.settings.repetition_penalty > 1.0 for c in engine.calls), "no retry happened"


def test_repeats_are_removed_when_the_retry_loops_too() -> None:
    looping = "Der Rat stimmt zu. Der Rat stimmt zu. Der Rat stimmt zu. Es wird teuer und teuer und teuer und teuer."  # noqa: E501
    assert loops(looping)
    cleaned = drop_repeats(looping)
    assert not loops(cleaned)
    assert cleaned.startswith("Der Rat stimmt zu. Es wird teuer")
    assert not loops("Der Rat stimmt zu. Die Stadt zahlt. Der Bund hilft.")


def test_long_article_summary_is_built_from_section_summaries(tmp_path: Path) -> None:
    models = fake_models(tmp_path, summarizer="fake-summarizer", to_en=False)
    assert isinstance(models.summarizer, AbstractiveSummarizer)
    engine = models.summarizer.engine
    assert isinstance(engine, FakeModel)
    long_article = max(ARTICLES, key=lambda a: len(a.sentences))
    assert not models.summarizer.fits(long_article.sentences)
    [r] = summarize(long_article, models, DigestOptions(to=(), length=2))
    section_texts = {s.summary.de for s in r.sections}
    # The last model call summarised section summaries, not the article's own sentences.
    last_inputs = " ".join(engine.calls[-1].texts)
    assert any(text[:40] in last_inputs for text in section_texts)
    assert r.summary.de and len(_sentences(r.summary.de)) <= 2
    ids = {s.id for s in long_article.sentences}
    assert r.summary_source_ids and set(r.summary_source_ids) <= ids


def test_short_article_is_summarised_directly(tmp_path: Path) -> None:
    models = fake_models(tmp_path, summarizer="fake-summarizer", to_en=False)
    assert isinstance(models.summarizer, AbstractiveSummarizer)
    text = (
        "Kurze Meldung aus Tannfeld\n\n"
        "Die Gemeinde Tannfeld baut eine neue Grundschule für 300 Kinder. "
        "Der Gemeinderat stimmte am Dienstag einstimmig für die Pläne.\n"
    )
    art = article_from_text(text)
    assert models.summarizer.fits(art.sentences)
    [r] = summarize(art, models, DigestOptions(to=()))
    assert r.summary.de.startswith("Die Gemeinde Tannfeld")


def _section_words(art: object, section_id: str) -> int:
    sec = next(s for s in art.sections if s.id == section_id)  # type: ignore[attr-defined]
    return sum(len(s.text.split()) for s in sec.sentences)


@pytest.mark.parametrize("threshold", [1, 60, 100_000])
def test_auto_section_summaries_are_extractive_below_the_word_threshold(
    tmp_path: Path, threshold: int
) -> None:
    models = fake_models(tmp_path, summarizer="fake-summarizer", to_en=False)
    engine = models.summarizer.engine  # type: ignore[union-attr]
    assert isinstance(engine, FakeModel)
    opts = DigestOptions(to=(), section_words=threshold)
    for art, r in zip(ARTICLES, summarize(ARTICLES, models, opts), strict=True):
        by_id = {s.id: s.text for s in art.sentences}
        for sec in r.sections:
            short = _section_words(art, sec.section_id) <= threshold
            assert sec.extractive == short, (art.source, sec.section_id)
            if sec.extractive:
                # Key sentences: the summary is exactly the cited sentences, nothing generated.
                assert sec.summary.de == " ".join(by_id[i] for i in sec.source_ids)
                assert sec.confidence is None
    fed = {t for c in engine.calls for t in c.texts}
    sections = {" ".join(s.text for s in sec.sentences) for art in ARTICLES for sec in art.sections}
    # Abstractive sections went to the model whole; extractive ones never did.
    long_ones = [
        sec for art in ARTICLES for sec in art.sections if _section_words(art, sec.id) > threshold
    ]
    assert bool(fed & sections) == bool(long_ones)
    # The article summary stays abstractive: the model got every article (or its parts).
    assert fed - sections


@pytest.mark.parametrize("mode", ["abstractive", "extractive"])
def test_section_summaries_mode_overrides_the_threshold(tmp_path: Path, mode: str) -> None:
    models = fake_models(tmp_path, summarizer="fake-summarizer", to_en=False)
    opts = DigestOptions(to=(), section_summaries=mode, section_words=1)  # type: ignore[arg-type]
    for r in summarize(ARTICLES, models, opts):
        assert r.sections
        assert all(s.extractive == (mode == "extractive") for s in r.sections)
        assert r.summary.de


def test_extractive_summarizer_marks_every_section_extractive(tmp_path: Path) -> None:
    models = fake_models(tmp_path, to_en=False)
    for r in summarize(ARTICLES, models, DigestOptions(to=(), section_summaries="abstractive")):  # type: ignore[arg-type]
        assert all(s.extractive for s in r.sections)


def test_bad_section_options_are_one_line_errors() -> None:
    with pytest.raises(ConfigError, match="section_summaries must be one of auto"):
        DigestOptions(section_summaries="some")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="section_words must be at least 1"):
        DigestOptions(section_words=0)


def test_a_title_made_from_the_first_sentence_is_no_scoring_query() -> None:
    from digest.summarize.assemble import _query_title

    body = (
        "Die Stadt baut eine neue Brücke über den Fluss, die im Jahr 2027 fertig werden soll. "
        "Der Rat hat am Abend zugestimmt. Die Opposition stimmte dagegen."
    )
    untitled = article_from_text(body + "\n")
    assert untitled.title_derived and _query_title(untitled) == ""
    titled = article_from_text("Brücke wird gebaut\n\n" + body + "\n")
    assert _query_title(titled) == "Brücke wird gebaut"


def test_a_one_sentence_teaser_is_not_the_whole_query() -> None:
    # A one-sentence teaser as the query would pull the other picks away from the lead it
    # opens; the lead by position stands in, so it picks as a teaser of the lead would.
    art = load_article(SAMPLE_FILES[0])
    sentences = art.sentences
    lead = " ".join(s.text for s in sentences[:3])
    one = SummaryRequest("a", sentences, art.title.text, sentences[0].text, 3)
    three = SummaryRequest("a", sentences, art.title.text, lead, 3)
    picks = [r.source_ids for r in ExtractiveSummarizer().summarize([one, three])]
    assert picks[0] == picks[1] and len(picks[0]) == 3
    assert _query(one, [s.text for s in sentences], set()) == lead
    assert _query(three, [s.text for s in sentences], set()) == lead  # the teaser itself
    none = SummaryRequest("a", sentences, art.title.text, "", 3)
    assert _query(none, [s.text for s in sentences], set()) == ""  # the title alone
