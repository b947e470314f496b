"""Model engines: a ModelSpec in, a loaded seq2seq model (batches of text in and out) out."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace

from digest.backends.base import CT2UnavailableError, ModelInfo, ScoredText, Seq2SeqModel
from digest.backends.resolve import resolve_model
from digest.config import NEURAL_BACKENDS, ModelSpec
from digest.errors import ConfigError
from digest.options import Backend, Device, Quantize, RuntimeOptions

__all__ = [
    "ModelInfo",
    "RuntimeOptions",
    "ScoredText",
    "Seq2SeqModel",
    "choose_backend",
    "load_model",
]


def ct2_installed() -> bool:
    return importlib.util.find_spec("ctranslate2") is not None


def choose_backend(spec: ModelSpec, runtime: RuntimeOptions) -> str:
    """The engine a neural model will run on, decided before loading it.

    The run's ``backend`` pins every model; otherwise models.yaml's entry decides. ``auto``:
    CTranslate2 on CPU (and for ``quantize int8``, which is CTranslate2's), transformers on
    CUDA/MPS (where it runs bf16/fp16); transformers too when CTranslate2 is not installed.
    Other backends (extractive, fake) are returned as they are.
    """
    if spec.backend not in NEURAL_BACKENDS:
        return spec.backend
    wanted = _wanted(spec, runtime)
    if wanted != "auto":
        return wanted
    if _wants_ct2(runtime) and ct2_installed():
        return "ctranslate2"
    return "hf"


def _wanted(spec: ModelSpec, runtime: RuntimeOptions) -> str:
    return spec.backend if runtime.backend == Backend.AUTO else runtime.backend.value


def _wants_ct2(runtime: RuntimeOptions) -> bool:
    """Whether ``auto`` picks CTranslate2 on this machine (if it is installed)."""
    return runtime.quantize == Quantize.INT8 or _device(runtime.device) == "cpu"


def _device(preference: Device) -> str:
    if preference != Device.AUTO:
        return preference.value
    from digest.backends.hf import pick_device

    return pick_device("auto")


def load_model(spec: ModelSpec, runtime: RuntimeOptions) -> Seq2SeqModel:
    """A seq2seq engine for a spec: transformers, CTranslate2, or the named fake for tests.

    When ``auto`` chose CTranslate2 and it cannot run the model (not importable, conversion
    failed), the model runs on transformers after a one-line notice; a pinned
    ``ctranslate2`` fails instead.
    """
    if spec.backend == "fake":
        from digest.backends.fake import FakeModel

        mode = spec.source.removeprefix("fake:") or "translate"
        return FakeModel(spec, mode=mode)
    if spec.backend not in NEURAL_BACKENDS:
        raise ConfigError(f"model '{spec.name}' (backend {spec.backend}) is not a seq2seq model")
    # A missing model fails here, fast, before choosing an engine imports torch.
    resolve_model(spec, offline=runtime.offline, progress=runtime.show_progress)
    backend = choose_backend(spec, runtime)
    if backend == "hf" and _wanted(spec, runtime) == "auto" and _wants_ct2(runtime):
        runtime = _fallback(spec, runtime, "CTranslate2 is not installed")
    if backend == "ctranslate2":
        from digest.backends.ct2 import CTranslate2Model

        pinned = spec.backend == "ctranslate2" or runtime.backend == Backend.CTRANSLATE2
        try:
            return CTranslate2Model(spec, runtime)
        except CT2UnavailableError as exc:
            if pinned:
                raise
            runtime = _fallback(spec, runtime, str(exc))
    from digest.backends.hf import TransformersModel

    return TransformersModel(spec, runtime)


def _fallback(spec: ModelSpec, runtime: RuntimeOptions, why: str) -> RuntimeOptions:
    """One line on stderr (not with quiet) and the runtime transformers runs with."""
    if runtime.show_progress:
        print(f"notice: {why}; running '{spec.name}' on transformers", file=sys.stderr)
    # transformers has no int8 of its own here: the fallback runs in the default dtype.
    return replace(runtime, quantize=Quantize.NONE)
