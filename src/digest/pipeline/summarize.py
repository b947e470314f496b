"""Digests: section summaries, article summary, key bullets with provenance, flags."""

from __future__ import annotations

import time
from collections.abc import Sequence

from digest import extractive
from digest.backends import (
    SummaryRequest,
    SummaryText,
)
from digest.backends.summarizers import align_sources
from digest.checks import check_generated
from digest.document import Article, Section, Sentence
from digest.errors import ConfigError
from digest.pipeline.models import Models, run_meta
from digest.pipeline.translate import translate_texts
from digest.results import (
    BiText,
    Bullet,
    DigestOptions,
    DigestResult,
    Flag,
    SectionSummary,
)
from digest.segment import split_sentences

# Sentence openings that point back to earlier text; a bullet should stand on its own.
_DANGLING = (
    "er ", "sie ", "es ", "dies", "das ", "diese", "dabei", "daher", "deshalb", "außerdem",
    "zudem", "auch ", "dort", "damit", "darauf", "dafür", "trotzdem", "allerdings", "denn ",
)  # fmt: skip


def summarize(
    articles: Article | Sequence[Article], models: Models, options: DigestOptions = DigestOptions()
) -> list[DigestResult]:
    """Digest one or many articles; batches model calls across all of them."""
    batch = [articles] if isinstance(articles, Article) else list(articles)
    if models.summarizer is None:
        raise ConfigError("summarize needs a summarizer model")
    if options.to and models.translator is None:
        raise ConfigError("a bilingual digest needs a translator (or use --to de)")
    if not 1 <= options.bullets <= 12:
        raise ConfigError("--bullets must be between 1 and 12")
    summarizer = models.summarizer
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    max_sents = options.length if options.length_unit == "sentences" else None
    max_words = options.length if options.length_unit == "words" else None
    requests: list[SummaryRequest] = []
    for a, art in enumerate(batch):
        teaser = art.teaser.text if art.teaser else ""
        for sec in art.sections:
            if sec.sentences:
                requests.append(
                    SummaryRequest(f"{a}/{sec.id}", sec.sentences, art.title.text, teaser, 2)
                )
        requests.append(
            SummaryRequest(
                f"{a}/article", art.sentences, art.title.text, teaser, max_sents, max_words
            )
        )
        if not summarizer.abstractive:
            # Bullets from an extractive summarizer are the best N sentences, exact provenance.
            requests.append(
                SummaryRequest(
                    f"{a}/bullets", _bullet_candidates(art), art.title.text, teaser, options.bullets
                )
            )
    summaries = {s.key: s for s in summarizer.summarize(requests)}
    timings["summarize"] = time.perf_counter() - t0

    drafts = []
    for a, art in enumerate(batch):
        by_id = {s.id: s for s in art.sentences}
        sections = [
            (sec, summaries[f"{a}/{sec.id}"])
            for sec in art.sections
            if f"{a}/{sec.id}" in summaries
        ]
        if summarizer.abstractive:
            bullets = _bullets_from_summaries(art, sections, options.bullets)
        else:
            picked = summaries[f"{a}/bullets"].source_ids
            bullets = [(by_id[i].text, [i]) for i in picked]
        drafts.append((art, summaries[f"{a}/article"], sections, bullets))

    # One translation call for every generated text of every article.
    t0 = time.perf_counter()
    english: list[str] = []
    if options.to:
        if models.translator is None:
            raise ConfigError("no translator loaded")
        texts: list[str] = []
        for art, summ, sections, bullets in drafts:
            texts.append(art.title.text)
            texts.append(summ.text)
            for sec, ssum in sections:
                texts.append(sec.heading.text if sec.heading else "")
                texts.append(ssum.text)
            texts.extend(b[0] for b in bullets)
        english = translate_texts(models.translator, texts)
    timings["translate"] = time.perf_counter() - t0
    it = iter(english)

    def en() -> str | None:
        return next(it) if options.to else None

    results = []
    for art, summ, sections, bullets in drafts:
        title = BiText(art.title.text, en())
        summary = BiText(summ.text, en())
        sec_out = []
        for sec, ssum in sections:
            heading_en = en()
            heading = BiText(sec.heading.text, heading_en) if sec.heading else None
            sec_out.append(
                SectionSummary(
                    sec.id, heading, BiText(ssum.text, en()), ssum.source_ids, ssum.warnings
                )
            )
        flags: list[Flag] = []
        if summarizer.abstractive:
            flags += _flags(summary, art, "summary")
        bullet_out = []
        for k, (text_de, ids) in enumerate(bullets, start=1):
            bt = BiText(text_de, en())
            sents = [art.sentence(i) for i in ids]
            bflags = tuple(_flags(bt, art, f"bullet:{k}", sents))
            flags += bflags
            bullet_out.append(
                Bullet(
                    id=f"k{k}",
                    text=bt,
                    section_id=_section_of(art, ids[0]) if ids else "",
                    source_ids=tuple(ids),
                    spans=tuple((s.start, s.end) for s in sents),
                    flags=bflags,
                )
            )
        warnings = [w for _, s in sections for w in s.warnings] + list(summ.warnings)
        if summarizer.abstractive is False and options.to:
            flags += _flags(summary, art, "summary", english_only=True)
        results.append(
            DigestResult(
                article=art,
                title=title,
                summary=summary,
                summary_source_ids=summ.source_ids,
                sections=tuple(sec_out),
                bullets=tuple(bullet_out),
                flags=tuple(flags),
                warnings=tuple(warnings),
                options=options,
                meta=run_meta(models, {**models.load_seconds, **timings}),
            )
        )
    return results


def _bullet_candidates(art: Article) -> tuple[Sentence, ...]:
    # Headings and the title are not sentences a reader can take away as a fact.
    return tuple(s for s in art.sentences if not s.text.lower().startswith(_DANGLING))


def _bullets_from_summaries(
    art: Article, sections: Sequence[tuple[Section, SummaryText]], n: int
) -> list[tuple[str, list[str]]]:
    """Abstractive bullets: sentences of the section summaries, de-duplicated by MMR.

    Each bullet's provenance is the source sentences it matches best in its own section.
    """
    candidates: list[tuple[str, list[str]]] = []
    for sec, ssum in sections:
        for start, end in split_sentences(ssum.text):
            sentence = ssum.text[start:end]
            if len(sentence.split()) >= 4:
                ids = list(align_sources(sentence, sec.sentences)) or list(ssum.source_ids)
                candidates.append((sentence, ids))
    if not candidates:
        return []
    texts = [c[0] for c in candidates]
    scores = extractive.score_sentences(texts, title=art.title.text)
    chosen = extractive.select_sentences(texts, scores, max_sentences=n)
    return [candidates[i] for i in chosen]


def _section_of(art: Article, sentence_id: str) -> str:
    for sec in art.sections:
        if any(s.id == sentence_id for b in sec.blocks for s in b.sentences):
            return sec.id
    return "lead"


def _flags(
    text: BiText,
    art: Article,
    where: str,
    sources: Sequence[Sentence] = (),
    english_only: bool = False,
) -> list[Flag]:
    flags: list[Flag] = []
    if not english_only:
        flags += check_generated(text.de, art.text, lang="de", where=where)
    if text.en:
        flags += check_generated(text.en, art.text, lang="en", where=where)
    return flags
