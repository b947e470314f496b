"""Which engine runs a model (backend auto/hf/ctranslate2), the fallback, and decoder confidence."""

from __future__ import annotations

import builtins
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import digest.backends as backends
from conftest import TinyModels, marian_spec
from digest.backends import choose_backend, load_model
from digest.backends.base import CT2UnavailableError
from digest.backends.ct2 import CTranslate2Model
from digest.backends.hf import TransformersModel
from digest.batch.cache import job_fingerprint
from digest.batch.job import BatchJob
from digest.config import GenerationSettings, ModelSpec
from digest.errors import ConfigError
from digest.options import DigestOptions, RuntimeOptions

CPU = RuntimeOptions(device="cpu", show_progress=True)
QUIET = RuntimeOptions(device="cpu", show_progress=False)
SENTENCES = [
    "Der Stadtrat hat am Montag neue Radwege beschlossen.",
    "Die Kosten liegen bei 3,5 Millionen Euro.",
    "Kurz.",
]


def spec(path: Path, **changes: Any) -> ModelSpec:
    return marian_spec(path, num_beams=3, **changes)


def test_auto_picks_ctranslate2_on_cpu_and_transformers_on_a_gpu(tmp_path: Path) -> None:
    s = spec(tmp_path)
    assert s.backend == "auto"  # the default of a models.yaml entry
    assert choose_backend(s, CPU) == "ctranslate2"
    assert choose_backend(s, replace(CPU, device="cuda")) == "hf"
    assert choose_backend(s, replace(CPU, device="mps")) == "hf"
    # int8 is CTranslate2's, wherever it runs.
    assert choose_backend(s, replace(CPU, device="cuda", quantize="int8")) == "ctranslate2"


def test_models_yaml_and_the_run_option_pin_the_engine(tmp_path: Path) -> None:
    assert choose_backend(spec(tmp_path, backend="hf"), CPU) == "hf"
    assert choose_backend(spec(tmp_path, backend="ctranslate2"), replace(CPU, device="cuda")) == (
        "ctranslate2"
    )
    # The run's backend overrides every entry.
    assert choose_backend(spec(tmp_path, backend="ctranslate2"), replace(CPU, backend="hf")) == "hf"
    assert choose_backend(spec(tmp_path), replace(CPU, backend="ctranslate2")) == "ctranslate2"
    assert choose_backend(spec(tmp_path, backend="extractive"), CPU) == "extractive"
    with pytest.raises(ConfigError, match="backend must be one of auto, hf, ctranslate2"):
        RuntimeOptions(backend="onnx")  # type: ignore[arg-type]


