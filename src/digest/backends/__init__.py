"""Model engines: a ModelSpec in, a loaded seq2seq model (batches of text in and out) out."""

from __future__ import annotations

from digest.backends.base import ModelInfo, Seq2SeqEngine
from digest.config import ModelSpec
from digest.errors import ConfigError
from digest.options import RuntimeOptions

__all__ = [
    "ModelInfo",
    "RuntimeOptions",
    "Seq2SeqEngine",
    "load_engine",
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
