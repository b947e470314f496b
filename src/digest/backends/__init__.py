"""Model backends: load a summarizer or translator from its ModelSpec."""

from __future__ import annotations

from digest.backends.base import ModelInfo, RuntimeOptions, Seq2SeqEngine
from digest.backends.summarizers import (
    AbstractiveSummarizer,
    ExtractiveSummarizer,
    Summarizer,
    SummaryRequest,
    SummaryText,
)
from digest.config import ModelSpec
from digest.errors import ConfigError

__all__ = [
    "AbstractiveSummarizer",
    "ExtractiveSummarizer",
    "ModelInfo",
    "RuntimeOptions",
    "Seq2SeqEngine",
    "Summarizer",
    "SummaryRequest",
    "SummaryText",
    "load_engine",
    "load_summarizer",
]


def load_engine(spec: ModelSpec, runtime: RuntimeOptions) -> Seq2SeqEngine:
    """A seq2seq engine for a spec: transformers, CTranslate2, or the named fake for tests."""
    if spec.backend == "hf":
        from digest.backends.hf import HFSeq2Seq

        return HFSeq2Seq(spec, runtime)
    if spec.backend == "fake":
        from digest.backends.fake import FakeSeq2Seq

        mode = spec.source.removeprefix("fake:") or "translate"
        return FakeSeq2Seq(spec, mode=mode)
    if spec.backend == "ctranslate2":
        from digest.backends.ct2 import CT2Seq2Seq

        return CT2Seq2Seq(spec, runtime)
    raise ConfigError(f"model '{spec.name}' (backend {spec.backend}) is not a seq2seq model")


def load_summarizer(spec: ModelSpec, runtime: RuntimeOptions) -> Summarizer:
    if spec.backend == "extractive":
        return ExtractiveSummarizer()
    return AbstractiveSummarizer(load_engine(spec, runtime), prefix=spec.prefix)
