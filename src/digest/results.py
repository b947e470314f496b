"""Typed results. Every result carries the options used and the models (with revisions) run."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Literal

from digest.backends.base import ModelInfo
from digest.ingest.document import Article
from digest.options import DigestOptions, RuntimeOptions, TranslateOptions

SCHEMA_VERSION = "1.2"
# The name on the package index (`digest` there is an unrelated project); import name: digest.
DISTRIBUTION = "digest-news"
# A generated text whose mean log-probability per token is below this is marked as
# low-confidence in md/html (exp(-1.5) ~ 0.22 per token). Not calibrated on a test set.
LOW_CONFIDENCE = -1.5


def low_confidence(value: float | None) -> bool:
    return value is not None and value < LOW_CONFIDENCE


@dataclass(frozen=True)
class Flag:
    """Something in generated text that the source does not support."""

    kind: Literal[
        "number", "date", "name", "repetition", "copy", "length", "missing_number", "glossary"
    ]
    lang: str
    value: str
    where: str  # "summary", "bullet:3", "sentence:s2.1.1" ...
    message: str


@dataclass(frozen=True)
class BiText:
    de: str
    en: str | None = None


@dataclass(frozen=True)
class SectionSummary:
    section_id: str
    heading: BiText | None
    summary: BiText
    source_ids: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    # True: the section's key sentences, chosen extractively (exact provenance); False:
    # written by the summarizer model.
    extractive: bool = False
    confidence: float | None = None  # the model's mean log-probability per token


@dataclass(frozen=True)
class Bullet:
    id: str
    text: BiText
    section_id: str
    source_ids: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]  # offsets of the source sentences in article.text
    flags: tuple[Flag, ...] = ()


@dataclass(frozen=True)
class RunMeta:
    digest_version: str
    models: tuple[ModelInfo, ...]
    runtime: RuntimeOptions
    timings: dict[str, float]  # seconds per stage
    created: str  # ISO 8601, UTC


@dataclass(frozen=True)
class DigestResult:
    article: Article
    title: BiText
    summary: BiText
    summary_source_ids: tuple[str, ...]
    sections: tuple[SectionSummary, ...]
    bullets: tuple[Bullet, ...]
    flags: tuple[Flag, ...]
    warnings: tuple[str, ...]
    options: DigestOptions
    meta: RunMeta
    schema_version: str = SCHEMA_VERSION
    kind: Literal["digest"] = "digest"
    summary_confidence: float | None = None  # the summarizer's mean log-probability per token


@dataclass(frozen=True)
class TranslatedSentence:
    source_id: str
    start: int
    end: int
    source: str
    target: str
    flags: tuple[Flag, ...] = ()
    pieces: int = 1  # >1 when a too-long sentence was split for the model
    retried: bool = False
    checks_passed: tuple[str, ...] = ()  # self-checks the kept translation passed
    first_try_failed: tuple[str, ...] = ()  # flag kinds of the first attempt (why it was retried)
    confidence: float | None = None  # the translator's mean log-probability per token


@dataclass(frozen=True)
class TranslatedBlock:
    block_id: str
    kind: str
    source: str
    target: str
    sentences: tuple[TranslatedSentence, ...]
    section_id: str | None = None
    list_marker: str | None = None
    duplicate_of: str | None = None
    markup: str | None = None  # target with the source's inline Markdown (emphasis, links)


@dataclass(frozen=True)
class TranslationResult:
    article: Article
    target_lang: str
    blocks: tuple[TranslatedBlock, ...]
    flags: tuple[Flag, ...]
    warnings: tuple[str, ...]
    options: TranslateOptions
    meta: RunMeta
    schema_version: str = SCHEMA_VERSION
    kind: Literal["translation"] = "translation"
    stats: dict[str, int] = field(default_factory=dict)


def digest_version() -> str:
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "0+unknown"


def run_meta(
    models: tuple[ModelInfo, ...], runtime: RuntimeOptions, timings: dict[str, float]
) -> RunMeta:
    """The metadata every result carries: what ran, where, how long."""
    return RunMeta(
        digest_version=digest_version(),
        models=models,
        runtime=runtime,
        timings={k: round(v, 4) for k, v in timings.items()},
        created=datetime.now(UTC).replace(microsecond=0).isoformat(),
    )
