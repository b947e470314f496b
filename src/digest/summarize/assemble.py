"""Digests: section summaries, article summary, key bullets with provenance, flags."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from digest.checks.facts import check_text
from digest.errors import ConfigError
from digest.ingest.document import Article, Section, Sentence
from digest.options import DigestOptions, SectionSummaries
from digest.results import BiText, Bullet, DigestResult, Flag, SectionSummary, run_meta
from digest.summarize import extractive
from digest.summarize.news import dangling
from digest.summarize.strategies import (
    AbstractiveSummarizer,
    ExtractiveSummarizer,
    SummaryRequest,
    SummaryText,
    align_sources,
    skippable,
)
from digest.text.sentences import split_sentences
from digest.translate.article import translate_texts

if TYPE_CHECKING:
    from digest.models import Models

# A bullet whose content-word cosine with a summary sentence reaches this restates it.
NEAR_DUPLICATE = 0.5


def _standalone(sentence: str) -> bool:
    """A bullet must stand on its own: no back-reference, no question, no fragment."""
    text = sentence.strip()
    return not (dangling(text) or text.endswith("?") or text[:1].islower())


MIN_BULLETS, MAX_BULLETS = 3, 7


def summarize(
    articles: Article | Sequence[Article], models: Models, options: DigestOptions = DigestOptions()
) -> list[DigestResult]:
    """Digest one or many articles; batches model calls across all of them."""
    batch = [articles] if isinstance(articles, Article) else list(articles)
    if models.summarizer is None:
        raise ConfigError("summarize needs a summarizer model")
    if options.to and models.translator is None:
        raise ConfigError("a bilingual digest needs a translator (or use {to} de)")
    if not MIN_BULLETS <= options.bullets <= MAX_BULLETS:
        raise ConfigError(f"{{bullets}} must be between {MIN_BULLETS} and {MAX_BULLETS}")
    if options.length < 1:
        raise ConfigError("{length} must be at least 1")
    summarizer = models.summarizer
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    max_sents = options.length if options.length_unit == "sentences" else None
    max_words = options.length if options.length_unit == "words" else None
    requests: list[SummaryRequest] = []
    key_sentences: list[SummaryRequest] = []  # sections summarised extractively
    for a, art in enumerate(batch):
        teaser = art.teaser.text if art.teaser else ""
        query = _query_title(art)
        openers = _openers(art)
        for sec in art.sections:
            if sec.sentences:
                starts = _paragraph_starts(openers, sec.sentences)
                request = SummaryRequest(
                    f"{a}/{sec.id}", sec.sentences, query, teaser, 2, None, starts
                )
                if summarizer.abstractive and not _abstractive_section(sec, options):
                    key_sentences.append(request)
                else:
                    requests.append(request)
        if not isinstance(summarizer, AbstractiveSummarizer) or summarizer.fits(art.sentences):
            starts = _paragraph_starts(openers, art.sentences)
            requests.append(
                SummaryRequest(
                    f"{a}/article",
                    art.sentences,
                    query,
                    teaser,
                    max_sents,
                    max_words,
                    starts,
                )
            )
    summaries = {s.key: s for s in summarizer.summarize(requests)}
    if key_sentences:
        summaries.update({s.key: s for s in ExtractiveSummarizer().summarize(key_sentences)})
    extractive_keys = (
        {r.key for r in key_sentences} if summarizer.abstractive else set(summaries)
    )  # A long article is summarised from its section summaries, not read a second time.
    second = [
        _from_sections(a, art, summaries, max_sents, max_words)
        for a, art in enumerate(batch)
        if f"{a}/article" not in summaries
    ]
    for summ in summarizer.summarize(second) if second else []:
        art = batch[int(summ.key.split("/")[0])]
        sources = align_sources(summ.text, art.sentences)
        summaries[summ.key] = SummaryText(
            summ.key, summ.text, sources, summ.warnings, summ.confidence
        )
    timings["summarize"] = time.perf_counter() - t0

    drafts = []
    for a, art in enumerate(batch):
        by_id = {s.id: s for s in art.sentences}
        sections = [
            (sec, summaries[f"{a}/{sec.id}"])
            for sec in art.sections
            if f"{a}/{sec.id}" in summaries
        ]
        summ = summaries[f"{a}/article"]
        if summarizer.abstractive:
            # A model does not count sentences or words: hold it to --length afterwards.
            summ = SummaryText(
                summ.key,
                _trim(summ.text, max_sents, max_words),
                summ.source_ids,
                summ.warnings,
                summ.confidence,
            )
            bullets = _bullets_from_summaries(art, sections, options.bullets, summ.text)
        else:
            # Bullets from an extractive summarizer are article sentences, exact provenance.
            settings = (
                summarizer.settings
                if isinstance(summarizer, ExtractiveSummarizer)
                else extractive.ExtractiveSettings()
            )
            picked = _extractive_bullets(art, summ, options.bullets, settings)
            bullets = [(by_id[i].text, [i], False) for i in picked]
        drafts.append((art, summ, sections, bullets))

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
                    sec.id,
                    heading,
                    BiText(ssum.text, en()),
                    ssum.source_ids,
                    ssum.warnings,
                    extractive=ssum.key in extractive_keys,
                    confidence=ssum.confidence,
                )
            )
        flags: list[Flag] = _flags(summary, art, "summary")
        for sec_sum in sec_out:
            flags += _flags(sec_sum.summary, art, f"section:{sec_sum.section_id}")
        bullet_out = []
        weak: list[str] = []
        for k, (text_de, ids, unsupported) in enumerate(bullets, start=1):
            if unsupported:
                weak.append(f"k{k}")
            bt = BiText(text_de, en())
            sents = [art.sentence(i) for i in ids]
            bflags = tuple(_flags(bt, art, f"bullet:{k}"))
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
        warnings += _article_warnings(art, len(bullet_out), options.bullets)
        if weak:
            warnings.append(
                f"bullet(s) {', '.join(weak)} share no content words with any source sentence; "
                "their provenance is only the nearest sentence of the section"
            )
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
                meta=run_meta(models.infos, models.runtime, {**models.load_seconds, **timings}),
                summary_confidence=summ.confidence,
            )
        )
    return results


def _article_warnings(art: Article, made: int, asked: int) -> list[str]:
    """What the reader should know about the input: a derived title, too few bullets."""
    out = []
    if art.title_derived:
        out.append("the source has no title line: the title is made from its first sentence")
    if made < asked:
        out.append(
            f"only {made} of {asked} key bullets: the article has too few usable sentences "
            f"that add to the summary ({len(art.sentences)} in all)"
        )
    return out


def _abstractive_section(sec: Section, options: DigestOptions) -> bool:
    """Whether a neural summarizer writes this section's summary (else: key sentences).

    A short section compresses little: its own key sentences say as much as a generated
    summary, exactly, at a fraction of the decoding time.
    """
    if options.section_summaries == SectionSummaries.ABSTRACTIVE:
        return True
    if options.section_summaries == SectionSummaries.EXTRACTIVE:
        return False
    return sum(len(s.text.split()) for s in sec.sentences) > options.section_words


def _from_sections(
    a: int,
    art: Article,
    summaries: dict[str, SummaryText],
    max_sents: int | None,
    max_words: int | None,
) -> SummaryRequest:
    # The teaser (no section holds it) and the section summaries stand in for sentences;
    # provenance is re-aligned to the article's own sentences afterwards.
    teaser = art.teaser.text if art.teaser else ""
    parts = (art.teaser.sentences if art.teaser else ()) + tuple(
        Sentence(f"{sec.id}:summary", 0, 0, summaries[f"{a}/{sec.id}"].text)
        for sec in art.sections
        if f"{a}/{sec.id}" in summaries and summaries[f"{a}/{sec.id}"].text.strip()
    )
    return SummaryRequest(f"{a}/article", parts, _query_title(art), teaser, max_sents, max_words)


def _openers(art: Article) -> frozenset[str]:
    """Ids of the sentences that open a block (paragraph, list item, quote) of the article."""
    return frozenset(b.sentences[0].id for b in art.blocks if b.sentences)


def _query_title(art: Article) -> str:
    """The title as the scorers' query. A title made from the first sentence (an untitled
    source) says nothing the sentence does not, and as a query it would only push that
    sentence further ahead of the rest (docs/quality.md, "No title")."""
    return "" if art.title_derived else art.title.text


def _paragraph_starts(openers: frozenset[str], sentences: Sequence[Sentence]) -> tuple[bool, ...]:
    """Per sentence: does it open a paragraph? The first one always counts as an opening."""
    return tuple(i == 0 or s.id in openers for i, s in enumerate(sentences))


def _apportion(weights: Sequence[float], n: int) -> list[int]:
    """n seats over parties in proportion to their weights (largest remainder; ties: first)."""
    total = sum(weights)
    if n <= 0 or total <= 0:
        return [0] * len(weights)
    exact = [w * n / total for w in weights]
    seats = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - seats[i]), i))
    for i in order[: n - sum(seats)]:
        seats[i] += 1
    return seats


def _spread(
    groups: Sequence[Sequence[tuple[float, str]]], weights: Sequence[float], n: int
) -> list[tuple[int, str]]:
    """Up to n picks (group, text) over groups of (score, text) candidates, best first within a
    group, in proportion to the groups' weights; a group without enough candidates passes its
    seats on, and no pick nearly repeats an earlier one."""
    ranked = [sorted(g, key=lambda c: -c[0]) for g in groups]
    seats = _apportion([w if ranked[i] else 0.0 for i, w in enumerate(weights)], n)
    chosen: list[tuple[int, str]] = []
    cursor = [0] * len(ranked)

    def take(g: int) -> bool:
        while cursor[g] < len(ranked[g]):
            text = ranked[g][cursor[g]][1]
            cursor[g] += 1
            if all(extractive.similarity(text, c) < NEAR_DUPLICATE for _, c in chosen):
                chosen.append((g, text))
                return True
        return False

    # Round-robin over the seats so every group gets its first pick before any its second.
    for round_no in range(max(seats, default=0)):
        for g, k in enumerate(seats):
            if round_no < k and not take(g):
                seats[g] = round_no  # exhausted: its remaining seats go to the others
    # Seats nobody could fill go to the best remaining candidates anywhere.
    while len(chosen) < n:
        rest = [
            (ranked[g][cursor[g]][0], -g, g)
            for g in range(len(ranked))
            if cursor[g] < len(ranked[g])
        ]
        if not rest:
            break
        take(max(rest)[2])
    return chosen


def _extractive_bullets(
    art: Article, summary: SummaryText, n: int, settings: extractive.ExtractiveSettings
) -> list[str]:
    """Ids of n article sentences that add to the summary, spread over the sections.

    Bullets never repeat a summary sentence or a near-duplicate of one, stand on their own
    (no back-reference opener, question or fragment), and come from the sections, and from
    what the summary left of the lead, in proportion to their length in words; within each
    the news scorer ranks.
    """
    taken = set(summary.source_ids)
    summary_texts = [s.text for s in art.sentences if s.id in taken]
    skip = skippable([s.text for s in art.sentences])
    skipped = {s.id for i, s in enumerate(art.sentences) if i in skip}
    teaser = art.teaser.text if art.teaser else ""
    openers = _openers(art)

    def usable(s: Sentence, strict: bool) -> bool:
        if s.id in taken or s.id in skipped or len(s.text.split()) < 4:
            return False
        if strict and not _standalone(s.text):
            return False
        return all(extractive.similarity(s.text, t) < NEAR_DUPLICATE for t in summary_texts)

    def words(sents: Sequence[Sentence]) -> float:
        return float(sum(len(s.text.split()) for s in sents))

    # The lead competes too, but only with what the summary left of it.
    rest = [s for s in art.teaser.sentences if s.id not in taken] if art.teaser else []
    units: list[tuple[Sequence[Sentence], float]] = [(rest, words(rest))] if rest else []
    units += [(sec.sentences, words(sec.sentences)) for sec in art.sections]
    groups: list[list[tuple[float, str]]] = []
    by_text: dict[str, str] = {}
    for strict in (True, False):
        groups = []
        for sents, _ in units:
            scores = extractive.score_sentences(
                [s.text for s in sents],
                title=_query_title(art),
                teaser=teaser,
                settings=settings,
                paragraph_starts=_paragraph_starts(openers, sents),
            )
            group = [(sc, s.text) for s, sc in zip(sents, scores, strict=True) if usable(s, strict)]
            by_text.update((s.text, s.id) for s in sents)
            groups.append(group)
        # A short article may not have n standalone sentences: then any usable one may serve.
        if sum(len(g) for g in groups) >= n:
            break
    weights = [w for _, w in units]
    picks = _spread(groups, weights, n)
    order = {s.id: i for i, s in enumerate(art.sentences)}
    return sorted((by_text[text] for _, text in picks), key=order.__getitem__)


def _trim(text: str, max_sentences: int | None, max_words: int | None) -> str:
    """Whole sentences of ``text`` within the limits; the first one is kept in any case."""
    kept: list[str] = []
    words = 0
    for start, end in split_sentences(text):
        sentence = text[start:end].strip()
        n = len(sentence.split())
        if kept and (
            (max_sentences is not None and len(kept) >= max_sentences)
            or (max_words is not None and words + n > max_words)
        ):
            break
        kept.append(sentence)
        words += n
    return " ".join(kept) if kept else text.strip()


def _bullets_from_summaries(
    art: Article, sections: Sequence[tuple[Section, SummaryText]], n: int, summary: str = ""
) -> list[tuple[str, list[str], bool]]:
    """Abstractive bullets: sentences of the section summaries, spread over the sections.

    A sentence that restates the article summary (near-duplicate) is no bullet. Each bullet's
    provenance is the source sentences it matches best in its own section.
    """
    said = [summary[a:b] for a, b in split_sentences(summary)] if summary.strip() else []
    candidates: list[tuple[int, str, list[str], bool]] = []
    for g, (sec, ssum) in enumerate(sections):
        for start, end in split_sentences(ssum.text):
            sentence = ssum.text[start:end].strip()
            if not sentence or any(
                extractive.similarity(sentence, s) >= NEAR_DUPLICATE for s in said
            ):
                continue
            ids = list(align_sources(sentence, sec.sentences))
            # Every bullet points somewhere: without a clear match, at the nearest sentence
            # of its section, and the digest says the support is weak.
            candidates.append((g, sentence, ids or [_nearest(sentence, sec)], not ids))
    # Prefer full, standalone sentences; fall back to weaker ones rather than no bullets.
    full = [c for c in candidates if len(c[1].split()) >= 4]
    standalone = [c for c in full if _standalone(c[1])]
    candidates = standalone if len(standalone) >= n else (full or candidates)
    if not candidates:
        return []
    texts = [c[1] for c in candidates]
    scores = extractive.score_sentences(texts, title=_query_title(art))
    groups: list[list[tuple[float, str]]] = [[] for _ in sections]
    for c, sc in zip(candidates, scores, strict=True):
        # Well-supported sentences first: a weakly supported one only fills a gap.
        groups[c[0]].append((sc * (0.5 if c[3] else 1.0), c[1]))
    weights = [float(sum(len(s.text.split()) for s in sec.sentences)) for sec, _ in sections]
    picked = {text for _, text in _spread(groups, weights, n)}
    return [(c[1], c[2], c[3]) for c in candidates if c[1] in picked]


def _nearest(text: str, sec: Section) -> str:
    sims = [extractive.similarity(text, s.text) for s in sec.sentences]
    return sec.sentences[max(range(len(sims)), key=lambda i: (sims[i], -i))].id


def _section_of(art: Article, sentence_id: str) -> str:
    for sec in art.sections:
        if any(s.id == sentence_id for b in sec.blocks for s in b.sentences):
            return sec.id
    return "lead"


def _flags(text: BiText, art: Article, where: str) -> list[Flag]:
    """Unsupported numbers, dates and names on the German and the English side."""
    flags = check_text(text.de, art.text, lang="de", where=where)
    if text.en:
        flags += check_text(text.en, art.text, lang="en", where=where)
    return flags
