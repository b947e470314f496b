"""The Python API: ``digest.load(...)`` once, then ``.summarize(path)`` / ``.translate(path)``.

    import digest
    d = digest.load(summarizer="extractive", to="de")
    result = d.summarize("samples/stadtrat-radwege.txt")

``load`` reads models.yaml once and checks the names in it at once; each model's weights are
loaded the first time a call needs them and then kept, so a translate-only caller never loads
a summarizer.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from digest.config import ModelsConfig, ModelSpec, load_config
from digest.errors import ConfigError
from digest.ingest import Article, article_from_text, load_article
from digest.ingest.fetch import is_url
from digest.ingest.web_input import fetch_article
from digest.models import Models, load_model_specs
from digest.options import (
    Backend,
    Device,
    DigestOptions,
    DType,
    Quantize,
    RuntimeOptions,
    SectionSummaries,
    TranslateOptions,
    choice,
)
from digest.results import DigestResult, TranslationResult
from digest.summarize import summarize
from digest.translate import translate

Source = str | os.PathLike[str] | Article


class Digest:
    """Loaded configuration and models for digests and translations of many articles."""

    def __init__(
        self,
        config: ModelsConfig,
        *,
        summarizer: ModelSpec | None,
        translator: ModelSpec | None,
        options: DigestOptions,
        translate_options: TranslateOptions,
        runtime: RuntimeOptions,
    ) -> None:
        self.config = config
        self.options = options
        self.translate_options = translate_options
        self.runtime = runtime
        self._specs = {"summarizer": summarizer, "translator": translator}
        self._models = Models(None, None, runtime)

    def _models_for(self, *, summarizer: bool, translator: bool) -> Models:
        """Load each role on first use; later calls reuse the loaded model."""
        need = {"translator": translator, "summarizer": summarizer}
        for role, wanted in need.items():  # translator first: the usual missing model
            if not wanted or getattr(self._models, role) is not None:
                continue
            spec = self._specs[role]
            if spec is None:
                raise ConfigError(f"this Digest was loaded without a {role}")
            loaded = load_model_specs(
                summarizer=spec if role == "summarizer" else None,
                translator=spec if role == "translator" else None,
                runtime=self.runtime,
            )
            setattr(self._models, role, getattr(loaded, role))
            self._models.load_seconds.update(loaded.load_seconds)
        return self._models

    def summarize(self, source: Source) -> DigestResult:
        """One article (a path, German text, or an :class:`Article`) -> its digest."""
        [result] = self.summarize_many([source])
        return result

    def summarize_many(self, sources: Iterable[Source]) -> list[DigestResult]:
        """Digests of many articles, model calls batched across all of them."""
        articles = [as_article(s) for s in sources]
        models = self._models_for(summarizer=True, translator=bool(self.options.to))
        return summarize(articles, models, self.options)

    def translate(self, source: Source) -> TranslationResult:
        """One whole article -> its translation, block by block."""
        [result] = self.translate_many([source])
        return result

    def translate_many(self, sources: Iterable[Source]) -> list[TranslationResult]:
        articles = [as_article(s) for s in sources]
        models = self._models_for(summarizer=False, translator=True)
        return translate(articles, models, self.translate_options)


def as_article(source: Source) -> Article:
    """A path (str or PathLike) names a file; an http(s) URL is fetched (like ``digest inspect
    URL``); a str with a line break or no such file is text."""
    if isinstance(source, Article):
        return source
    if isinstance(source, os.PathLike):
        return load_article(source)
    if "\n" not in source and is_url(source.strip()):
        return fetch_article(source.strip())
    if "\n" not in source and (source == "-" or Path(source).exists()):
        return load_article(source)
    if "\n" not in source and Path(source).suffix.lower() in (".txt", ".md", ".html", ".htm"):
        return load_article(source)  # a missing file: the one-line "no such file" error
    return article_from_text(source)


def load(
    summarizer: str | None = "default",
    translator: str | None = "default",
    to: str | Sequence[str] = "en",
    *,
    models: str | os.PathLike[str] | ModelsConfig | None = None,
    bullets: int = 5,
    length: int = 3,
    length_unit: str = "sentences",
    glossary: str | None = None,
    device: Device | str = Device.AUTO,
    dtype: DType | str = DType.AUTO,
    offline: bool = False,
    threads: int | None = None,
    backend: Backend | str = Backend.AUTO,
    quantize: Quantize | str = Quantize.NONE,
    section_summaries: SectionSummaries | str = SectionSummaries.AUTO,
    section_words: int = 150,
) -> Digest:
    """Read models.yaml (given, ``$DIGEST_MODELS``, ./models.yaml, else the shipped one) once.

    ``to="de"`` makes German-only digests (no translator); ``summarizer``/``translator`` are
    models.yaml entries, model directories, or ``"default"``; ``None`` leaves a role out.
    """
    config = models if isinstance(models, ModelsConfig) else load_config(models)
    langs = (to,) if isinstance(to, str) else tuple(to)
    targets = tuple(lang for lang in langs if lang != "de")
    summ_spec = None
    if summarizer is not None:
        summ_spec = config.summarizer(None if summarizer == "default" else summarizer)
    trans_spec = None
    if translator is not None and targets:
        trans_spec = config.translator(targets[0], None if translator == "default" else translator)
    options = DigestOptions(
        summarizer=summarizer or "none",
        translator=translator or "none",
        to=targets,
        bullets=bullets,
        length=length,
        length_unit="words" if length_unit == "words" else "sentences",
        section_summaries=choice(SectionSummaries, section_summaries, "section_summaries"),
        section_words=section_words,
    )
    translate_options = TranslateOptions(
        translator=translator or "none", to=targets[0] if targets else "en", glossary=glossary
    )
    runtime = RuntimeOptions(
        device=choice(Device, device, "device"),
        dtype=choice(DType, dtype, "dtype"),
        offline=offline,
        threads=threads,
        backend=choice(Backend, backend, "backend"),
        quantize=choice(Quantize, quantize, "quantize"),
    )
    return Digest(
        config,
        summarizer=summ_spec,
        translator=trans_spec,
        options=options,
        translate_options=translate_options,
        runtime=runtime,
    )
