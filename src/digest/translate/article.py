"""Whole-article translation, sentence by sentence, every block kept in order and checked."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from digest.backends import Seq2SeqModel
from digest.checks.translation import check_summary
from digest.errors import ConfigError
from digest.ingest.document import Article, Block, Sentence
from digest.options import TranslateOptions
from digest.results import Flag, TranslatedBlock, TranslatedSentence, TranslationResult, run_meta
from digest.text.sentences import split_sentences
from digest.translate.glossary import load_glossary
from digest.translate.markup_transfer import SentenceSpan, apply, partial_texts, plan
from digest.translate.sentences import UnitOptions, UnitTranslation, translate_units

if TYPE_CHECKING:
    from digest.models import Models


def translate_texts(
    engine: Seq2SeqModel, texts: list[str], options: UnitOptions | None = None
) -> list[str]:
    """Translate multi-sentence texts sentence by sentence (checked, retried) and rejoin them."""
    spans = [split_sentences(t) for t in texts]
    units = [t[s:e] for t, sp in zip(texts, spans, strict=True) for s, e in sp]
    translated = iter(translate_units(engine, units, options or UnitOptions()))
    return [" ".join(next(translated).target for _ in sp) for sp in spans]


def translate(
    articles: Article | Sequence[Article],
    models: Models,
    options: TranslateOptions = TranslateOptions(),
) -> list[TranslationResult]:
    """Translate whole articles sentence by sentence, keeping every block in order.

    The sentences of all articles go to the model in one call (sorted and batched by length
    there, then put back in order). Every sentence is checked and, if it fails, retried once
    with stronger settings; what still fails is flagged on the sentence.
    """
    batch = [articles] if isinstance(articles, Article) else list(articles)
    engine = models.translator
    if engine is None:
        raise ConfigError("translate needs a translator model")
    glossary = load_glossary(options.glossary) if options.glossary else None
    unit_options = UnitOptions(source_lang="de", target_lang=options.to, glossary=glossary)
    t0 = time.perf_counter()
    units = [text for art in batch for text in _unit_texts(art)]
    translated = iter(translate_units(engine, units, unit_options))
    plans = {(a, b.id): plan(b) for a, art in enumerate(batch) for b in art.blocks}
    span_texts = [t for p in plans.values() if p for t in partial_texts(p)]
    span_translations = _span_translations(engine, span_texts, unit_options)
    elapsed = time.perf_counter() - t0
    results = []
    for a, art in enumerate(batch):
        section_of = {b.id: sec.id for sec in art.sections for b in sec.blocks}
        blocks = []
        warnings: list[str] = []
        for block in art.blocks:
            units_here = [next(translated) for _ in block.sentences]
            sents = [
                _sentence(s, u, options.to)
                for s, u in zip(block.sentences, units_here, strict=True)
            ]
            warnings += [
                _split_warning(s.source_id, u) for s, u in zip(sents, units_here, strict=True)
            ]
            markup, markup_warnings = _markup(block, plans[(a, block.id)], sents, span_translations)
            warnings += markup_warnings
            blocks.append(
                TranslatedBlock(
                    block_id=block.id,
                    kind=block.kind,
                    source=block.text,
                    target=" ".join(x.target for x in sents),
                    sentences=tuple(sents),
                    section_id=section_of.get(block.id),
                    list_marker=block.list_marker,
                    duplicate_of=block.duplicate_of,
                    markup=markup,
                )
            )
        all_sents = [s for b in blocks for s in b.sentences]
        flags = tuple(f for s in all_sents for f in s.flags)
        stats = _stats(blocks)
        summary = check_summary(all_sents)
        warnings = [w for w in warnings if w]
        if stats["flagged_sentences"] or stats["retried_sentences"]:
            warnings.append(summary)
        results.append(
            TranslationResult(
                article=art,
                target_lang=options.to,
                blocks=tuple(blocks),
                flags=flags,
                warnings=tuple(warnings),
                options=options,
                meta=run_meta(
                    models.infos, models.runtime, {**models.load_seconds, "translate": elapsed}
                ),
                stats=stats,
            )
        )
    return results


def _unit_texts(art: Article) -> list[str]:
    """What the model gets for each sentence, in order: a repeated sentence is sent as the
    text of its first occurrence, so it is decoded once (equal texts are) and both places
    carry the same translation while keeping their own ids and offsets."""
    sents = [s for b in art.blocks for s in b.sentences]
    first = {s.id: s.text for s in sents}
    return [first.get(s.duplicate_of, s.text) if s.duplicate_of else s.text for s in sents]


def _sentence(s: Sentence, u: UnitTranslation, lang: str) -> TranslatedSentence:
    where = f"sentence:{s.id}"
    flags = tuple(Flag(p.kind, lang, p.value, where, p.message) for p in u.problems)
    first_failed = tuple(dict.fromkeys(p.kind for p in u.first_problems)) if u.retried else ()
    return TranslatedSentence(
        s.id,
        s.start,
        s.end,
        s.text,
        u.target,
        flags=flags,
        pieces=u.pieces,
        retried=u.retried,
        checks_passed=u.passed,
        first_try_failed=first_failed,
        confidence=u.confidence,
    )


def _split_warning(sentence_id: str, u: UnitTranslation) -> str:
    if u.pieces <= 1:
        return ""
    where = "clause" if u.how == "clause" else "token"
    return (
        f"sentence {sentence_id} was too long for the model and was split at "
        f"{where} boundaries into {u.pieces} parts"
    )


def _span_translations(
    engine: Seq2SeqModel, texts: list[str], options: UnitOptions
) -> dict[str, str]:
    texts = list(dict.fromkeys(texts))
    if not texts:
        return {}
    done = translate_units(engine, texts, replace(options, check=False))
    return {t: u.target for t, u in zip(texts, done, strict=True)}


def _markup(
    block: Block,
    spans: list[SentenceSpan] | None,
    sents: list[TranslatedSentence],
    translations: dict[str, str],
) -> tuple[str | None, list[str]]:
    if not spans:
        return None, []
    return apply(spans, [s.target for s in sents], translations, block.id)


def _stats(blocks: list[TranslatedBlock]) -> dict[str, int]:
    sents = [s for b in blocks for s in b.sentences]
    stats = {
        "blocks": len(blocks),
        "sentences": len(sents),
        "split_sentences": sum(1 for s in sents if s.pieces > 1),
        "retried_sentences": sum(1 for s in sents if s.retried),
        "fixed_by_retry": sum(1 for s in sents if s.retried and not s.flags),
        "flagged_sentences": sum(1 for s in sents if s.flags),
    }
    for kind, n in Counter(f.kind for s in sents for f in s.flags).items():
        stats[f"flags_{kind}"] = n
    return stats