def test_auto_loads_ctranslate2_int8_on_cpu(
    tiny_models: TinyModels, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    engine = load_model(spec(tiny_models.marian, ct2_dir=str(tmp_path)), CPU)
    assert isinstance(engine, CTranslate2Model)
    assert engine.info.backend == "ctranslate2" and engine.info.dtype == "int8"
    # The first use converts, with a visible line; the second reuses the conversion.
    assert "converting model 'tiny-marian' to CTranslate2" in capfd.readouterr().err
    load_model(spec(tiny_models.marian, ct2_dir=str(tmp_path)), CPU)
    assert "converting" not in capfd.readouterr().err


def test_failed_conversion_falls_back_to_transformers_with_one_notice(
    tiny_models: TinyModels,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    def broken(*args: object, **kwargs: object) -> Path:
        raise CT2UnavailableError("model 'tiny-marian': conversion to CTranslate2 failed: boom")

    monkeypatch.setattr("digest.backends.ct2.convert_model", broken)
    s = spec(tiny_models.marian, ct2_dir=str(tmp_path))
    engine = load_model(s, replace(CPU, quantize="int8"))
    assert isinstance(engine, TransformersModel) and engine.info.backend == "hf"
    notices = [line for line in capfd.readouterr().err.splitlines() if "notice" in line]
    assert len(notices) == 1
    assert "conversion to CTranslate2 failed: boom" in notices[0]
    assert "running 'tiny-marian' on transformers" in notices[0]
    # Quiet runs print nothing; a pinned ctranslate2 fails instead of falling back.
    load_model(s, QUIET)
    assert "notice" not in capfd.readouterr().err
    with pytest.raises(CT2UnavailableError, match="boom"):
        load_model(replace(s, backend="ctranslate2"), QUIET)


def test_ctranslate2_not_importable_falls_back_to_transformers(
    tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    real_import = builtins.__import__

    def no_ct2(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "ctranslate2" or name.startswith("ctranslate2."):
            raise ImportError("No module named 'ctranslate2'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "ctranslate2", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_ct2)
    engine = load_model(spec(tiny_models.marian), CPU)
    assert isinstance(engine, TransformersModel)
    assert "CTranslate2 cannot be imported" in capfd.readouterr().err
    # Not installed at all: auto plans transformers and says why.
    monkeypatch.setattr(backends, "ct2_installed", lambda: False)
    assert choose_backend(spec(tiny_models.marian), CPU) == "hf"
    assert isinstance(load_model(spec(tiny_models.marian), CPU), TransformersModel)
    assert "CTranslate2 is not installed" in capfd.readouterr().err


def test_cache_key_includes_the_engine_that_runs(tiny_models: TinyModels, tmp_path: Path) -> None:
    s = spec(tiny_models.marian)

    def job(runtime: RuntimeOptions) -> BatchJob:
        return BatchJob(
            kind="translate",
            inputs=("x.txt",),
            out=tmp_path,
            options=DigestOptions(),
            formats=("md",),
            translator=s,
            runtime=runtime,
        )

    auto, hf = job(QUIET), job(replace(QUIET, backend="hf"))
    assert job_fingerprint(auto) != job_fingerprint(hf)
    # What actually ran decides: auto that fell back to transformers is not auto on ct2.
    assert job_fingerprint(auto, {"tiny-marian": "hf"}) != job_fingerprint(auto)
    assert job_fingerprint(auto, {"tiny-marian": "ctranslate2"}) == job_fingerprint(auto)


# --- confidence: the value recorded while decoding equals a forced decoding of the output ---


def forced_mean_hf(engine: TransformersModel, text: str, ids: list[int], with_end: bool) -> float:
    """Teacher forcing: the model's log-probability of each output token, given the ones
    before it; the mean over the tokens the decoder produced."""
    import torch

    enc = engine.tokenizer([text], return_tensors="pt")
    start = engine.model.config.decoder_start_token_id
    target = [*ids, engine.tokenizer.eos_token_id] if with_end else list(ids)
    with torch.no_grad():
        logits = engine.model(**enc, decoder_input_ids=torch.tensor([[start, *target[:-1]]])).logits
    logp = torch.log_softmax(logits[0].float(), dim=-1)
    values = [float(logp[i, t]) for i, t in enumerate(target)]
    return sum(values) / len(values)


@pytest.mark.parametrize("beams", [1, 3])
def test_transformers_confidence_equals_a_forced_decoding(
    tiny_models: TinyModels, beams: int
) -> None:
    # Penalties on: the recorded value is the model's own probability, before processors.
    settings = GenerationSettings(
        num_beams=beams, max_new_tokens=10, no_repeat_ngram_size=2, repetition_penalty=1.3
    )
    engine = TransformersModel(spec(tiny_models.marian, backend="hf", generation=settings), QUIET)
    scored = engine.generate_scored(SENTENCES)
    ids = engine.generate_ids(SENTENCES)
    assert [s.text for s in scored] == engine.decode(ids)
    for text, out, x in zip(SENTENCES, scored, ids, strict=True):
        # Random weights run to the limit, where Marian's config forces the end token.
        assert out.tokens == len(x) + 1
        assert out.logprob is not None and out.logprob < 0
        assert out.logprob == pytest.approx(forced_mean_hf(engine, text, x, True), abs=1e-4)


def test_ctranslate2_confidence_equals_a_forced_decoding(
    tiny_models: TinyModels, tmp_path: Path
) -> None:
    settings = GenerationSettings(num_beams=3, max_new_tokens=10, length_penalty=0.7)
    s = spec(tiny_models.marian, backend="ctranslate2", ct2_dir=str(tmp_path), generation=settings)
    engine = CTranslate2Model(s, QUIET)
    scored = engine.generate_scored(SENTENCES)
    ids = engine.generate_ids(SENTENCES)
    assert [x.text for x in scored] == engine.decode(ids)
    source = [engine.tokenizer.convert_ids_to_tokens(x) for x in engine.encode(SENTENCES)]
    target = [engine.tokenizer.convert_ids_to_tokens(x) for x in ids]
    # CTranslate2's own forced decoding (score_batch always scores the end token too).
    forced = engine.translator.score_batch(source, target)
    for out, x, f in zip(scored, ids, forced, strict=True):
        ended = out.tokens == len(x) + 1
        values = f.log_probs if ended else f.log_probs[:-1]
        assert out.tokens == len(values)
        assert out.logprob == pytest.approx(sum(values) / len(values), abs=1e-4)


def test_confidence_reaches_translations_and_digests(tiny_models: TinyModels) -> None:
    import digest
    from conftest import write_models_yaml

    yaml = write_models_yaml(Path.cwd() / "models.yaml", tiny_models)
    d = digest.load(models=str(yaml), backend="hf")
    text = "# Radwege\n\n" + " ".join(SENTENCES[:2])
    result = d.translate(text)
    sents = [s for b in result.blocks for s in b.sentences]
    assert sents and all(s.confidence is not None and s.confidence < 0 for s in sents)
    dig = d.summarize(text)
    assert dig.summary_confidence is not None and dig.summary_confidence < 0
