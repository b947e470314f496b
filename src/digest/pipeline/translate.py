"""Whole-article translation, sentence by sentence, every block kept in order."""

from __future__ import annotations

import time
from collections.abc import Sequence

from digest.backends import (
    Seq2SeqEngine,
)
from digest.document import Article
from digest.errors import ConfigError
from digest.pipeline.models import Models, run_meta
from digest.results import (
    TranslatedBlock,
    TranslatedSentence,
    TranslateOptions,
    TranslationResult,
)
from digest.segment import split_sentences
from digest.translation import translate_units


def translate_texts(engine: Seq2SeqEngine, texts: list[str]) -> list[str]:
    """Translate multi-sentence texts sentence by sentence and rejoin them."""
    spans = [split_sentences(t) for t in texts]
    units = [t[s:e] for t, sp in zip(texts, spans, strict=True) for s, e in sp]
    translated = iter(translate_units(engine, units))
    return [" ".join(next(translated).target for _ in sp) for sp in spans]


def translate(
    articles: Article | Sequence[Article],
    models: Models,
    options: TranslateOptions = TranslateOptions(),
) -> list[TranslationResult]:
    """Translate whole articles sentence by sentence, keeping every block in order."""
    batch = [articles] if isinstance(articles, Article) else list(articles)
    if models.translator is None:
        raise ConfigError("translate needs a translator model")
    t0 = time.perf_counter()
    units = [s.text for art in batch for b in art.blocks for s in b.sentences]
    translated = iter(translate_units(models.translator, units))
    elapsed = time.perf_counter() - t0
    results = []
    for art in batch:
        section_of = {b.id: sec.id for sec in art.sections for b in sec.blocks}
        blocks = []
        warnings = []
        for block in art.blocks:
            sents = []
            for s in block.sentences:
                u = next(translated)
                if u.pieces > 1:
                    where = "clause" if u.how == "clause" else "token"
                    warnings.append(
                        f"sentence {s.id} was too long for the model and was split at "
                        f"{where} boundaries into {u.pieces} parts"
                    )
                sents.append(
                    TranslatedSentence(s.id, s.start, s.end, s.text, u.target, pieces=u.pieces)
                )
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
                )
            )
        stats = {
            "blocks": len(blocks),
            "sentences": sum(len(b.sentences) for b in blocks),
            "split_sentences": sum(1 for b in blocks for s in b.sentences if s.pieces > 1),
        }
        results.append(
            TranslationResult(
                article=art,
                target_lang=options.to,
                blocks=tuple(blocks),
                flags=(),
                warnings=tuple(warnings),
                options=options,
                meta=run_meta(models, {**models.load_seconds, "translate": elapsed}),
                stats=stats,
            )
        )
    return results
