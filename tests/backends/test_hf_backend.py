"""The real transformers path on tiny random models: resolution, dtype policy, batching."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import GERMAN_LINES, TinyModels, install_in_hf_cache, marian_spec, spy_from_pretrained
from digest.backends.base import token_budget_batches
from digest.backends.hf import TransformersModel, pick_dtype
from digest.backends.resolve import local_status, resolve_model
from digest.config import GenerationSettings, ModelSpec
from digest.errors import ConfigError, ModelError, ModelNotAvailableError
from digest.options import RuntimeOptions

SENTENCES = GERMAN_LINES


def test_local_directory_loads_and_records_a_fingerprint(tiny_models: TinyModels) -> None:
    engine = TransformersModel(marian_spec(tiny_models.marian), RuntimeOptions(device="cpu"))
    assert engine.info.origin == "local"
    assert engine.info.commit.startswith("local-")
    assert engine.info.dtype == "fp32" and engine.info.device == "cpu"
    out = engine.generate(SENTENCES)
    assert len(out) == len(SENTENCES) and all(isinstance(t, str) for t in out)


def test_hub_id_resolves_from_the_hf_cache(tiny_models: TinyModels, isolated_env: Path) -> None:
    commit = "0123456789abcdef0123456789abcdef01234567"
    install_in_hf_cache(tiny_models.marian, "digest-test/tiny-marian", isolated_env, commit)
    spec = marian_spec(tiny_models.marian, source="digest-test/tiny-marian", revision="main")
    assert local_status(spec) == "cached"
    resolved = resolve_model(spec, offline=True)
    assert resolved.origin == "cache" and resolved.commit == commit
    engine = TransformersModel(spec, RuntimeOptions(device="cpu", offline=True))
    assert engine.info.commit == commit
    assert len(engine.generate(SENTENCES[:2])) == 2


def test_missing_model_offline_names_the_model_and_both_remedies() -> None:
    spec = ModelSpec(name="opus-mt-de-en", role="translator", source="Helsinki-NLP/opus-mt-de-en")
    assert local_status(spec) == "missing"
    with pytest.raises(ModelNotAvailableError) as info:
        resolve_model(spec, offline=True)
    message = str(info.value)
    assert "opus-mt-de-en" in message and "Helsinki-NLP/opus-mt-de-en" in message
    assert "digest models pull opus-mt-de-en" in message
    # The library names the API's option; the CLI shows its flag.
    assert "or translator at" in message and "or --translator at" in info.value.cli_message()


def test_batched_and_one_by_one_decoding_are_identical(tiny_models: TinyModels) -> None:
    engine = TransformersModel(marian_spec(tiny_models.marian), RuntimeOptions(device="cpu"))
    batched = engine.generate(SENTENCES)
    single = [engine.generate([s])[0] for s in SENTENCES]
    assert batched == single


def test_t5_summarizer_loads_with_its_sentencepiece_tokenizer(tiny_models: TinyModels) -> None:
    spec = ModelSpec(
        name="tiny-t5", role="summarizer", source=str(tiny_models.t5), family="t5",
        max_input_tokens=256, generation=GenerationSettings(num_beams=2, max_new_tokens=8),
    )  # fmt: skip
    engine = TransformersModel(spec, RuntimeOptions(device="cpu"))
    assert engine.count_tokens(["Der Stadtrat tagt."])[0] > 2
    assert len(engine.generate(["Der Stadtrat hat neue Radwege beschlossen."])) == 1


def test_input_over_the_limit_is_an_error_not_a_truncation(tiny_models: TinyModels) -> None:
    engine = TransformersModel(
        marian_spec(tiny_models.marian, max_input_tokens=8), RuntimeOptions()
    )
    with pytest.raises(ModelError, match="over tiny-marian's limit"):
        engine.generate([SENTENCES[3]])


def test_int8_on_transformers_is_refused_in_one_line(tiny_models: TinyModels) -> None:
    # int8 is CTranslate2's; torch's deprecated dynamic quantization is gone.
    with pytest.raises(ConfigError, match="quantize int8 runs on the ctranslate2 engine") as err:
        TransformersModel(marian_spec(tiny_models.marian), RuntimeOptions(quantize="int8"))
    assert "\n" not in str(err.value)


def test_dtype_policy() -> None:
    assert pick_dtype("marian", "cpu", "auto") == "fp32"
    assert pick_dtype("t5", "cpu", "auto") == "fp32"
    assert pick_dtype("marian", "mps", "auto") == "fp16"
    assert pick_dtype("mt5", "mps", "auto") == "fp32"
    assert pick_dtype("marian", "cuda", "fp16") == "fp16"
    with pytest.raises(ConfigError, match="fp16 is unsafe for t5"):
        pick_dtype("t5", "cuda", "fp16")


def test_token_budget_batches_sort_and_respect_the_budget() -> None:
    lengths = [30, 5, 12, 40, 7, 7, 100]
    batches = list(token_budget_batches(lengths, budget=60, max_batch=3))
    flat = [i for b in batches for i in b]
    assert sorted(flat) == list(range(len(lengths)))
    assert [lengths[i] for i in flat] == sorted(lengths)
    for b in batches:
        assert len(b) <= 3
        assert len(b) == 1 or max(lengths[i] for i in b) * len(b) <= 60


def test_forced_lengths_give_equal_work_and_ids_exclude_special_tokens(
    tiny_models: TinyModels,
) -> None:
    engine = TransformersModel(marian_spec(tiny_models.marian), RuntimeOptions(device="cpu"))
    forced = GenerationSettings(num_beams=2, max_new_tokens=9, min_new_tokens=8)
    ids = engine.generate_ids(SENTENCES, forced)
    assert [len(x) for x in ids] == [8] * len(SENTENCES)  # + the </s> Marian forces at 9
    special = {engine.tokenizer.pad_token_id, engine.tokenizer.eos_token_id}
    assert not special & {t for x in ids for t in x}
    assert engine.decode(ids) == engine.generate(SENTENCES, forced)


def test_auto_device_prefers_cuda_then_mps_then_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    from digest.backends.hf import pick_device

    mps = getattr(torch.backends, "mps", None)
    assert mps is not None
    for cuda, has_mps, expected in [
        (True, True, "cuda"),
        (False, True, "mps"),
        (False, False, "cpu"),
    ]:
        monkeypatch.setattr(torch.cuda, "is_available", lambda cuda=cuda: cuda)
        monkeypatch.setattr(mps, "is_available", lambda has_mps=has_mps: has_mps)
        assert pick_device("auto") == expected
    with pytest.raises(ConfigError, match="CUDA is not available"):
        pick_device("cuda")  # the last round left CUDA unavailable
    assert pick_device("cpu") == "cpu"


def test_models_pull_downloads_into_the_cache_then_offline_runs_use_it(
    tiny_models: TinyModels, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No Hub here: a stand-in for huggingface_hub.snapshot_download that lays the tiny model
    # out as the Hub cache does. Everything above it (CLI, resolution order, revision,
    # cache_dir, offline afterwards) is the code users run.
    import huggingface_hub
    from huggingface_hub.errors import LocalEntryNotFoundError
    from typer.testing import CliRunner

    from digest.cli import app

    commit = "fedcba9876543210fedcba9876543210fedcba98"
    calls: list[dict[str, object]] = []

    def fake_snapshot_download(repo_id: str, **kwargs: object) -> str:
        calls.append({"repo_id": repo_id, **kwargs})
        snapshot = Path(str(kwargs["cache_dir"])) / f"models--{repo_id.replace('/', '--')}"
        if (snapshot / "snapshots" / commit).is_dir():
            return str(snapshot / "snapshots" / commit)
        if kwargs["local_files_only"]:
            raise LocalEntryNotFoundError("not cached")
        return str(install_in_hf_cache(tiny_models.marian, repo_id, isolated_env, commit))

    monkeypatch.setattr(huggingface_hub, "snapshot_download", fake_snapshot_download)
    yaml = isolated_env / "models.yaml"
    yaml.write_text(
        "version: 1\nmodels:\n  hub-marian:\n    role: translator\n"
        "    source: digest-test/tiny-marian\n    revision: v1.0\n    family: marian\n"
        "    target_lang: en\n    max_input_tokens: 128\n"
        "  extractive:\n    role: summarizer\n    backend: extractive\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    before = runner.invoke(app, ["models", "list", "--models", str(yaml)])
    assert "missing" in before.stdout
    pulled = runner.invoke(app, ["models", "pull", "hub-marian", "--models", str(yaml)])
    assert pulled.exit_code == 0, pulled.output
    assert "hub-marian: download" in pulled.stdout and commit in pulled.stdout
    download = [c for c in calls if not c["local_files_only"]]
    assert len(download) == 1 and download[0]["revision"] == "v1.0"
    assert download[0]["cache_dir"] == isolated_env / "hub"
    after = runner.invoke(app, ["models", "list", "--models", str(yaml)])
    assert "cached" in after.stdout
    spec = ModelSpec(
        name="hub-marian", role="translator", source="digest-test/tiny-marian",
        revision="v1.0", family="marian", target_lang="en", max_input_tokens=128,
    )  # fmt: skip
    engine = TransformersModel(
        spec, RuntimeOptions(device="cpu", offline=True, show_progress=False)
    )
    assert engine.info.origin == "cache" and engine.info.commit == commit
    assert len(engine.generate(SENTENCES[:1])) == 1


def test_loaders_are_told_never_to_run_model_code(
    tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch
) -> None:
    """trust_remote_code=False explicitly: transformers then never asks on a terminal."""
    seen = spy_from_pretrained(monkeypatch, "AutoTokenizer", "AutoModelForSeq2SeqLM")
    TransformersModel(marian_spec(tiny_models.marian), RuntimeOptions(device="cpu"))
    assert seen == [("AutoTokenizer", False), ("AutoModelForSeq2SeqLM", False)]
